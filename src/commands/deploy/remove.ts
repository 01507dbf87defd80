import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {projectFlags, refuseDryRun} from '../../cli/project-flags.js'

export default class DeployRemove extends BaseCommand {
  static override summary = 'Remove what `berth deploy` put on a target.'
  static override examples = ['<%= config.bin %> deploy remove --target example', '<%= config.bin %> deploy remove --target local --option volumes=true']

  static override flags = {
    ...projectFlags,
    target: Flags.string({char: 't', description: 'Target to remove the project from.', required: true}),
    option: Flags.string({char: 'o', multiple: true, multipleNonGreedy: true, description: 'Target option as key=value (repeatable).'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(DeployRemove)
    await refuseDryRun(flags, 'deploy remove')
    const {deployCommand} = await import('../../plugins/core/commands.js')
    await deployCommand(this, 'remove', flags)
  }
}
