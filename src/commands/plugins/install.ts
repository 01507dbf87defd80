import {pluginsCommand} from '../../plugins/core/plugins-command.js'

const Base = pluginsCommand('plugins:install')

export default class PluginsInstall extends Base {
  static override summary = 'Install a plugin into <%= config.bin %>.'
  static override description = `A plugin is code that runs with your user's rights, every time it is used: install only plugins you trust.
Berth installs only what you name here (from npm, a git URL, a .tgz tarball or a directory) and
nothing else; it never installs plugins on its own. Installing runs npm in Berth's data directory
(<%= config.dataDir %>), which may run the plugin's install scripts.

A plugin declares the Berth SDK versions it supports ("berth": {"sdk": "^1.0.0"} in its package.json);
one that does not match this Berth is kept installed but not loaded, with a warning.

Use the <%= config.scopedEnvVarKey('NPM_REGISTRY') %> environment variable to set the npm registry.`

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %> berth-plugin-example', description: 'Install a plugin from the npm registry.'},
    {command: '<%= config.bin %> <%= command.id %> berth-plugin-example@1.2.0', description: 'Install a given version.'},
    {command: '<%= config.bin %> <%= command.id %> ./berth-plugin-example-1.0.0.tgz', description: 'Install from a tarball made by npm pack.'},
    {command: '<%= config.bin %> <%= command.id %> ./berth-plugin-example', description: 'Install (a copy of) a plugin directory.'},
    {command: '<%= config.bin %> <%= command.id %> https://github.com/someone/berth-plugin-x.git', description: 'Install from a git URL.'},
  ]

  override async run(): Promise<void> {
    const {installSpec, ensureDataDirLink} = await import('../../plugins/core/install.js')
    const argv: string[] = []
    for (const arg of this.argv) argv.push(await installSpec(arg, this.config.dataDir))
    this.argv = argv
    try {
      await super.run()
    } finally {
      await ensureDataDirLink(this.config)
    }
  }
}
