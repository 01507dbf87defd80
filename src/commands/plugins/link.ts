import {pluginsCommand} from '../../plugins/core/plugins-command.js'

const Base = pluginsCommand('plugins:link')

export default class PluginsLink extends Base {
  static override summary = 'Link a plugin directory into <%= config.bin %> (for plugin development).'
  static override description = `The plugin runs from its directory, so changes show at once. A plugin is code that runs with your
user's rights: link only code you trust. When the plugin cannot already resolve "berth", Berth links
itself into the plugin's node_modules/berth so that "import ... from 'berth/sdk'" works.`

  override async run(): Promise<void> {
    // Plugins run as the JavaScript they ship (no ts-node lookups, no "linked ESM" warnings).
    const {settings} = await import('@oclif/core')
    settings.enableAutoTranspile ??= false
    // Before plugin-plugins loads the plugin (which may import its commands to list them).
    const path = this.argv.find((a) => !a.startsWith('-')) ?? '.'
    const {hasDependencies, linkBerthInto} = await import('../../plugins/core/install.js')
    const linked = await linkBerthInto(path, this.config.root)
    if (linked) this.log(`linked ${linked} -> ${this.config.root} so the plugin can import berth/sdk`)
    // Nothing to install: skip plugin-plugins' npm step (and its "no lockfile" warning).
    if (!this.argv.some((a) => a === '--install' || a === '--no-install') && !(await hasDependencies(path))) this.argv.push('--no-install')
    await super.run()
  }
}
