/**
 * Durations and byte sizes as the Compose Specification writes them, parsed and printed the way
 * docker compose does: durations use Go's syntax (`1m30s`, `500ms`, `1.5h`) and print as Go prints
 * a time.Duration (`1m30s`, `1m0s`, `2h0m0s`, `100µs`); sizes use binary units (`512m`, `1gb`, `2k`)
 * and print as a decimal count of bytes (`"536870912"`).
 *
 * Both parsers return undefined on bad input so that callers can report the position themselves.
 */

const NANOS: Record<string, number> = {ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9}

/** Go's time.ParseDuration: `[-+]?(<number><unit>)+` or `0`; returns nanoseconds. */
export function parseDuration(text: string): number | undefined {
  let rest = text.trim()
  let sign = 1
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1
    rest = rest.slice(1)
  }
  if (rest === '0') return 0
  if (rest === '') return undefined
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/
  let total = 0
  while (rest !== '') {
    const m = part.exec(rest)
    if (!m) return undefined
    total += Number(m[1]) * NANOS[m[2]]
    rest = rest.slice(m[0].length)
  }
  return sign * Math.round(total)
}

/** Go's time.Duration.String() for a count of nanoseconds. */
export function formatDuration(nanos: number): string {
  if (nanos === 0) return '0s'
  const sign = nanos < 0 ? '-' : ''
  const u = Math.abs(Math.round(nanos))
  if (u < 1e3) return `${sign}${u}ns`
  if (u < 1e6) return `${sign}${fraction(u, 1e3)}µs`
  if (u < 1e9) return `${sign}${fraction(u, 1e6)}ms`
  const hours = Math.floor(u / 3600e9)
  const minutes = Math.floor((u % 3600e9) / 60e9)
  const seconds = fraction(u % 60e9, 1e9)
  let out = `${seconds}s`
  if (hours > 0 || minutes > 0) out = `${minutes}m${out}`
  if (hours > 0) out = `${hours}h${out}`
  return sign + out
}

/** `value / unit` with the fractional digits Go keeps (trailing zeros dropped). */
function fraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit)
  const rest = value % unit
  if (rest === 0) return String(whole)
  const digits = String(unit).length - 1
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`
}

const BYTES: Record<string, number> = {'': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5}

/**
 * A byte size as docker reads memory values (go-units RAMInBytes): a number, optionally
 * fractional, then an optional unit `b`, `k`, `m`, `g`, `t`, `p` with optional `i` and `b`
 * (`512m`, `1.5GiB`, `100 kb`). Binary units. Plain integers (from YAML numbers) pass through.
 */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined
  const m = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i.exec(value.trim())
  if (!m) return undefined
  const multiplier = BYTES[(m[2] ?? '').toLowerCase()]
  const n = Number(m[1])
  if (!Number.isFinite(n)) return undefined
  return Math.trunc(n * multiplier)
}
