/**
 * Running compose hooks. afterLoad hooks run in registry order, each on its own copy of the
 * previous result, so a hook that throws leaves the caller's project untouched. beforeDeploy
 * hooks all run (on one frozen copy) before a target is called; the first failure in registry
 * order vetoes.
 */
import type {Project} from '../../compose/types.js'
import {BerthError} from '../../errors.js'
import type {ComposeHookContext, DeployIntent} from '../sdk/compose-hooks.js'
import {PluginError} from '../sdk/errors.js'
import type {PluginRegistry} from './registry.js'
import {firstLine, warnLine, type Warn} from './warn.js'

function context(plugin: string, warn: Warn): ComposeHookContext {
  return {plugin, warn: (message) => warn(`${plugin}: ${message}`)}
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

function looksLikeProject(value: unknown): value is Project {
  if (typeof value !== 'object' || value === null) return false
  const p = value as Partial<Project>
  return typeof p.name === 'string' && typeof p.services === 'object' && p.services !== null
}

/** The project after every plugin's afterLoad hook. */
export async function applyAfterLoad(registry: PluginRegistry, project: Project, warn: Warn = warnLine): Promise<Project> {
  let current = project
  for (const {plugin, value: hook} of registry.afterLoad) {
    const copy = structuredClone(current)
    let result: Project | void
    try {
      result = await hook(copy, context(plugin, warn))
    } catch (error) {
      throw new PluginError(plugin, error instanceof BerthError ? error.code : 'PLUGIN_HOOK_FAILED', `plugin ${plugin}: after-load hook failed: ${firstLine(error)}`, {
        cause: error,
        hints: error instanceof BerthError ? error.hints : [],
        context: error instanceof BerthError ? error.context : undefined,
      })
    }
    const next = result ?? copy
    if (!looksLikeProject(next)) {
      throw new PluginError(plugin, 'PLUGIN_HOOK_FAILED', `plugin ${plugin}: after-load hook returned something that is not a project`)
    }
    current = next
  }
  return current
}

/** Throws a PluginError when a plugin vetoes or its hook fails. */
export async function runBeforeDeploy(registry: PluginRegistry, project: Project, intent: DeployIntent, warn: Warn = warnLine): Promise<void> {
  if (registry.beforeDeploy.length === 0) return
  const frozen = deepFreeze(structuredClone(project))
  const frozenIntent = deepFreeze(structuredClone(intent))
  const results = await Promise.allSettled(registry.beforeDeploy.map(({plugin, value: hook}) => Promise.resolve().then(() => hook(frozen, frozenIntent, context(plugin, warn)))))
  for (const [i, result] of results.entries()) {
    if (result.status === 'fulfilled') continue
    const {plugin} = registry.beforeDeploy[i]!
    const error: unknown = result.reason
    const vetoed = error instanceof BerthError && error.code === 'DEPLOY_VETOED'
    const what = intent.action === 'remove' ? 'removal from' : 'deploy to'
    throw new PluginError(
      plugin,
      vetoed ? 'DEPLOY_VETOED' : 'PLUGIN_HOOK_FAILED',
      vetoed ? `plugin ${plugin} vetoed ${what} ${intent.target}: ${firstLine(error)}` : `plugin ${plugin}: before-deploy hook failed: ${firstLine(error)}`,
      {cause: error, hints: error instanceof BerthError ? error.hints : []},
    )
  }
}
