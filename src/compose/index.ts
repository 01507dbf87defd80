/**
 * The Compose loader's public entry: load a project the way docker compose does, and the pieces a
 * command or plugin may want on their own. Importing this module does no work; heavy modules
 * (yaml, the validator, the normaliser) load when a function that needs them runs.
 */
export type {LoadOptions, LoadResult} from './load.js'
export type {ProjectOptions, ResolvedProject} from './resolve.js'
export type {Project, ServiceConfig} from './types.js'
export {ComposeFileError} from './source.js'

/** Resolve, read, merge, validate and normalise a Compose project. */
export async function loadProject(options: import('./load.js').LoadOptions = {}): Promise<import('./load.js').LoadResult> {
  const {loadProject: load} = await import('./load.js')
  return load(options)
}

export {normalizeProjectName, checkProjectName} from './resolve.js'
export {serviceHash} from './hash.js'
