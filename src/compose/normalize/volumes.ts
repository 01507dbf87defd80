/**
 * Service `volumes`: short syntax (`[source:]target[:options]`) to the long form docker compose
 * prints. A source starting with `.`, `/` or `~` is a bind (made absolute, `~` expanded, with
 * `bind: {}` — create_host_path defaults to true and is printed only when false); any other source
 * is a named volume (kept by its short name, `volume: {}`); no source is an anonymous volume.
 * Options: `ro`/`rw`, `nocopy`, SELinux `z`/`Z`, mount propagation. Targets are cleaned.
 */
import {posix} from 'node:path'
import type {ModelPath} from '../source.js'
import {NormalizeCodes, type Normalizer} from './context.js'
import {isRecord} from './walk.js'

const PROPAGATIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'])

export function normalizeServiceVolumes(value: unknown, path: ModelPath, n: Normalizer): unknown {
  if (!Array.isArray(value)) return value
  const volumes = value.map((entry, i) => {
    if (typeof entry === 'string') return shortVolume(entry, [...path, i], n)
    if (isRecord(entry)) return longVolume(entry, n)
    throw n.error(NormalizeCodes.volume, [...path, i], 'a volume must be a string or a mapping')
  })
  return uniqueByTarget(volumes)
}

/**
 * One mount per target: a later entry replaces an earlier one in its place, as compose does once
 * the canonical form reveals that `./conf/:/etc/app/` and `/x:/etc/app` share a target.
 */
function uniqueByTarget(volumes: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const index = new Map<unknown, number>()
  const out: Array<Record<string, unknown>> = []
  for (const v of volumes) {
    const at = v.target === undefined ? undefined : index.get(v.target)
    if (at === undefined) {
      if (v.target !== undefined) index.set(v.target, out.length)
      out.push(v)
    } else {
      out[at] = v
    }
  }
  return out
}

function isHostPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~')
}

function cleanTarget(target: string): string {
  return target === '' ? target : posix.normalize(target).replace(/(.)\/$/, '$1')
}

export function shortVolume(spec: string, path: ModelPath, n: Normalizer): Record<string, unknown> {
  const parts = spec.split(':')
  if (parts.some((p) => p === '')) throw n.error(NormalizeCodes.volume, path, `invalid volume "${spec}": empty section between colons`)
  if (parts.length > 3) throw n.error(NormalizeCodes.volume, path, `invalid volume "${spec}": too many colons`)
  const [source, target, options] = parts.length === 1 ? [undefined, parts[0], undefined] : parts
  let readOnly = false
  let nocopy = false
  const bind: Record<string, unknown> = {}
  for (const option of options?.split(',') ?? []) {
    if (option === 'ro') readOnly = true
    else if (option === 'rw') readOnly = false
    else if (option === 'nocopy') nocopy = true
    else if (option === 'z' || option === 'Z') bind.selinux = option
    else if (PROPAGATIONS.has(option)) bind.propagation = option
  }
  const out: Record<string, unknown> = {}
  if (source !== undefined && isHostPath(source)) {
    out.type = 'bind'
    out.source = n.hostPath(source)
  } else {
    out.type = 'volume'
    if (source !== undefined) out.source = source
  }
  out.target = cleanTarget(target)
  if (readOnly) out.read_only = true
  if (out.type === 'bind') out.bind = bind
  else out.volume = nocopy ? {nocopy: true} : {}
  return out
}

function longVolume(entry: Record<string, unknown>, n: Normalizer): Record<string, unknown> {
  const out: Record<string, unknown> = {...entry}
  if (out.type === 'bind' && typeof out.source === 'string') out.source = n.hostPath(out.source)
  if (typeof out.target === 'string') out.target = cleanTarget(out.target)
  if (out.read_only === false) delete out.read_only
  if (isRecord(out.bind)) {
    const bind = {...out.bind}
    if (bind.create_host_path === true) delete bind.create_host_path
    out.bind = bind
  }
  if (isRecord(out.tmpfs)) out.tmpfs = {...out.tmpfs}
  return out
}
