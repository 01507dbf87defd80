/**
 * Small canonical forms shared by many attributes: durations and byte sizes (validated, printed
 * as docker compose prints them), a string that may be a list, numbers printed as strings.
 */
import {formatDuration, parseByteSize, parseDuration} from '../units.js'
import type {ModelPath} from '../source.js'
import {NormalizeCodes, type Normalizer} from './context.js'

/** `1m30s` -> `1m30s`, `90s` -> `1m30s`, `1500ms` -> `1.5s`; bad ones are an error at their position. */
export function duration(value: unknown, path: ModelPath, n: Normalizer): unknown {
  if (value === null || value === undefined) return value
  const nanos = typeof value === 'string' ? parseDuration(value) : typeof value === 'number' && value === 0 ? 0 : undefined
  if (nanos === undefined) {
    throw n.error(NormalizeCodes.duration, path, `invalid duration "${String(value)}"`, ['use a number with a unit: 10s, 1m30s, 500ms, 2h'])
  }
  return formatDuration(nanos)
}

/** `512m` -> `"536870912"`; a plain number of bytes stays that number, as a string. */
export function byteSize(value: unknown, path: ModelPath, n: Normalizer): unknown {
  if (value === null || value === undefined) return value
  const bytes = typeof value === 'string' || typeof value === 'number' ? parseByteSize(value) : undefined
  if (bytes === undefined) {
    throw n.error(NormalizeCodes.size, path, `invalid size "${String(value)}"`, ['use a number of bytes or a unit: 512m, 1g, 64k'])
  }
  return String(bytes)
}

/** A string where a list is allowed -> a one-item list. */
export function stringOrList(value: unknown): unknown {
  return typeof value === 'string' ? [value] : value
}

/** Every item of a list as a string (`expose: [80]` -> `["80"]`). */
export function stringItems(value: unknown): unknown {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v)) : value
}

/** A number written as a string (`cpus: "0.5"`) -> the number. */
export function numeric(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return value
}

/** A duration docker compose omits when zero (a plain, non-pointer field in compose-go). */
export function durationOmitZero(value: unknown, path: ModelPath, n: Normalizer): unknown {
  const out = duration(value, path, n)
  return out === '0s' ? undefined : out
}

/** A host path made absolute against the project directory (`~` expanded). */
export function hostPath(value: unknown, _path: ModelPath, n: Normalizer): unknown {
  return typeof value === 'string' ? n.hostPath(value) : value
}
