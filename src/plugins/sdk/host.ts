/**
 * What a plugin's commands ask of the running Berth: the project named by the shared project
 * flags (with every plugin's after-load hooks applied), a target by name (through the registry,
 * never by import), and the release store kept for a target.
 *
 * @example
 * ```ts
 * import {BerthCommand, Flags, projectFlags, loadProject, getTarget, releaseStoreFor} from 'berth/sdk'
 *
 * export default class Install extends BerthCommand {
 *   static override flags = {...projectFlags, target: Flags.string({default: 'local'})}
 *   async run(): Promise<void> {
 *     const {flags} = await this.parse(Install)
 *     const project = await loadProject(this.config, flags)
 *     const target = await getTarget(this.config, flags.target)
 *     const releases = releaseStoreFor(target, {dataDir: this.config.dataDir})
 *     const last = await releases.get(project.name)
 *     this.log(`${project.name}: revision ${(last?.revision ?? 0) + 1} on ${target.name}`)
 *   }
 * }
 * ```
 */
import type {Config} from '@oclif/core'
import {join} from 'node:path'
import type {ProjectFlagValues} from '../../cli/project-flags.js'
import type {Project} from '../../compose/types.js'
import {FileReleaseStore, type ReleaseStore} from './release-store.js'
import type {Target} from './target.js'

export {projectFlags, type ProjectFlagValues} from '../../cli/project-flags.js'

/** Load the project the flags name (-f, -p, --project-directory, --env-file, --profile), after plugins' hooks. */
export async function loadProject(config: Config, flags: ProjectFlagValues): Promise<Project> {
  const [{loadProjectFromFlags}, {applyPluginHooks}] = await Promise.all([import('../../cli/project-flags.js'), import('../core/index.js')])
  const {UserInputError} = await import('../../errors.js')
  const result = await loadProjectFromFlags(flags, undefined)
  if (!result.project) throw new UserInputError('PROJECT_NOT_LOADED', 'no project was loaded')
  return applyPluginHooks(config, result.project)
}

/** A registered target by name; an unknown name is a user error listing the known ones. */
export async function getTarget(config: Config, name: string): Promise<Target> {
  const [{loadRegistry}, {findTarget}] = await Promise.all([import('../core/registry.js'), import('../core/deploy.js')])
  return findTarget(await loadRegistry(config), name).value
}

/** The target's own release store, or files under `<dataDir>/releases/<target>`. */
export function releaseStoreFor(target: Pick<Target, 'name' | 'releaseStore'>, ctx: {dataDir: string}): ReleaseStore {
  return target.releaseStore?.(ctx) ?? new FileReleaseStore(join(ctx.dataDir, 'releases', target.name))
}
