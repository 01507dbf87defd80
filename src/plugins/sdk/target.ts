/**
 * Deploy targets: a target turns a loaded Project into running things somewhere — the `local`
 * engine, a swarm, a cluster, or a third party's platform. `berth deploy --target NAME` finds
 * targets through the plugin registry (every plugin's `berth:register` hook), never by import.
 *
 * @example
 * ```ts
 * import {defineTarget, option} from 'berth/sdk'
 * import {writeFile, rm} from 'node:fs/promises'
 *
 * export const snapshot = defineTarget({
 *   name: 'snapshot',
 *   description: 'Write the project as JSON to a file.',
 *   options: {out: option.string({description: 'File to write.', default: 'snapshot.json'})},
 *   async deploy(project, {out}, ctx) {
 *     return ctx.progress.tasks([{title: `write ${out}`, task: () => writeFile(out, JSON.stringify(project))}])
 *   },
 *   async remove(_project, {out}) { await rm(out, {force: true}) },
 *   async status(project) { return {deployed: true, services: Object.keys(project.services).map((name) => ({name, state: 'written'}))} },
 * })
 * ```
 */
import type {Project} from '../../compose/types.js'
import {BerthError} from '../../errors.js'
import type {OptionSpecs, OptionValues} from './options.js'
import type {Progress, TaskList} from './progress.js'
import type {ReleaseStore} from './release-store.js'

const kTarget = Symbol.for('berth.sdk.target')

/** What a target's methods receive besides the project. */
export interface TargetContext {
  /** listr2-backed progress of this operation (see progress.ts). */
  progress: Progress
  /** Berth's data directory (XDG), where a target may keep state under a folder of its name. */
  dataDir: string
  /** Berth's cache directory (XDG). */
  cacheDir: string
  /** Aborted on Ctrl-C: stop starting new work and return. */
  signal: AbortSignal
  /** A warning line for the user, shown after the progress display. */
  warn(message: string): void
  /** Whether --debug is on (say more; never print secrets). */
  debug: boolean
}

export interface ServiceStatus {
  name: string
  /** e.g. "running", "exited", "missing", "written". */
  state: string
  detail?: string
}

export interface TargetStatus {
  /** Whether anything of this project exists on the target. */
  deployed: boolean
  services: ServiceStatus[]
  /** One line shown under the table, e.g. where the project was deployed. */
  message?: string
}

type Result = void | TaskList | Promise<void | TaskList>

export interface TargetDefinition<S extends OptionSpecs = OptionSpecs> {
  /** Lowercase name used with --target: letters, digits and '-'. */
  name: string
  /** One line for `berth deploy --list-targets`. */
  description: string
  /** Options taken as `--option key=value`, declared with the `option` helpers. */
  options?: S
  deploy(project: Project, options: OptionValues<S>, ctx: TargetContext): Result
  remove(project: Project, options: OptionValues<S>, ctx: TargetContext): Result
  status(project: Project, ctx: TargetContext): TargetStatus | Promise<TargetStatus>
  /** Where release history for this target is kept; default: files under the data dir. */
  releaseStore?(ctx: {dataDir: string}): ReleaseStore
}

/** A target as the registry holds it; `options` always present. */
export type Target<S extends OptionSpecs = OptionSpecs> = Readonly<TargetDefinition<S> & {options: S}> & {readonly [kTarget]: true}

const TARGET_NAME = /^[a-z][a-z0-9-]{0,62}$/

/** Check and freeze a target definition. Throws when the definition is unusable. */
export function defineTarget<S extends OptionSpecs = Record<never, never>>(definition: TargetDefinition<S>): Target<S> {
  const problem = targetProblem(definition)
  if (problem) throw new BerthError('TARGET_INVALID', problem)
  return Object.freeze({...definition, options: (definition.options ?? {}) as S, [kTarget]: true as const})
}

/** Why `value` is not a usable target, or undefined. Works for targets from any copy of the SDK. */
export function targetProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a target must be an object made with defineTarget()'
  const t = value as Partial<TargetDefinition>
  if (typeof t.name !== 'string' || !TARGET_NAME.test(t.name)) return `target name ${JSON.stringify(t.name)} must be lowercase letters, digits and '-', starting with a letter`
  for (const method of ['deploy', 'remove', 'status'] as const) {
    if (typeof t[method] !== 'function') return `target ${t.name} has no ${method}() function`
  }
  if (t.options !== undefined && (typeof t.options !== 'object' || t.options === null)) return `target ${t.name}: options must be an object of option.* declarations`
  return undefined
}

export function isTarget(value: unknown): value is Target {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kTarget] === true
}
