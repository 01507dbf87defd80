import {BaseCommand} from '../cli/base-command.js'
import {lifecycleArgs, lifecycleFlags, runLifecycleCommand} from '../cli/lifecycle-command.js'

export default class Unpause extends BaseCommand {
  static override summary = "Resume the project's paused containers."
  static override description = 'The inverse of `pause`.'
  static override examples = ['<%= config.bin %> unpause', '<%= config.bin %> unpause web']
  static override strict = false
  static override args = lifecycleArgs
  static override flags = {...lifecycleFlags}

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Unpause)
    await runLifecycleCommand(this.config, 'unpause', argv, flags)
  }
}
