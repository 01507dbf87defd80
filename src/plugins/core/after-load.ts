/**
 * The after-load stage every Compose command runs: plugins' compose hooks on a freshly loaded
 * project. Kept apart from the registry and health modules so that a command pays for them only
 * when a third-party plugin registers extensions.
 */
import type {Config} from '@oclif/core'
import type {Project} from '../../compose/types.js'
import type {Warn} from './warn.js'

/** Whether any plugin besides Berth itself registers extensions (in-tree plugins add no compose hooks). */
export function hasThirdPartyExtensions(config: Config): boolean {
  for (const plugin of config.plugins.values()) {
    if (plugin.name !== config.name && (plugin.hooks['berth:register']?.length ?? 0) > 0) return true
  }
  return false
}

/**
 * The project after plugins' after-load hooks (`x-` fields expanded, ...). Costs nothing when no
 * third-party plugin registers extensions. Throws a PluginError naming a plugin whose hook fails.
 */
export async function applyPluginHooks(config: Config, project: Project, warn?: Warn): Promise<Project> {
  if (!hasThirdPartyExtensions(config)) return project
  const [{loadRegistry}, {applyAfterLoad}] = await Promise.all([import('./registry.js'), import('./compose-hooks.js')])
  const registry = await loadRegistry(config, warn)
  return applyAfterLoad(registry, project, warn)
}
