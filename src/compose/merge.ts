/**
 * Merging Compose models: several `-f` files, a service with the service it `extends`, and an
 * included resource with a local definition of the same name. Rules of the Compose Specification
 * (13-merge.md) as docker compose applies them:
 *
 * - mappings merge by key, a later scalar replaces an earlier one, a later `null` keeps the earlier
 *   value; sequences append;
 * - `command`, `entrypoint`, `healthcheck.test` are replaced, never appended;
 * - `environment`, `labels`, `annotations`, `sysctls`, `build.args`, ... merge by key, whether
 *   written as a mapping or as a `KEY=VALUE` list;
 * - `depends_on` and service `networks` merge by name (list form becomes the mapping form);
 * - unique resources: `ports` (ip, published, target, protocol), `volumes` (target), `secrets`
 *   and `configs` (target), `devices` (target), `expose`, `dns`, `cap_add`, ... keep one entry per
 *   key, the later definition taking the earlier one's place;
 * - `!reset` removes the earlier value, `!override` replaces it.
 *
 * Each rule is a row of an ordered table keyed by a path pattern.
 */
import {BerthError} from '../errors.js'
import type {ModelPath} from './source.js'
import type {MergeDirectives, Origin, Origins} from './parse.js'

type Path = readonly string[]
type Merger = (base: unknown, overlay: unknown, path: Path, ctx: MergeContext) => unknown

export interface MergeContext {
  origins?: Origins
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

function matches(pattern: readonly string[], path: Path): boolean {
  if (pattern.length !== path.length) return false
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== '*' && pattern[i] !== path[i]) return false
  return true
}

const rule = <F>(pattern: string, fn: F): readonly [string[], F] => [pattern.split('.'), fn]

// -----------------------------------------------------------------------------------------------
// Mergers

const replace: Merger = (_base, overlay) => overlay

/** `KEY=VALUE` list or mapping -> ordered mapping (a bare `KEY` maps to null). */
function toKeyValues(value: unknown): Array<[string, unknown]> {
  if (value === null || value === undefined) return []
  if (isMap(value)) return Object.entries(value)
  const list = Array.isArray(value) ? value : [value]
  return list.map((item) => {
    const text = String(item)
    const eq = text.indexOf('=')
    return eq < 0 ? [text, null] : [text.slice(0, eq), text.slice(eq + 1)]
  })
}

const mergeKeyValues: Merger = (base, overlay, _path, ctx) => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of toKeyValues(base)) out[k] = v
  for (const [k, v] of toKeyValues(overlay)) out[k] = v
  ctx.origins?.inherit(out, base, overlay)
  return out
}

/** extra_hosts: entries append, exact duplicates dropped (a host may have several addresses). */
function toHostEntries(value: unknown): unknown[] {
  if (value === null || value === undefined) return []
  if (isMap(value)) {
    const out: string[] = []
    for (const [host, ip] of Object.entries(value)) {
      if (Array.isArray(ip)) for (const one of ip) out.push(`${host}=${one}`)
      else out.push(ip === null ? host : `${host}=${ip}`)
    }
    return out
  }
  return Array.isArray(value) ? value : [value]
}

function hostKey(entry: unknown): string {
  const text = String(entry)
  const eq = text.indexOf('=')
  if (eq >= 0) return `${text.slice(0, eq)}=${text.slice(eq + 1)}`
  const colon = text.indexOf(':')
  return colon < 0 ? text : `${text.slice(0, colon)}=${text.slice(colon + 1)}`
}

const mergeExtraHosts: Merger = (base, overlay, _path, ctx) => {
  const left = toHostEntries(base)
  const seen = new Set(left.map(hostKey))
  const out = [...left]
  for (const entry of toHostEntries(overlay)) {
    const key = hostKey(entry)
    if (!seen.has(key)) {
      seen.add(key)
      out.push(entry)
    }
  }
  ctx.origins?.inherit(out, base, overlay)
  return out
}

function toMapping(value: unknown, defaults?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined
  if (isMap(value)) return value
  if (Array.isArray(value)) {
    const out: Record<string, unknown> = {}
    for (const name of value) out[String(name)] = defaults ? {...defaults} : null
    return out
  }
  return undefined
}

const byName =
  (defaults?: Record<string, unknown>): Merger =>
  (base, overlay, path, ctx) => {
    const b = toMapping(base, defaults)
    const o = toMapping(overlay, defaults)
    if (!b) return o ?? overlay
    if (!o) return b
    const out = mergeMappings(b, o, path, ctx)
    ctx.origins?.inherit(out, base, overlay)
    return out
  }

const mergeBuild: Merger = (base, overlay, path, ctx) => {
  const toBuild = (v: unknown) => (typeof v === 'string' ? {context: v} : v)
  return mergeValues(toBuild(base), toBuild(overlay), path, ctx, true)
}

const mergeLogging: Merger = (base, overlay, path, ctx) => {
  if (!isMap(base) || !isMap(overlay)) return overlay ?? base
  if ('driver' in base && 'driver' in overlay && base.driver !== overlay.driver) return overlay
  return mergeMappings(base, overlay, path, ctx)
}

const mergeUlimit: Merger = (base, overlay, path, ctx) => {
  if (isMap(base) && isMap(overlay)) return mergeMappings(base, overlay, path, ctx)
  return overlay ?? base
}

const mergeIpamConfig: Merger = (base, overlay, path, ctx) => {
  if (!Array.isArray(base) || !Array.isArray(overlay)) return overlay ?? base
  const out: unknown[] = [...base]
  for (const entry of overlay) {
    const at = out.findIndex((e) => isMap(e) && isMap(entry) && e.subnet === entry.subnet)
    if (at >= 0) out[at] = mergeMappings(out[at] as Record<string, unknown>, entry as Record<string, unknown>, [...path, '*'], ctx)
    else out.push(entry)
  }
  return out
}

const stringOrList: Merger = (base, overlay, _path, ctx) => {
  const list = (v: unknown) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v])
  return concat(list(base), list(overlay), ctx)
}

const MERGE_RULES: ReadonlyArray<readonly [string[], Merger]> = [
  rule('services.*.command', replace),
  rule('services.*.entrypoint', replace),
  rule('services.*.healthcheck.test', replace),
  rule('services.*.build', mergeBuild),
  rule('services.*.build.args', mergeKeyValues),
  rule('services.*.build.labels', mergeKeyValues),
  rule('services.*.build.additional_contexts', mergeKeyValues),
  rule('services.*.build.extra_hosts', mergeExtraHosts),
  rule('services.*.environment', mergeKeyValues),
  rule('services.*.labels', mergeKeyValues),
  rule('services.*.annotations', mergeKeyValues),
  rule('services.*.sysctls', mergeKeyValues),
  rule('services.*.deploy.labels', mergeKeyValues),
  rule('services.*.volumes.*.volume.labels', mergeKeyValues),
  rule('services.*.extra_hosts', mergeExtraHosts),
  rule('services.*.depends_on', byName({condition: 'service_started', required: true})),
  rule('services.*.networks', byName()),
  rule('services.*.models', byName()),
  rule('services.*.logging', mergeLogging),
  rule('services.*.ulimits.*', mergeUlimit),
  rule('services.*.dns', stringOrList),
  rule('services.*.dns_search', stringOrList),
  rule('services.*.dns_opt', stringOrList),
  rule('services.*.tmpfs', stringOrList),
  rule('services.*.env_file', stringOrList),
  rule('services.*.label_file', stringOrList),
  rule('networks.*.labels', mergeKeyValues),
  rule('networks.*.ipam.config', mergeIpamConfig),
  rule('volumes.*.labels', mergeKeyValues),
  rule('secrets.*.labels', mergeKeyValues),
  rule('configs.*.labels', mergeKeyValues),
]

// -----------------------------------------------------------------------------------------------
// The generic merge

function concat(base: unknown[], overlay: unknown[], ctx: MergeContext): unknown[] {
  const out = [...base, ...overlay]
  if (ctx.origins) {
    ctx.origins.setItems(out, [...ctx.origins.itemsOf(base), ...ctx.origins.itemsOf(overlay)])
    ctx.origins.inherit(out, overlay)
  }
  return out
}

function mergeMappings(base: Record<string, unknown>, overlay: Record<string, unknown>, path: Path, ctx: MergeContext): Record<string, unknown> {
  const out: Record<string, unknown> = {...base}
  for (const [key, value] of Object.entries(overlay)) {
    out[key] = key in base ? mergeValues(base[key], value, [...path, key], ctx) : value
  }
  ctx.origins?.inherit(out, base, overlay)
  return out
}

function mergeValues(base: unknown, overlay: unknown, path: Path, ctx: MergeContext, skipRules = false): unknown {
  if (!skipRules) {
    for (const [pattern, merger] of MERGE_RULES) {
      if (matches(pattern, path)) return merger(base, overlay, path, ctx)
    }
  }
  if (overlay === null || overlay === undefined) return base
  if (base === null || base === undefined) return overlay
  if (isMap(base) && isMap(overlay)) return mergeMappings(base, overlay, path, ctx)
  if (Array.isArray(base) && Array.isArray(overlay)) return concat(base, overlay, ctx)
  if (typeof base === 'object' || typeof overlay === 'object') {
    const kind = (v: unknown) => (Array.isArray(v) ? 'a list' : isMap(v) ? 'a mapping' : `a ${typeof v}`)
    throw new BerthError('COMPOSE_MERGE_TYPE', `cannot merge ${path.join('.')}: ${kind(base)} in one file and ${kind(overlay)} in another`, {
      hints: ['use the same form in every file, or mark the later one `!override`'],
    })
  }
  return overlay
}

/**
 * Merge `overlay` onto `base` (neither is modified; unchanged subtrees are shared). `prefix` is
 * the path of both values in the model, e.g. `['services', 'web']` for extends. Directives of the
 * overlay (its `!reset`/`!override` paths, relative to the model root) are applied to the base
 * first.
 */
export function mergeModels<T>(base: T, overlay: T, options: {prefix?: ModelPath; directives?: MergeDirectives; origins?: Origins} = {}): T {
  const prefix = (options.prefix ?? []).map(String)
  const ctx: MergeContext = {origins: options.origins}
  const start = options.directives ? withoutPaths(base, [...options.directives.resets, ...options.directives.overrides], prefix, ctx) : base
  return mergeValues(start, overlay, prefix, ctx) as T
}

/**
 * A copy of `value` (located at `prefix` in the model) without the given model paths. Only the
 * containers on the way to a removed key are copied.
 */
export function withoutPaths<T>(value: T, paths: readonly ModelPath[], prefix: readonly string[] = [], ctx: MergeContext = {}): T {
  let out: unknown = value
  for (const full of paths) {
    if (full.length <= prefix.length) continue
    if (!prefix.every((p, i) => String(full[i]) === p)) continue
    out = removeAt(out, full.slice(prefix.length), ctx)
  }
  return out as T
}

function removeAt(value: unknown, path: ModelPath, ctx: MergeContext): unknown {
  const [head, ...rest] = path
  if (isMap(value)) {
    const key = String(head)
    if (!(key in value)) return value
    const copy = {...value}
    ctx.origins?.inherit(copy, value)
    if (rest.length === 0) delete copy[key]
    else copy[key] = removeAt(value[key], rest, ctx)
    return copy
  }
  // Removal inside sequences is not supported by compose either; leave them as they are.
  return value
}

// -----------------------------------------------------------------------------------------------
// Uniqueness of sequence entries

type Indexer = (entry: unknown) => string

function splitKey(entry: unknown): string {
  const text = String(entry)
  const eq = text.indexOf('=')
  return eq < 0 ? text : text.slice(0, eq)
}

/** Split a volume or port short syntax on `:`, keeping `[ipv6]` and Windows drive letters whole. */
function splitColons(text: string): string[] {
  const parts: string[] = []
  let current = ''
  let bracket = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '[') bracket = true
    if (c === ']') bracket = false
    if (c === ':' && !bracket && !(current.length === 1 && /[a-zA-Z]/.test(current) && (text[i + 1] === '\\' || text[i + 1] === '/'))) {
      parts.push(current)
      current = ''
    } else current += c
  }
  parts.push(current)
  return parts
}

export const volumeTarget: Indexer = (entry) => {
  if (isMap(entry)) return String(entry.target ?? '')
  const parts = splitColons(String(entry))
  return parts.length === 1 ? parts[0] : parts[1]
}

const deviceTarget: Indexer = (entry) => {
  if (isMap(entry)) return String(entry.target ?? '')
  const parts = String(entry).split(':')
  return parts.length === 1 ? parts[0] : parts[1]
}

const mountKey =
  (dir: string): Indexer =>
  (entry) => {
    if (isMap(entry)) return entry.target !== undefined ? String(entry.target) : `${dir}/${String(entry.source)}`
    return `${dir}/${String(entry)}`
  }

/** `{ip, published, target, protocol}` of a port in short or long syntax. */
export const portKey: Indexer = (entry) => {
  if (typeof entry === 'number') return `:${entry}/tcp`
  if (isMap(entry)) {
    return `${String(entry.host_ip ?? '')}:${String(entry.published ?? '')}:${String(entry.target ?? '')}/${String(entry.protocol ?? 'tcp')}`
  }
  let text = String(entry)
  let protocol = 'tcp'
  const slash = text.lastIndexOf('/')
  if (slash >= 0) {
    protocol = text.slice(slash + 1)
    text = text.slice(0, slash)
  }
  const parts = splitColons(text)
  const target = parts.pop() ?? ''
  const published = parts.pop() ?? ''
  const ip = parts.join(':').replace(/^\[(.*)\]$/, '$1')
  return `${ip}:${published}:${target}/${protocol}`
}

const envFileKey: Indexer = (entry) => (isMap(entry) ? String(entry.path) : String(entry))
const exact: Indexer = (entry) => (typeof entry === 'object' ? JSON.stringify(entry) : String(entry))

const UNIQUE_RULES: ReadonlyArray<readonly [string[], Indexer]> = [
  rule('services.*.ports', portKey),
  rule('services.*.volumes', volumeTarget),
  rule('services.*.secrets', mountKey('/run/secrets')),
  rule('services.*.configs', mountKey('')),
  rule('services.*.devices', deviceTarget),
  rule('services.*.expose', (e) => String(e)),
  rule('services.*.env_file', envFileKey),
  rule('services.*.cap_add', splitKey),
  rule('services.*.cap_drop', splitKey),
  rule('services.*.dns', splitKey),
  rule('services.*.dns_opt', splitKey),
  rule('services.*.dns_search', splitKey),
  rule('services.*.tmpfs', splitKey),
  rule('services.*.links', splitKey),
  rule('services.*.profiles', splitKey),
  rule('services.*.security_opt', exact),
  rule('services.*.external_links', exact),
  rule('services.*.build.tags', splitKey),
  rule('services.*.networks.*.aliases', splitKey),
  rule('services.*.networks.*.link_local_ips', splitKey),
]

/**
 * Keep one entry per key in the sequences that hold unique resources; a later entry replaces an
 * earlier one with the same key, in the earlier one's place. Returns a new model (shared subtrees).
 */
const UNIQUE_BY_FIELD = new Map<string, Array<readonly [string[], Indexer]>>()
for (const row of UNIQUE_RULES) {
  const field = row[0][row[0].length - 1]
  UNIQUE_BY_FIELD.set(field, [...(UNIQUE_BY_FIELD.get(field) ?? []), row])
}

export function enforceUnique<T>(model: T, origins?: Origins): T {
  const visit = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) {
      const rows = UNIQUE_BY_FIELD.get(path[path.length - 1])
      const indexer = rows?.find(([pattern]) => matches(pattern, path))?.[1]
      if (!indexer) return value
      const keys = value.map(indexer)
      if (new Set(keys).size === keys.length) return value
      const out: unknown[] = []
      const items: Origin[][] = []
      const itemOrigins = origins?.itemsOf(value)
      const at = new Map<string, number>()
      value.forEach((entry, i) => {
        const key = keys[i]
        const j = at.get(key)
        if (j === undefined) {
          at.set(key, out.length)
          out.push(entry)
          items.push(itemOrigins?.[i] ?? [])
        } else {
          out[j] = entry
          items[j] = itemOrigins?.[i] ?? []
        }
      })
      if (out.length === value.length && out.every((e, i) => e === value[i])) return value
      if (origins) {
        origins.inherit(out, value)
        origins.setItems(out, items)
      }
      return out
    }
    if (isMap(value)) {
      let copy: Record<string, unknown> | undefined
      if (path.length > 4 || (path.length > 0 && path[0] !== 'services')) return value
      for (const [key, child] of Object.entries(value)) {
        const next = visit(child, [...path, key])
        if (next !== child) {
          copy ??= {...value}
          copy[key] = next
        }
      }
      if (copy) origins?.inherit(copy, value)
      return copy ?? value
    }
    return value
  }
  return visit(model, []) as T
}
