import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {projectFlags} from '../../cli/project-flags.js'

export default class DeployStatus extends BaseCommand {
  static override summary = "Show the project's state on a target."
  static override examples = ['<%= config.bin %> deploy status --target example', '<%= config.bin %> deploy status --target local --format json']

  static override flags = {
    ...projectFlags,
    target: Flags.string({char: 't', description: 'Target to ask.', required: true}),
    format: Flags.string({description: 'Output format.', options: ['table', 'json'], default: 'table'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(DeployStatus)
    const {statusCommand} = await import('../../plugins/core/commands.js')
    await statusCommand(this, flags)
  }
}
