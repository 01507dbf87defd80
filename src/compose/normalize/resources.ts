/**
 * Top-level `networks`, `volumes`, `secrets` and `configs`: full engine names
 * (`<project>_<key>` unless `name:` is given; the key itself when `external`), file paths made
 * absolute, and the small shapes docker compose always prints (`ipam: {}` on a network).
 */
import type {ModelPath} from '../source.js'
import type {Normalizer} from './context.js'
import {isRecord} from './walk.js'

function named(value: unknown, path: ModelPath, n: Normalizer): Record<string, unknown> {
  const key = String(path[path.length - 1])
  const out: Record<string, unknown> = isRecord(value) ? {...value} : {}
  if (out.name === undefined || out.name === null) {
    out.name = out.external === true ? key : `${n.ctx.projectName}_${key}`
  }
  return out
}

export function normalizeNetwork(value: unknown, path: ModelPath, n: Normalizer): unknown {
  const out = named(value, path, n)
  if (!isRecord(out.ipam)) out.ipam = {}
  return out
}

export function normalizeVolume(value: unknown, path: ModelPath, n: Normalizer): unknown {
  const out = named(value, path, n)
  // A bind-backed volume of an included project: its device was made absolute there.
  if (n.ctx.resolvePaths === false && isRecord(out.driver_opts) && typeof out.driver_opts.device === 'string') {
    out.driver_opts = {...out.driver_opts, device: n.hostPath(out.driver_opts.device)}
  }
  return out
}

/** Secrets and configs: `file` relative to the project directory. */
export function normalizeFileObject(value: unknown, path: ModelPath, n: Normalizer): unknown {
  const out = named(value, path, n)
  if (typeof out.file === 'string') out.file = n.hostPath(out.file)
  return out
}
