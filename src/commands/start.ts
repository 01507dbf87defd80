import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {lifecycleArgs, lifecycleFlags, runLifecycleCommand} from '../cli/lifecycle-command.js'

export default class Start extends BaseCommand {
  static override summary = "Start the project's existing containers."
  static override description =
    'Starts stopped containers in dependency order, independent services in parallel. Create them first with `create` or `up`. ' +
    'With --wait, returns once they are running (and healthy when they have a healthcheck).'
  static override examples = ['<%= config.bin %> start', '<%= config.bin %> start web', '<%= config.bin %> start --wait --wait-timeout 60']
  static override strict = false
  static override args = lifecycleArgs
  static override flags = {
    ...lifecycleFlags,
    wait: Flags.boolean({description: 'Wait until the containers are running (and healthy when they have a healthcheck).', default: false}),
    'wait-timeout': Flags.integer({description: 'With --wait: give up after this many seconds.', min: 1}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Start)
    const timeoutMs = flags['wait-timeout'] ? flags['wait-timeout'] * 1000 : undefined
    await runLifecycleCommand(this.config, 'start', argv, flags, {}, flags.wait ? async (session, view, services) => {
      const {waitForServices} = await import('../runtime/ready.js')
      await waitForServices(session.engine, session.ref.name, services, {timeoutMs, signal: session.signal, progress: view.sink, onRows: (rows) => view.begin(rows)})
    } : undefined)
  }
}
