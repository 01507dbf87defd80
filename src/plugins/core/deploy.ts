/**
 * Deploy, remove and status against a registered target: find it, check its options, let plugins
 * veto, then run it inside a listr2 task. Everything that can be refused is refused before the
 * target is called.
 */
import type {Project} from '../../compose/types.js'
import {BerthError, UserInputError} from '../../errors.js'
import {PluginError} from '../sdk/errors.js'
import {parseTargetOptions} from '../sdk/options.js'
import type {Target, TargetContext, TargetStatus} from '../sdk/target.js'
import {runBeforeDeploy} from './compose-hooks.js'
import {listrOptions, reporterFor} from './progress.js'
import type {PluginRegistry, Registered} from './registry.js'
import {firstLine, warnLine, type Warn} from './warn.js'

export interface TargetRun {
  registry: PluginRegistry
  target: string
  project: Project
  /** `key=value` pairs from --option. */
  optionPairs: readonly string[]
  dataDir: string
  cacheDir: string
  debug: boolean
  signal: AbortSignal
  warn?: Warn
  /** Draw nothing (tests). */
  silent?: boolean
}

export function findTarget(registry: PluginRegistry, name: string): Registered<Target> {
  const found = registry.targets.get(name)
  if (found) return found
  const names = [...registry.targets.keys()].sort()
  throw new UserInputError('TARGET_UNKNOWN', `unknown target "${name}"`, {
    hints: [names.length > 0 ? `available targets: ${names.join(', ')}` : 'no targets are registered', 'berth deploy --list-targets shows them with their options'],
  })
}

/** A target's failure, named by its plugin unless the target is Berth's own. */
function wrap(entry: Registered<Target>, action: string, error: unknown): unknown {
  if (entry.core) return error
  if (error instanceof PluginError) return error
  return new PluginError(entry.plugin, error instanceof BerthError ? error.code : 'TARGET_FAILED', `target ${entry.value.name} (plugin ${entry.plugin}) failed to ${action}: ${firstLine(error)}`, {
    cause: error,
    hints: error instanceof BerthError ? error.hints : [],
  })
}

function contextFor(run: TargetRun, warnings: string[], reporter: TargetContext['progress']): TargetContext {
  return {
    progress: reporter,
    dataDir: run.dataDir,
    cacheDir: run.cacheDir,
    signal: run.signal,
    debug: run.debug,
    warn: (message) => warnings.push(message),
  }
}

/** Deploy or remove `project` with a target, showing progress; returns the options used. */
export async function runTarget(action: 'deploy' | 'remove', run: TargetRun): Promise<Record<string, unknown>> {
  const warn = run.warn ?? warnLine
  const entry = findTarget(run.registry, run.target)
  const target = entry.value
  const options = parseTargetOptions(target.name, target.options, run.optionPairs)
  await runBeforeDeploy(run.registry, run.project, {target: target.name, options, action}, warn)

  const listr2 = await import('listr2')
  const {Listr} = listr2
  const warnings: string[] = []
  const verb = action === 'deploy' ? 'Deploying' : 'Removing'
  const prep = action === 'deploy' ? 'to' : 'from'
  const project = structuredClone(run.project)
  const listr = new Listr(
    [
      {
        title: `${verb} ${project.name} ${prep} ${target.name}`,
        task: (_ctx: unknown, task: any) => {
          const ctx = contextFor(run, warnings, reporterFor(task))
          return target[action](project, options as never, ctx) as any
        },
      },
    ],
    (run.silent ? {...listrOptions(listr2), renderer: 'silent'} : listrOptions(listr2)) as any,
  )
  try {
    await listr.run()
  } catch (error) {
    throw wrap(entry, action, error)
  } finally {
    for (const message of warnings) warn(`${target.name}: ${message}`)
  }
  return options
}

export async function targetStatus(run: Omit<TargetRun, 'optionPairs'>): Promise<TargetStatus> {
  const entry = findTarget(run.registry, run.target)
  const warnings: string[] = []
  const silent = {output() {}, title() {}, tasks() {
    throw new BerthError('TARGET_STATUS_TASKS', 'status() cannot run tasks')
  }} as unknown as TargetContext['progress']
  try {
    const status = await entry.value.status(structuredClone(run.project), contextFor({...run, optionPairs: []}, warnings, silent))
    if (typeof status !== 'object' || status === null || !Array.isArray(status.services)) {
      throw new BerthError('TARGET_STATUS_INVALID', `target ${entry.value.name}: status() must return {deployed, services: [...]}`)
    }
    return status
  } catch (error) {
    throw wrap(entry, 'report status', error)
  } finally {
    for (const message of warnings) (run.warn ?? warnLine)(`${entry.value.name}: ${message}`)
  }
}
