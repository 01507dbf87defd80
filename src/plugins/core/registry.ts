/**
 * The plugin registry: what every plugin (the core's in-tree ones first, then third-party ones
 * by name) adds through its `berth:register` hook — targets and compose hooks. Built once per
 * process with `config.runHook`, never by importing a plugin. A plugin whose hook throws (on
 * import or when called) or returns something unusable is reported in one warning naming it and
 * left out; the rest of Berth works.
 */
import type {Config} from '@oclif/core'
import type {AfterLoadHook, BeforeDeployHook} from '../sdk/compose-hooks.js'
import type {PluginDefinition} from '../sdk/plugin.js'
import {targetProblem, type Target} from '../sdk/target.js'
import {SDK_VERSION} from '../sdk/version.js'
import {firstLine, warnLine, type Warn} from './warn.js'

export interface Registered<T> {
  /** The npm name of the plugin that registered it. */
  plugin: string
  /** Whether that plugin is Berth itself. */
  core: boolean
  value: T
}

export interface PluginRegistry {
  targets: Map<string, Registered<Target>>
  afterLoad: Registered<AfterLoadHook>[]
  beforeDeploy: Registered<BeforeDeployHook>[]
  /** Plugins left out (failed to load, or registered something unusable), each warned about once. */
  problems: Array<{plugin: string; message: string}>
}

/** A registration as the core receives it: which plugin, and what its hook returned. */
export interface Registration {
  plugin: string
  core: boolean
  definition: unknown
}

function definitionProblem(definition: unknown): string | undefined {
  if (typeof definition !== 'object' || definition === null) return 'its berth:register hook must return definePlugin({...})'
  const d = definition as Record<string, unknown>
  if (d.targets !== undefined && !Array.isArray(d.targets)) return 'targets must be an array of defineTarget(...)'
  for (const key of ['afterLoad', 'beforeDeploy']) {
    if (d[key] !== undefined && typeof d[key] !== 'function') return `${key} must be a function`
  }
  for (const target of (d.targets as unknown[] | undefined) ?? []) {
    const problem = targetProblem(target)
    if (problem) return problem
  }
  return undefined
}

/** Build a registry from registrations (pure; `loadRegistry` feeds it from oclif). */
export function buildRegistry(registrations: Registration[], warn: Warn = warnLine): PluginRegistry {
  const ordered = [...registrations].sort((a, b) => (a.core === b.core ? (a.plugin < b.plugin ? -1 : a.plugin > b.plugin ? 1 : 0) : a.core ? -1 : 1))
  const registry: PluginRegistry = {targets: new Map(), afterLoad: [], beforeDeploy: [], problems: []}
  for (const {plugin, core, definition} of ordered) {
    const problem = definitionProblem(definition)
    if (problem) {
      registry.problems.push({plugin, message: problem})
      warn(`plugin ${plugin} is skipped: ${problem}`)
      continue
    }
    const d = definition as PluginDefinition
    for (const target of d.targets ?? []) {
      const existing = registry.targets.get(target.name)
      if (existing) {
        warn(`plugin ${plugin}: target "${target.name}" is already defined by ${existing.plugin}; keeping that one`)
        continue
      }
      registry.targets.set(target.name, {plugin, core, value: {...target, options: target.options ?? {}} as Target})
    }
    if (d.afterLoad) registry.afterLoad.push({plugin, core, value: d.afterLoad})
    if (d.beforeDeploy) registry.beforeDeploy.push({plugin, core, value: d.beforeDeploy})
  }
  return registry
}

const registries = new WeakMap<Config, Promise<PluginRegistry>>()

/** The registry for this CLI run (built on first use). */
export function loadRegistry(config: Config, warn: Warn = warnLine): Promise<PluginRegistry> {
  let registry = registries.get(config)
  if (!registry) {
    registry = collect(config, warn)
    registries.set(config, registry)
  }
  return registry
}

async function collect(config: Config, warn: Warn): Promise<PluginRegistry> {
  const result = await config.runHook('berth:register', {sdkVersion: SDK_VERSION}, undefined, true)
  const rootName = config.name
  const failures = result.failures.map(({plugin, error}) => ({plugin: plugin.name, message: `failed to load: ${firstLine(error)}`}))
  for (const {plugin, message} of failures) warn(`plugin ${plugin} ${message}; Berth runs without it`)
  const registry = buildRegistry(
    result.successes.map(({plugin, result}) => ({plugin: plugin.name, core: plugin.name === rootName, definition: result})),
    warn,
  )
  registry.problems.unshift(...failures)
  return registry
}
