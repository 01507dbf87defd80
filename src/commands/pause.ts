import {BaseCommand} from '../cli/base-command.js'
import {lifecycleArgs, lifecycleFlags, runLifecycleCommand} from '../cli/lifecycle-command.js'

export default class Pause extends BaseCommand {
  static override summary = "Pause the project's running containers."
  static override description = 'Freezes every process of the selected containers (cgroup freezer); `unpause` resumes them.'
  static override examples = ['<%= config.bin %> pause', '<%= config.bin %> pause web']
  static override strict = false
  static override args = lifecycleArgs
  static override flags = {...lifecycleFlags}

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Pause)
    await runLifecycleCommand(this.config, 'pause', argv, flags)
  }
}
