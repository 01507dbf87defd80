import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Events extends BaseCommand {
  static override summary = 'Stream the project\'s container events.'
  static override description = 'Runs until Ctrl-C (or --until). One-off containers are left out.'
  static override examples = ['<%= config.bin %> events', '<%= config.bin %> events --json web']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    json: Flags.boolean({description: 'One JSON object per line.', default: false}),
    since: Flags.string({description: 'Show events since a timestamp or a relative time (10m).'}),
    until: Flags.string({description: 'Stop at a timestamp or a relative time.'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Events)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, events] = await Promise.all([import('../runtime/session.js'), import('../runtime/events.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    try {
      await events.projectEvents(session.engine, session.ref, {
        services,
        since: flags.since,
        until: flags.until,
        onEvent: (e) => process.stdout.write((flags.json ? events.formatEventJson(e) : events.formatEventText(e)) + '\n'),
        signal: session.signal,
      })
    } finally {
      await session.close().catch(() => undefined)
    }
  }
}
