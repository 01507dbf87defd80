import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Volumes extends BaseCommand {
  static override summary = "List the project's volumes."
  static override description = 'With services named, only the volumes they mount. --format takes table, json, "table TEMPLATE" or a TEMPLATE such as "{{.Name}} {{.Mountpoint}}".'
  static override examples = ['<%= config.bin %> volumes', '<%= config.bin %> volumes -q db', '<%= config.bin %> volumes --format json', '<%= config.bin %> volumes --format "{{.Name}}\\t{{.Label \\"com.docker.compose.volume\\"}}"']
  static override strict = false
  static override args = {service: Args.string({description: 'Only the volumes of these services.', required: false})}
  static override flags = {
    ...projectFlags,
    quiet: Flags.boolean({char: 'q', description: 'Only print the volume names.', default: false}),
    format: Flags.string({description: 'table, json, "table TEMPLATE" or a TEMPLATE ({{.Name}}, {{.Driver}}, {{.Mountpoint}}, {{.Labels}}, ...).', default: 'table'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Volumes)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, volumes, {parseFormat, renderItems}] = await Promise.all([import('../runtime/session.js'), import('../runtime/volumes.js'), import('../runtime/template-format.js')])
    const format = parseFormat(flags.format, volumes.VOLUMES_SCHEMA)
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    try {
      const list = await volumes.projectVolumes(session.engine, session.ref, {services, signal: session.signal})
      if (flags.quiet) process.stdout.write(list.map((v) => v.Name + '\n').join(''))
      else process.stdout.write(renderItems(format, list.map(volumes.volumeItem), volumes.VOLUMES_SCHEMA))
    } finally {
      await session.close()
    }
  }
}
