import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Images extends BaseCommand {
  static override summary = 'List the images used by the project\'s containers.'
  static override examples = ['<%= config.bin %> images', '<%= config.bin %> images -q', '<%= config.bin %> images --format json']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    quiet: Flags.boolean({char: 'q', description: 'Only print image IDs.', default: false}),
    format: Flags.string({description: 'Output format.', options: ['table', 'json'], default: 'table'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Images)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, images] = await Promise.all([import('../runtime/session.js'), import('../runtime/images.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    try {
      const rows = await images.projectImages(session.engine, session.ref, {services, signal: session.signal})
      if (flags.quiet) {
        const ids = [...new Set(rows.map((r) => r.ID.replace(/^sha256:/, '')))]
        if (ids.length > 0) process.stdout.write(ids.join('\n') + '\n')
      } else if (flags.format === 'json') {
        process.stdout.write(images.formatImagesJson(rows) + '\n')
      } else {
        process.stdout.write(images.formatImagesTable(rows) + '\n')
      }
    } finally {
      await session.close()
    }
  }
}
