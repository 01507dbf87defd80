import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, refuseDryRun} from '../cli/project-flags.js'

export default class Deploy extends BaseCommand {
  static override summary = 'Deploy the project to a target (local, or one a plugin adds).'
  static override description = `Loads the Compose project, lets plugins check it, then hands it to the target.
Targets come from plugins through the plugin registry; "local" is this host's Docker Engine.
Target options are given as --option key=value; --list-targets shows every target and its options.`

  static override examples = [
    '<%= config.bin %> deploy --target local',
    '<%= config.bin %> deploy --target example --option file=out.json',
    '<%= config.bin %> deploy --list-targets',
  ]

  static override flags = {
    ...projectFlags,
    target: Flags.string({char: 't', description: 'Target to deploy to (see --list-targets).', exclusive: ['list-targets']}),
    option: Flags.string({char: 'o', multiple: true, multipleNonGreedy: true, description: 'Target option as key=value (repeatable).'}),
    'list-targets': Flags.boolean({description: 'List the registered targets and their options, then exit.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Deploy)
    await refuseDryRun(flags, 'deploy')
    const {deployCommand} = await import('../plugins/core/commands.js')
    await deployCommand(this, 'deploy', flags)
  }
}
