/** Durations and byte sizes as Compose writes them, converted to what the Engine API wants. */

const DURATION_UNITS: Record<string, number> = {ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9}

/** Go-style duration ("1m30s", "500ms", "10s") or a number of seconds -> nanoseconds. */
export function durationToNanos(value: string | number): number {
  if (typeof value === 'number') return Math.round(value * 1e9)
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1e9)
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy
  let total = 0
  let matched = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]]
    matched = re.lastIndex
  }
  if (matched !== text.length || text === '') throw new RangeError(`invalid duration "${value}"`)
  return Math.round(total)
}

const BYTE_UNITS: Record<string, number> = {'': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4}

/** "512m", "1gb", "1024", 1024 -> bytes (binary units, as docker does). */
export function bytesOf(value: string | number): number {
  if (typeof value === 'number') return value
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value)
  const unit = m ? BYTE_UNITS[m[2].toLowerCase()] : undefined
  if (!m || unit === undefined) throw new RangeError(`invalid size "${value}"`)
  return Math.round(Number(m[1]) * unit)
}
