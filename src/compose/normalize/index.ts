/**
 * Normalise a merged, interpolated, validated Compose model into the canonical Project: long
 * syntax everywhere, paths absolute, names full, profiles applied, references checked — the same
 * document `docker compose config` prints. The work is the ordered rule table in rules.ts.
 */
import {BerthError} from '../../errors.js'
import {buildGraph, GraphCodes} from '../graph.js'
import type {Project, ServiceConfig} from '../types.js'
import {Normalizer, type Model, type NormalizeContext} from './context.js'
import {NORMALIZE_RULES} from './rules.js'
import {applyRules, isRecord} from './walk.js'

export type {NormalizeContext} from './context.js'
export {NormalizeCodes} from './context.js'
export {renderDocument, toComposeDocument} from './document.js'

/** Top-level keys the loader has already used up. */
const CONSUMED = ['version', 'include', 'name']

export function normalizeProject(model: Record<string, unknown>, ctx: NormalizeContext): Project {
  const working = structuredClone(model) as Model
  for (const key of CONSUMED) delete working[key]
  const n = new Normalizer(ctx)
  applyRules(working, NORMALIZE_RULES, n)

  const services: Record<string, ServiceConfig> = {}
  const disabledServices: Record<string, ServiceConfig> = {}
  for (const [name, service] of Object.entries(section(working.services))) {
    const bound = {...(service as object), name} as ServiceConfig
    if (n.disabled.has(name)) disabledServices[name] = bound
    else services[name] = bound
  }
  const extensions: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(working)) if (key.startsWith('x-')) extensions[key] = value

  // a dependency cycle is an error at load time, as in docker compose (not with --no-consistency)
  if (ctx.consistency !== false) {
    try {
      buildGraph({services, disabledServices}, {sourceOf: ctx.sourceOf})
    } catch (error) {
      if (!(ctx.lenient && error instanceof BerthError && error.code === GraphCodes.unknownService)) throw error
    }
  }

  return {
    name: ctx.projectName,
    workingDir: ctx.workingDir,
    configFiles: ctx.configFiles ?? [],
    services,
    disabledServices,
    networks: section(working.networks) as Project['networks'],
    volumes: section(working.volumes) as Project['volumes'],
    secrets: section(working.secrets) as Project['secrets'],
    configs: section(working.configs) as Project['configs'],
    ...(isRecord(working.models) ? {models: working.models} : {}),
    extensions,
    environment: ctx.environment,
    profiles: ctx.profiles,
  }
}

function section(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {}
}
