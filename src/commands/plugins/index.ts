import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'

export default class PluginsIndex extends BaseCommand {
  static override summary = 'List installed plugins, and which are broken.'
  static override description = `Shows plugins installed with "berth plugins install" or linked with "berth plugins link".
A plugin that cannot be loaded (its Berth SDK range excludes this Berth, a dependency is missing, or it
failed to load) is marked broken with the reason; Berth works without it until it is fixed or uninstalled.`

  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> plugins', '<%= config.bin %> plugins --core']
  static override flags = {
    core: Flags.boolean({description: 'Show core plugins too.'}),
  }

  async run(): Promise<unknown> {
    const {flags} = await this.parse(PluginsIndex)
    const {listPlugins, formatPluginList} = await import('../../plugins/core/list.js')
    const rows = await listPlugins(this.config, {core: flags.core})
    if (!this.jsonEnabled()) this.log(formatPluginList(rows))
    return rows
  }
}
