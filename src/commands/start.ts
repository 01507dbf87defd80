import {BaseCommand} from '../cli/base-command.js'
import {lifecycleArgs, lifecycleFlags, runLifecycleCommand} from '../cli/lifecycle-command.js'

export default class Start extends BaseCommand {
  static override summary = "Start the project's existing containers."
  static override description = 'Starts stopped containers in dependency order, independent services in parallel. Create them first with `up`.'
  static override examples = ['<%= config.bin %> start', '<%= config.bin %> start web']
  static override strict = false
  static override args = lifecycleArgs
  static override flags = {...lifecycleFlags}

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Start)
    await runLifecycleCommand(this.config, 'start', argv, flags)
  }
}
