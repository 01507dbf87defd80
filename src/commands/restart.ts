import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {lifecycleArgs, lifecycleFlags, runLifecycleCommand} from '../cli/lifecycle-command.js'

export default class Restart extends BaseCommand {
  static override summary = "Restart the project's containers."
  static override description =
    'Restarts containers in dependency order. A named service\'s dependents that declare `restart: true` on it (explicitly, or through links and shared namespaces) are restarted after it; --no-deps restarts only the named services. ' +
    'Changes to the Compose file are not applied: use `up` for that.'
  static override examples = ['<%= config.bin %> restart', '<%= config.bin %> restart -t 2 web', '<%= config.bin %> restart --no-deps db', '<%= config.bin %> restart --dry-run db']
  static override strict = false
  static override args = lifecycleArgs
  static override flags = {
    ...lifecycleFlags,
    'no-deps': Flags.boolean({description: "Don't restart dependent services (those with `restart: true` on a named one).", default: false}),
    timeout: Flags.integer({char: 't', description: 'Seconds to wait for a container to stop before killing it.', min: 0}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Restart)
    await runLifecycleCommand(this.config, 'restart', argv, flags, {timeout: flags.timeout, restartDependents: !flags['no-deps']})
  }
}
