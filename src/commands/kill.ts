import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {lifecycleArgs, lifecycleFlags, runLifecycleCommand} from '../cli/lifecycle-command.js'

export default class Kill extends BaseCommand {
  static override summary = "Send a signal to the project's running containers (SIGKILL by default)."
  static override description = 'All selected containers get the signal at once.'
  static override examples = ['<%= config.bin %> kill', '<%= config.bin %> kill -s SIGHUP web']
  static override strict = false
  static override args = lifecycleArgs
  static override flags = {
    ...lifecycleFlags,
    signal: Flags.string({char: 's', description: 'Signal to send, by name or number.', default: 'SIGKILL'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Kill)
    await runLifecycleCommand(this.config, 'kill', argv, flags, {killSignal: flags.signal})
  }
}
