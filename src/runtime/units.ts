/**
 * Durations and byte sizes converted to what the Engine API wants. The parsing itself is the
 * loader's (src/compose/units.ts, Go's syntax as docker compose reads it); here a bad value is a
 * RangeError, since the loader has already reported positions for anything it normalised.
 */
import {parseByteSize, parseDuration} from '../compose/units.js'

/** Go-style duration ("1m30s", "500ms") or a number of seconds (also as text) -> nanoseconds. */
export function durationToNanos(value: string | number): number {
  if (typeof value === 'number') return Math.round(value * 1e9)
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1e9)
  const nanos = parseDuration(text)
  if (nanos === undefined) throw new RangeError(`invalid duration "${value}"`)
  return nanos
}

/** "512m", "1gb", "1024", 1024 -> bytes (binary units, as docker does). */
export function bytesOf(value: string | number): number {
  const bytes = parseByteSize(value)
  if (bytes === undefined) throw new RangeError(`invalid size "${value}"`)
  return bytes
}
