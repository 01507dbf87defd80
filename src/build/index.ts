/**
 * Berth's image builder: a Dockerfile parser, a build context with `.dockerignore`, and a step
 * executor with a layer cache kept in the engine. The entry point for commands and the runtime:
 *
 *   const {imageId} = await buildImage(engine, {context, dockerfile, args, target, labels, tags, noCache, pull}, progress)
 */
import type {EngineClient} from '../engine/index.js'
import type {BuildProgress} from './progress.js'
import {runBuild, type BuildRequest, type BuildResult} from './executor.js'

export type {BuildRequest, BuildResult, StepReport} from './executor.js'
export type {BuildProgress, StepInfo} from './progress.js'
export {plainProgress} from './progress.js'
export {BuildError} from './errors.js'
export {CACHE_LABEL} from './cache.js'

/** What buildImage takes: the executor's request (context, dockerfile, args, target, tags, ...). */
export type BuildImageOptions = BuildRequest

/** Builds one image; resolves with its id (tagged with every `tags` entry). */
export async function buildImage(engine: EngineClient, options: BuildImageOptions, progress?: BuildProgress): Promise<{imageId: string} & BuildResult> {
  const request: BuildRequest = {...options}
  return runBuild(engine, request, progress)
}
