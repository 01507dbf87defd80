import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {lifecycleArgs, lifecycleFlags, runLifecycleCommand} from '../cli/lifecycle-command.js'

export default class Restart extends BaseCommand {
  static override summary = "Restart the project's containers."
  static override description = 'Restarts containers in dependency order. Changes to the Compose file are not applied: use `up` for that.'
  static override examples = ['<%= config.bin %> restart', '<%= config.bin %> restart -t 2 web']
  static override strict = false
  static override args = lifecycleArgs
  static override flags = {
    ...lifecycleFlags,
    timeout: Flags.integer({char: 't', description: 'Seconds to wait for a container to stop before killing it.', min: 0}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Restart)
    await runLifecycleCommand(this.config, 'restart', argv, flags, {timeout: flags.timeout})
  }
}
