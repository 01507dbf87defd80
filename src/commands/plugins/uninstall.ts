import type {Command, Config} from '@oclif/core'
import {commands} from '@oclif/plugin-plugins'

/** plugin-plugins' command class, typed by what this override uses (its flags and args are inherited). */
type PluginsCommand = Omit<typeof Command, 'prototype'> & (new (argv: string[], config: Config) => Command & {run(): Promise<unknown>})
const Base = commands['plugins:uninstall'] as unknown as PluginsCommand

/**
 * plugin-plugins' uninstall, then `berth` provided again in the data dir: npm prunes the link there on
 * every change, and restoring it here (not at the next start) leaves no window in which a plugin
 * cannot resolve berth/sdk.
 */
export default class PluginsUninstall extends Base {
  override async run(): Promise<void> {
    try {
      await super.run()
    } finally {
      const {ensureDataDirLink} = await import('../../plugins/core/install.js')
      await ensureDataDirLink(this.config)
    }
  }
}
