/**
 * Compose hooks: a plugin's say in what gets deployed.
 *
 * - afterLoad runs after a Compose project is loaded (every command that loads one). It may read
 *   its own `x-` extension fields and return a changed Project. Hooks run one after another, core
 *   first then plugins by name, each on the previous one's result; each receives its own copy, so a
 *   hook that throws changes nothing and the command stops with an error naming the plugin.
 * - beforeDeploy runs after options are checked and before a target is called. Throw (ideally a
 *   `DeployVetoed`) to stop the deploy; nothing has been deployed at that point.
 *
 * @example
 * ```ts
 * import {definePlugin, DeployVetoed} from 'berth/sdk'
 *
 * export default definePlugin({
 *   // x-replicas: 3 at the top level sets scale on every service that has none
 *   afterLoad(project) {
 *     const n = project.extensions['x-replicas']
 *     if (typeof n !== 'number') return
 *     for (const service of Object.values(project.services)) service.scale ??= n
 *     return project
 *   },
 *   beforeDeploy(project, {target}) {
 *     if (target !== 'local' && Object.values(project.services).some((s) => s.privileged)) {
 *       throw new DeployVetoed(`privileged services may only be deployed locally`)
 *     }
 *   },
 * })
 * ```
 */
import type {Project} from '../../compose/types.js'
import {BerthError, type BerthErrorOptions} from '../../errors.js'

export interface ComposeHookContext {
  /** The name of the plugin whose hook this is. */
  plugin: string
  /** A warning line for the user. */
  warn(message: string): void
}

/** Return a Project to replace the one loaded, or nothing to keep it (changes made in place count). */
export type AfterLoadHook = (project: Project, ctx: ComposeHookContext) => Project | void | Promise<Project | void>

export interface DeployIntent {
  /** The target's name. */
  target: string
  /** The target's checked options. */
  options: Readonly<Record<string, unknown>>
  /** 'deploy' or 'remove'. */
  action: 'deploy' | 'remove'
}

/** Throw to veto. The project is read-only here. */
export type BeforeDeployHook = (project: Readonly<Project>, intent: DeployIntent, ctx: ComposeHookContext) => void | Promise<void>

/** A plugin's reason not to deploy; shown as `<plugin> vetoed deploy to <target>: <message>`. */
export class DeployVetoed extends BerthError {
  constructor(message: string, options: BerthErrorOptions = {}) {
    super('DEPLOY_VETOED', message, options)
  }
}

/** A top-level or service-level `x-` field, or undefined. */
export function extensionField(holder: {extensions?: Record<string, unknown>} | Record<string, unknown>, key: `x-${string}`): unknown {
  const ext = (holder as {extensions?: Record<string, unknown>}).extensions
  if (ext && typeof ext === 'object' && key in ext) return ext[key]
  return (holder as Record<string, unknown>)[key]
}
