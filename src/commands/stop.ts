import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {lifecycleArgs, lifecycleFlags, runLifecycleCommand} from '../cli/lifecycle-command.js'

export default class Stop extends BaseCommand {
  static override summary = "Stop the project's running containers."
  static override description = 'Stops in reverse dependency order (dependents first), independent services in parallel; the containers stay and `start` brings them back.'
  static override examples = ['<%= config.bin %> stop', '<%= config.bin %> stop -t 0 web', '<%= config.bin %> --dry-run stop']
  static override strict = false
  static override args = lifecycleArgs
  static override flags = {
    ...lifecycleFlags,
    timeout: Flags.integer({char: 't', description: 'Seconds to wait for a container to stop before killing it (default: its stop_grace_period, else 10).', min: 0}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Stop)
    await runLifecycleCommand(this.config, 'stop', argv, flags, {timeout: flags.timeout})
  }
}
