import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Export extends BaseCommand {
  static override summary = "Export a service container's filesystem as a tar archive."
  static override description = 'To a file with -o, else to stdout (never to a terminal). Running or stopped containers alike.'
  static override examples = ['<%= config.bin %> export web -o web.tar', '<%= config.bin %> export --index 2 worker | tar t', '<%= config.bin %> export db > db.tar']
  static override args = {service: Args.string({description: 'The service.', required: true})}
  static override flags = {
    ...projectFlags,
    output: Flags.string({char: 'o', description: 'Write to this file instead of stdout.'}),
    index: Flags.integer({description: 'Which container of the service (1-based).', min: 1}),
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parse(Export)
    const [{openSession}, exporter] = await Promise.all([import('../runtime/session.js'), import('../runtime/export.js')])
    const dryRun = (flags as {'dry-run'?: boolean})['dry-run'] === true
    // Where it goes is checked before the project is loaded or the engine asked.
    if (!dryRun) await exporter.checkExportTarget(flags.output, process.stdout)
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services: [args.service], labelsOnly: true})
    try {
      if (dryRun) {
        // --dry-run (where the project flags have it): the step on stdout, nothing written.
        process.stdout.write(await exporter.planExport(session.engine, session.ref, {service: args.service, index: flags.index, output: flags.output, signal: session.signal}))
        return
      }
      await exporter.exportService(session.engine, session.ref, {service: args.service, index: flags.index, output: flags.output, stdout: process.stdout, signal: session.signal})
    } finally {
      await session.close()
    }
  }
}
