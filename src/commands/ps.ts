import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Ps extends BaseCommand {
  static override summary = 'List the containers of the project.'
  static override description = 'By default only running containers; -a adds stopped and one-off (`run`) containers.'
  static override examples = ['<%= config.bin %> ps', '<%= config.bin %> ps -a --format json', '<%= config.bin %> ps --status exited', '<%= config.bin %> ps -q web']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    all: Flags.boolean({char: 'a', description: 'Show all containers, stopped and one-off ones too.', default: false}),
    quiet: Flags.boolean({char: 'q', description: 'Only print container IDs.', default: false}),
    services: Flags.boolean({description: 'Print the service names, one per line.', default: false}),
    status: Flags.string({description: 'Only containers in this state (repeatable).', multiple: true, options: ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited']}),
    filter: Flags.string({description: 'Filter by a property: status=STATE.'}),
    format: Flags.string({description: 'Output format.', options: ['table', 'json'], default: 'table'}),
    'no-trunc': Flags.boolean({description: 'Do not truncate the output.', default: false}),
    orphans: Flags.boolean({description: 'Include containers of services the Compose file does not declare (--orphans=false or --no-orphans leaves them out).', default: true, allowNo: true}),
  }

  async run(): Promise<void> {
    const [{openSession}, ps] = await Promise.all([import('../runtime/session.js'), import('../runtime/ps.js')])
    const {flags, argv} = await this.parse(Ps, ps.orphansFlag(this.argv))
    const services = (argv as string[]).filter((s) => s !== '')
    const status = [...(flags.status ?? []), ...ps.parsePsFilter(flags.filter)]
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    try {
      const rows = await ps.projectPs(session.engine, session.ref, {all: flags.all, services, status, orphans: flags.orphans, signal: session.signal})
      let text: string
      if (flags.quiet) text = rows.map((r) => r.ID).join('\n')
      else if (flags.services) text = ps.serviceNames(rows).join('\n')
      else if (flags.format === 'json') text = ps.formatPsJson(rows, {noTrunc: flags['no-trunc']})
      else text = ps.formatPsTable(rows, {noTrunc: flags['no-trunc']})
      if (text !== '') process.stdout.write(text + '\n')
    } finally {
      await session.close()
    }
  }
}
