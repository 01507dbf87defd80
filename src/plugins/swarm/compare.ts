/**
 * Whether a service already runs the spec a deploy would send. The engine keeps a spec the way it
 * was sent plus its own defaults (Isolation "default", Runtime "container", FailureAction "pause",
 * network names turned into IDs...), so both sides are brought to one canonical form first: the
 * defaults and empty values taken out, lists whose order means nothing sorted. An unchanged
 * service is then left alone — no update call, no new version, no task touched.
 */
import type {ServiceSpec} from './types.js'

type Json = null | boolean | number | string | Json[] | {[key: string]: Json}

/** Paths (dot-joined, list indexes left out) whose zero or false value means something. */
const KEEP_ZERO = new Set([
  'TaskTemplate.ContainerSpec.Init',
  'Mode.Replicated.Replicas',
  'Mode.ReplicatedJob.MaxConcurrent',
  'Mode.ReplicatedJob.TotalCompletions',
  'UpdateConfig.Parallelism',
  'RollbackConfig.Parallelism',
])

/** Objects that mean something even when empty. */
const KEEP_EMPTY = new Set(['Mode.Global', 'Mode.GlobalJob', 'Mode.Replicated', 'Mode.ReplicatedJob'])

/** Values the engine fills in when they are not sent. */
const DEFAULTS: Record<string, Json> = {
  'TaskTemplate.ContainerSpec.Isolation': 'default',
  'TaskTemplate.Runtime': 'container',
  'UpdateConfig.FailureAction': 'pause',
  'UpdateConfig.Order': 'stop-first',
  'RollbackConfig.FailureAction': 'pause',
  'RollbackConfig.Order': 'stop-first',
  'EndpointSpec.Mode': 'vip',
}

/** Not part of what a deploy decides. */
const IGNORED = new Set(['TaskTemplate.ForceUpdate'])

function prune(value: Json, path: string): Json | undefined {
  if (IGNORED.has(path)) return undefined
  if (Object.hasOwn(DEFAULTS, path) && value === DEFAULTS[path]) return undefined
  if (value === null || value === '') return undefined
  if (value === false || value === 0) return KEEP_ZERO.has(path) ? value : undefined
  if (Array.isArray(value)) {
    const items = value.map((v) => prune(v, path)).filter((v): v is Json => v !== undefined)
    return items.length > 0 ? items : undefined
  }
  if (typeof value === 'object') {
    const out: Record<string, Json> = {}
    for (const key of Object.keys(value).sort()) {
      const v = prune(value[key]!, path === '' ? key : `${path}.${key}`)
      if (v !== undefined) out[key] = v
    }
    return Object.keys(out).length > 0 || KEEP_EMPTY.has(path) ? out : undefined
  }
  return value
}

function text(value: unknown): string {
  return JSON.stringify(value) ?? ''
}

function sortBy<T>(list: T[] | undefined, key: (item: T) => string): void {
  list?.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/**
 * The canonical form of a spec. `networkName` turns the network IDs the engine stores into the
 * names a deploy sends.
 */
export function canonicalSpec(spec: ServiceSpec, networkName: (idOrName: string) => string = (n) => n): Json {
  const copy = structuredClone(spec) as ServiceSpec & {TaskTemplate: {Runtime?: string}}
  const t = copy.TaskTemplate
  const c = t.ContainerSpec
  for (const n of t.Networks ?? []) {
    n.Target = networkName(n.Target)
    n.Aliases?.sort()
  }
  sortBy(t.Networks, (n) => n.Target)
  sortBy(c.Secrets, (s) => `${s.SecretName}\u0000${s.File.Name}`)
  sortBy(c.Configs, (s) => `${s.ConfigName}\u0000${s.File.Name}`)
  sortBy(c.Mounts, (m) => m.Target)
  // The loader keeps extra_hosts sorted; the order of distinct names means nothing in /etc/hosts.
  c.Hosts?.sort()
  for (const p of copy.EndpointSpec?.Ports ?? []) {
    p.Protocol ||= 'tcp'
    p.PublishMode ||= 'ingress'
  }
  sortBy(copy.EndpointSpec?.Ports, (p) => `${String(p.PublishedPort ?? 0).padStart(5, '0')} ${String(p.TargetPort).padStart(5, '0')} ${p.Protocol}`)
  if (copy.Mode?.Replicated && copy.Mode.Replicated.Replicas === undefined) copy.Mode.Replicated.Replicas = 1
  return prune(copy as unknown as Json, '') ?? {}
}

/** Whether `current` (as the engine keeps it) already is `desired` (as a deploy would send it). */
export function sameSpec(desired: ServiceSpec, current: ServiceSpec, networkName?: (idOrName: string) => string): boolean {
  return text(canonicalSpec(desired, networkName)) === text(canonicalSpec(current, networkName))
}

/** The top-level fields of the spec that differ (for --debug and tests). */
export function specDifferences(desired: ServiceSpec, current: ServiceSpec, networkName?: (idOrName: string) => string): string[] {
  const a = canonicalSpec(desired, networkName) as Record<string, Json>
  const b = canonicalSpec(current, networkName) as Record<string, Json>
  const paths: string[] = []
  const walk = (x: Json | undefined, y: Json | undefined, path: string) => {
    if (text(x) === text(y)) return
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
      for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[key], y[key], path ? `${path}.${key}` : key)
    } else {
      paths.push(path)
    }
  }
  walk(a, b, '')
  return paths.sort()
}
