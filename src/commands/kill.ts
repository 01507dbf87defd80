import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {lifecycleArgs, lifecycleFlags, runLifecycleCommand} from '../cli/lifecycle-command.js'

export default class Kill extends BaseCommand {
  static override summary = "Send a signal to the project's running containers (SIGKILL by default)."
  static override description = 'All selected containers get the signal at once. With --remove-orphans, the containers of services that are not in the Compose file are then removed.'
  static override examples = ['<%= config.bin %> kill', '<%= config.bin %> kill -s SIGHUP web', '<%= config.bin %> kill --remove-orphans']
  static override strict = false
  static override args = lifecycleArgs
  static override flags = {
    ...lifecycleFlags,
    signal: Flags.string({char: 's', description: 'Signal to send, by name or number.', default: 'SIGKILL'}),
    'remove-orphans': Flags.boolean({description: 'Remove containers of services that are not in the Compose file.', default: false}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Kill)
    await runLifecycleCommand(this.config, 'kill', argv, flags, {killSignal: flags.signal, removeOrphans: flags['remove-orphans']})
  }
}
