/**
 * plugin-plugins' commands as Berth overrides them. `keepingBerthLink` wraps one (uninstall,
 * update) so that `berth` is provided again in the data dir right after: npm prunes that link on
 * every change, and restoring it in the same process leaves no window in which an installed
 * plugin cannot resolve berth/sdk.
 */
import type {Command, Config} from '@oclif/core'
import {commands} from '@oclif/plugin-plugins'

/** plugin-plugins' command class, typed by what an override uses (its flags and args are inherited). */
export type PluginsCommand = Omit<typeof Command, 'prototype'> & (new (argv: string[], config: Config) => Command & {run(): Promise<unknown>})

export function pluginsCommand(id: keyof typeof commands): PluginsCommand {
  return commands[id] as unknown as PluginsCommand
}

export function keepingBerthLink(id: 'plugins:uninstall' | 'plugins:update'): PluginsCommand {
  const Base = pluginsCommand(id)
  return class extends Base {
    override async run(): Promise<void> {
      try {
        await super.run()
      } finally {
        const {ensureDataDirLink} = await import('./install.js')
        await ensureDataDirLink(this.config)
      }
    }
  }
}
