/**
 * API versions: what Berth speaks, what the engine speaks, and which request fields each version
 * knows. The client negotiates once (min of the server's version and CLIENT_MAX_API) and prefixes
 * every path with `/v<version>`. Bodies go through `dropUnsupportedFields` so that an older
 * engine never receives a field it does not know (it would reject or silently ignore it).
 */

/** The newest API Berth knows the shape of. */
export const CLIENT_MAX_API = '1.47'
/** The oldest API Berth supports: Docker 20.10. */
export const CLIENT_MIN_API = '1.41'

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0
    const y = pb[i] ?? 0
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

export function apiAtLeast(version: string, minimum: string): boolean {
  return compareApiVersions(version, minimum) >= 0
}

/** The version to speak with a server that reports `serverVersion`. */
export function negotiateApiVersion(serverVersion: string | undefined): string {
  if (!serverVersion || !/^\d+\.\d+$/.test(serverVersion)) return CLIENT_MIN_API
  return compareApiVersions(serverVersion, CLIENT_MAX_API) < 0 ? serverVersion : CLIENT_MAX_API
}

/**
 * A field that appeared in a later API version. `path` is dotted; `*` matches every key of a map
 * (`NetworkingConfig.EndpointsConfig.*.MacAddress`) or every element of an array (`Mounts.*.VolumeOptions.Subpath`).
 */
export interface VersionedField {
  path: string
  since: string
  /** What the user loses on an older engine, for a warning. */
  note?: string
}

/** Fields of POST /containers/create newer than 1.41, with the version that introduced them. */
export const CONTAINER_CREATE_FIELDS: readonly VersionedField[] = [
  {path: 'HostConfig.Annotations', since: '1.43', note: 'annotations'},
  {path: 'Healthcheck.StartInterval', since: '1.44', note: 'healthcheck start_interval'},
  {path: 'HostConfig.Mounts.*.BindOptions.CreateMountpoint', since: '1.44'},
  {path: 'HostConfig.Mounts.*.BindOptions.ReadOnlyNonRecursive', since: '1.44'},
  {path: 'HostConfig.Mounts.*.BindOptions.ReadOnlyForceRecursive', since: '1.44'},
  {path: 'HostConfig.Mounts.*.VolumeOptions.Subpath', since: '1.45', note: 'volume subpath'},
  {path: 'HostConfig.Mounts.*.ImageOptions', since: '1.48'},
  {path: 'NetworkingConfig.EndpointsConfig.*.MacAddress', since: '1.44', note: 'per-network mac_address'},
  {path: 'NetworkingConfig.EndpointsConfig.*.DriverOpts', since: '1.42', note: 'network driver_opts'},
  {path: 'NetworkingConfig.EndpointsConfig.*.GwPriority', since: '1.48', note: 'network gw_priority'},
]

/** Fields of POST /networks/create newer than 1.41, and ones newer engines refuse. */
export const NETWORK_CREATE_FIELDS: readonly VersionedField[] = [{path: 'EnableIPv4', since: '1.47'}]

/** Fields of POST /containers/{id}/exec newer than 1.41. */
export const EXEC_CREATE_FIELDS: readonly VersionedField[] = [{path: 'ConsoleSize', since: '1.42'}]

/** Features that change how a client must call the API, by the version that brought them. */
export const API_FEATURES = {
  /** Before 1.44 create takes one network only; connect the others before start. */
  multipleNetworksAtCreate: '1.44',
  /** `CheckDuplicate` on network create is deprecated (and ignored) from 1.44. */
  networkCheckDuplicateIgnored: '1.44',
  /** `signal` on stop/restart. */
  stopSignalParam: '1.42',
  /** POST /containers/{id}/wait honours `condition=removed` reliably. */
  waitConditionRemoved: '1.30',
  /** `platform` on POST /containers/create. */
  createPlatform: '1.41',
} as const satisfies Record<string, string>

export type ApiFeature = keyof typeof API_FEATURES

export function apiSupports(version: string, feature: ApiFeature): boolean {
  return apiAtLeast(version, API_FEATURES[feature])
}

/**
 * Returns a copy of `body` without the fields `version` does not know, and the dotted paths that
 * were dropped (with concrete keys/indexes), so that callers can warn. The input is not modified.
 */
export function dropUnsupportedFields<T>(body: T, fields: readonly VersionedField[], version: string): {body: T; dropped: string[]} {
  const dropped: string[] = []
  let copy: unknown = body
  for (const field of fields) {
    if (apiAtLeast(version, field.since)) continue
    copy = dropPath(copy, field.path.split('.'), [], dropped)
  }
  return {body: copy as T, dropped}
}

function dropPath(value: unknown, parts: string[], trail: string[], dropped: string[]): unknown {
  if (value === null || typeof value !== 'object') return value
  const [head, ...rest] = parts
  if (Array.isArray(value)) {
    if (head !== '*') return value
    let changed = false
    const next = value.map((item, i) => {
      const out = dropPath(item, rest, [...trail, String(i)], dropped)
      if (out !== item) changed = true
      return out
    })
    return changed ? next : value
  }
  const record = value as Record<string, unknown>
  if (head === '*') {
    let result: Record<string, unknown> | undefined
    for (const [key, child] of Object.entries(record)) {
      const out = dropPath(child, rest, [...trail, key], dropped)
      if (out !== child) (result ??= {...record})[key] = out
    }
    return result ?? value
  }
  if (!(head in record)) return value
  if (rest.length === 0) {
    if (record[head] === undefined) return value
    dropped.push([...trail, head].join('.'))
    const {[head]: _removed, ...others} = record
    return others
  }
  const out = dropPath(record[head], rest, [...trail, head], dropped)
  return out === record[head] ? value : {...record, [head]: out}
}
