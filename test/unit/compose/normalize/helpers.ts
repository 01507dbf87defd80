/** Small inline models for the normaliser tests: YAML text -> normalised Project. */
import {parse} from 'yaml'
import {normalizeProject, type NormalizeContext} from '../../../../src/compose/normalize/index.js'
import type {Project, ServiceConfig} from '../../../../src/compose/types.js'

export const WORKDIR = '/srv/app'

export function normalizeYaml(text: string, ctx: Partial<NormalizeContext> = {}): Project {
  const model = parse(text, {merge: true}) as Record<string, unknown>
  return normalizeProject(model, {projectName: 'demo', workingDir: WORKDIR, environment: {}, profiles: [], homeDir: '/home/me', ...ctx})
}

/** The one service `app` of a model. */
export function app(text: string, ctx: Partial<NormalizeContext> = {}): ServiceConfig {
  return normalizeYaml(text, ctx).services.app
}

/** Runs `fn` and returns the error it throws (fails when it does not throw). */
export function thrown(fn: () => unknown): Error & {code?: string} {
  try {
    fn()
  } catch (error) {
    return error as Error & {code?: string}
  }
  throw new Error('expected an error')
}
