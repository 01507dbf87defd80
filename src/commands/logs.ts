import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'

export default class Logs extends BaseCommand {
  static override summary = "Show the output of the project's containers."
  static override description =
    'Lines of all selected containers are merged, each behind a coloured `service-1 |` prefix. With -f it keeps following, picks up containers that start later, and ends when the project stops.'
  static override examples = ['<%= config.bin %> logs', '<%= config.bin %> logs -f --tail 10 web', '<%= config.bin %> logs --since 10m -t', '<%= config.bin %> logs --index 2 worker']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    // `logs -f` is --follow, as in docker compose; the Compose file is --file here.
    file: Flags.string({multiple: true, multipleNonGreedy: true, helpGroup: 'PROJECT', description: 'Compose configuration file (repeatable).'}),
    follow: Flags.boolean({char: 'f', description: 'Follow the output.', default: false}),
    tail: Flags.string({char: 'n', description: 'Lines from the end of each container\'s log ("all" or a number).', default: 'all'}),
    since: Flags.string({description: 'Logs since a timestamp (2026-01-02T15:04:05Z) or a relative time (42m).'}),
    until: Flags.string({description: 'Logs before a timestamp or a relative time.'}),
    timestamps: Flags.boolean({char: 't', description: 'Show timestamps.', default: false}),
    'no-color': Flags.boolean({description: 'Monochrome output.', default: false}),
    'no-log-prefix': Flags.boolean({description: 'Do not print the container name prefix.', default: false}),
    index: Flags.integer({description: 'Only the container with this number when the service has several (needs one SERVICE).', min: 1}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Logs)
    const services = (argv as string[]).filter((s) => s !== '')
    const tail = flags.tail === 'all' || flags.tail === '-1' ? undefined : Number(flags.tail)
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new UserInputError('BAD_TAIL', `--tail must be "all" or a number of lines, not "${flags.tail}"`)
    const [{openSession}, {projectLogs}, {colorEnabled}] = await Promise.all([import('../runtime/session.js'), import('../runtime/project-logs.js'), import('../cli/output.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    try {
      await projectLogs(session.engine, session.ref, {
        services,
        index: flags.index,
        follow: flags.follow,
        tail,
        since: flags.since,
        until: flags.until,
        timestamps: flags.timestamps,
        color: !flags['no-color'] && colorEnabled(process.stdout),
        prefix: !flags['no-log-prefix'],
        out: process.stdout,
        signal: session.signal,
      })
    } finally {
      await session.close()
    }
  }
}
