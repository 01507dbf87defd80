/**
 * `ports`: short syntax (`[ip:][published:]target[/protocol]`, ranges, `[ipv6]`) to the long form
 * docker compose prints: `{mode, host_ip?, target, published?, protocol}` with `published` as a
 * string. A target range expands to one entry per port (paired with a published range of the same
 * length); a published range for a single target stays a range. Long syntax gets its defaults.
 */
import type {ModelPath} from '../source.js'
import type {PortConfig} from '../types.js'
import {NormalizeCodes, type Normalizer} from './context.js'
import {isRecord} from './walk.js'

export function normalizePorts(value: unknown, path: ModelPath, n: Normalizer): unknown {
  if (!Array.isArray(value)) return value
  const out: PortConfig[] = []
  value.forEach((entry, i) => {
    if (isRecord(entry)) out.push(longPort(entry))
    else if (typeof entry === 'string' || typeof entry === 'number') {
      const parsed = parsePortSpec(String(entry))
      if (typeof parsed === 'string') throw n.error(NormalizeCodes.port, [...path, i], `invalid port "${entry}": ${parsed}`)
      out.push(...parsed)
    } else {
      throw n.error(NormalizeCodes.port, [...path, i], 'a port must be a string, a number or a mapping')
    }
  })
  return unique(out)
}

/** Identical entries once (an override that repeats a port of the base file, a range that covers it). */
function unique(ports: PortConfig[]): PortConfig[] {
  const seen = new Set<string>()
  return ports.filter((p) => {
    // Plain code-unit order: localeCompare would load ICU's collator (~7 ms) for field names.
    const key = JSON.stringify(Object.entries(p).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function longPort(entry: Record<string, unknown>): PortConfig {
  const out: Record<string, unknown> = {mode: entry.mode ?? 'ingress'}
  if (entry.host_ip !== undefined) out.host_ip = entry.host_ip
  out.target = typeof entry.target === 'string' ? Number(entry.target) : entry.target
  if (entry.published !== undefined && entry.published !== null) out.published = String(entry.published)
  out.protocol = entry.protocol ?? 'tcp'
  for (const [k, v] of Object.entries(entry)) if (!(k in out)) out[k] = v
  return out as unknown as PortConfig
}

interface Range {
  start: number
  end: number
}

/** One short-syntax port spec -> entries, or a reason it is invalid. */
export function parsePortSpec(spec: string): PortConfig[] | string {
  let rest = spec.trim()
  let protocol = 'tcp'
  const slash = rest.lastIndexOf('/')
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase()
    rest = rest.slice(0, slash)
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) return `unknown protocol "${protocol}"`
  }
  let hostIp: string | undefined
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']')
    if (close < 0 || rest[close + 1] !== ':') return 'an IPv6 address in brackets must be followed by ":"'
    hostIp = rest.slice(1, close)
    rest = rest.slice(close + 2)
  }
  const parts = rest.split(':')
  let published = ''
  let target: string
  if (hostIp !== undefined) {
    if (parts.length > 2) return 'too many colons'
    ;[published, target] = parts.length === 2 ? [parts[0], parts[1]] : ['', parts[0]]
  } else if (parts.length === 1) {
    target = parts[0]
  } else if (parts.length === 2) {
    ;[published, target] = parts
  } else {
    // `ip:published:target`; an unbracketed IPv6 address holds colons itself
    target = parts[parts.length - 1]
    published = parts[parts.length - 2]
    hostIp = parts.slice(0, -2).join(':')
  }
  const targets = parseRange(target)
  if (!targets) return `invalid container port "${target}"`
  const publishedRange = published === '' ? undefined : parseRange(published)
  if (published !== '' && !publishedRange) return `invalid published port "${published}"`
  const count = targets.end - targets.start + 1
  const entry = (port: number, pub: string | undefined): PortConfig => {
    const out: Record<string, unknown> = {mode: 'ingress'}
    if (hostIp !== undefined && hostIp !== '') out.host_ip = hostIp
    out.target = port
    if (pub !== undefined) out.published = pub
    out.protocol = protocol
    return out as unknown as PortConfig
  }
  if (count === 1) return [entry(targets.start, published === '' ? undefined : published)]
  if (publishedRange && publishedRange.end - publishedRange.start + 1 !== count) {
    return `the published range ${published} and the container range ${target} differ in size`
  }
  const out: PortConfig[] = []
  for (let i = 0; i < count; i++) out.push(entry(targets.start + i, publishedRange ? String(publishedRange.start + i) : undefined))
  return out
}

function parseRange(text: string): Range | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text)
  if (!m) return undefined
  const start = Number(m[1])
  const end = m[2] === undefined ? start : Number(m[2])
  if (start > 65535 || end > 65535 || end < start) return undefined
  return {start, end}
}
