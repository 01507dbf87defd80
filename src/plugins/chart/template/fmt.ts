/** Go's fmt for template values: Sprint, Sprintln, Sprintf (%v %s %d %q %f %e %g %x %X %o %b %t %T %c %%, flags, width, precision). */
import {formatFloat, isMap, isNil, isStruct, typeName} from './values.js'

/** %v of one value: maps as map[k:v] in sorted key order, slices as [a b], nil as <nil>. */
export function formatV(v: unknown): string {
  if (isNil(v)) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'number') return formatFloat(v)
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map(formatV).join(' ')}]`
  if (v instanceof Uint8Array) return `[${[...v].join(' ')}]`
  if (isStruct(v)) return v.display ? v.display() : `{${Object.values(v.fields).filter((f) => typeof f !== 'function').map(formatV).join(' ')}}`
  if (typeof v === 'function') return '<func>'
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${formatV(v[k])}`).join(' ')}]`
  return String(v)
}

const isStringish = (v: unknown): boolean => typeof v === 'string'

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = ''
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && !isStringish(args[i]) && !isStringish(args[i - 1])) out += ' '
    out += formatV(args[i])
  }
  return out
}

export function sprintln(args: unknown[]): string {
  return args.map(formatV).join(' ') + '\n'
}

interface Spec {
  minus: boolean
  plus: boolean
  sharp: boolean
  space: boolean
  zero: boolean
  width?: number
  prec?: number
}

function pad(s: string, spec: Spec, numeric = false): string {
  if (spec.width === undefined || s.length >= spec.width) return s
  const n = spec.width - s.length
  if (spec.minus) return s + ' '.repeat(n)
  if (spec.zero && numeric) {
    const sign = /^[+-]/.test(s) ? s[0] : ''
    return sign + '0'.repeat(n) + s.slice(sign.length)
  }
  return ' '.repeat(n) + s
}

/** Go's %q: a double-quoted string with Go escapes. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (c === 7) out += '\\a'
    else if (c === 8) out += '\\b'
    else if (c === 12) out += '\\f'
    else if (c === 11) out += '\\v'
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0')
    else out += ch
  }
  return out + '"'
}

function bad(verb: string, v: unknown): string {
  return `%!${verb}(${typeName(v)}=${formatV(v)})`
}

function intOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v
  return undefined
}

function formatNumber(verb: string, v: unknown, spec: Spec): string {
  const i = intOf(v)
  if (i !== undefined) {
    let body: string
    const abs = i < 0n ? -i : i
    switch (verb) {
      case 'd': case 'v': body = abs.toString(); break
      case 'x': body = abs.toString(16); break
      case 'X': body = abs.toString(16).toUpperCase(); break
      case 'o': body = abs.toString(8); break
      case 'b': body = abs.toString(2); break
      case 'c': return pad(String.fromCodePoint(Number(i)), spec)
      case 'q': return pad(`'${String.fromCodePoint(Number(i))}'`, spec)
      case 'e': case 'f': case 'g': case 'F': case 'E': case 'G': return bad(verb, v)
      default: return bad(verb, v)
    }
    if (spec.prec !== undefined) body = body.padStart(spec.prec, '0')
    if (spec.sharp && verb === 'x') body = '0x' + body
    if (spec.sharp && verb === 'X') body = '0X' + body
    if (spec.sharp && verb === 'o') body = '0' + body
    const sign = i < 0n ? '-' : spec.plus ? '+' : spec.space ? ' ' : ''
    return pad(sign + body, spec, spec.prec === undefined)
  }
  const f = v as number
  let body: string
  switch (verb) {
    case 'v': case 'g': body = spec.prec === undefined ? formatFloat(f) : gPrec(f, spec.prec); break
    case 'G': body = (spec.prec === undefined ? formatFloat(f) : gPrec(f, spec.prec)).toUpperCase(); break
    case 'f': case 'F': body = f.toFixed(spec.prec ?? 6); break
    case 'e': case 'E': {
      const [m, e] = f.toExponential(spec.prec ?? 6).split('e') as [string, string]
      const n = Number(e)
      body = `${m}e${n < 0 ? '-' : '+'}${Math.abs(n) < 10 ? '0' : ''}${Math.abs(n)}`
      if (verb === 'E') body = body.toUpperCase()
      break
    }
    case 'd': case 'x': case 'X': case 'o': case 'b': case 'c': case 'q': return bad(verb, v)
    default: return bad(verb, v)
  }
  if (spec.plus && f >= 0) body = '+' + body
  else if (spec.space && f >= 0) body = ' ' + body
  return pad(body, spec, true)
}

function gPrec(f: number, prec: number): string {
  const p = prec === 0 ? 1 : prec
  const [m, e] = f.toExponential(p - 1).split('e') as [string, string]
  const exp = Number(e)
  if (exp < -4 || exp >= p) {
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m
    return `${mant}e${exp < 0 ? '-' : '+'}${Math.abs(exp) < 10 ? '0' : ''}${Math.abs(exp)}`
  }
  const fixed = f.toFixed(Math.max(0, p - 1 - exp))
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed
}

function formatOne(verb: string, v: unknown, spec: Spec): string {
  if (verb === 'T') return pad(typeName(v), spec)
  if (verb === 'v') {
    if (typeof v === 'number' || typeof v === 'bigint') return formatNumber('v', v, spec)
    let s = formatV(v)
    if (spec.sharp && typeof v === 'string') s = goQuote(v)
    return pad(s, spec)
  }
  if (isNil(v)) return `%!${verb}(<nil>)`
  switch (verb) {
    case 's': {
      if (typeof v === 'string' || Array.isArray(v) || isMap(v)) {
        let s = typeof v === 'string' ? v : formatV(v)
        if (spec.prec !== undefined) s = [...s].slice(0, spec.prec).join('')
        return pad(s, spec)
      }
      if (typeof v === 'boolean') return bad(verb, v)
      return bad(verb, v)
    }
    case 'q':
      if (typeof v === 'string') return pad(goQuote(v), spec)
      if (typeof v === 'bigint') return formatNumber(verb, v, spec)
      return bad(verb, v)
    case 't':
      return typeof v === 'boolean' ? pad(String(v), spec) : bad(verb, v)
    case 'x': case 'X':
      if (typeof v === 'string') {
        const hex = Buffer.from(v, 'utf8').toString('hex')
        return pad(verb === 'X' ? hex.toUpperCase() : hex, spec)
      }
      break
  }
  if (typeof v === 'number' || typeof v === 'bigint') return formatNumber(verb, v, spec)
  return bad(verb, v)
}

/** fmt.Sprintf with Go's verbs and its %!verb(type=value) and %!(EXTRA ...) markers. */
export function sprintf(format: string, args: unknown[]): string {
  let out = ''
  let argi = 0
  let i = 0
  while (i < format.length) {
    const ch = format[i]!
    if (ch !== '%') {
      out += ch
      i++
      continue
    }
    i++
    if (i >= format.length) {
      out += '%!(NOVERB)'
      break
    }
    const spec: Spec = {minus: false, plus: false, sharp: false, space: false, zero: false}
    for (; i < format.length; i++) {
      const f = format[i]
      if (f === '-') spec.minus = true
      else if (f === '+') spec.plus = true
      else if (f === '#') spec.sharp = true
      else if (f === ' ') spec.space = true
      else if (f === '0') spec.zero = true
      else break
    }
    if (format[i] === '*') {
      spec.width = Number(args[argi++] ?? 0)
      i++
    } else {
      const m = /^\d+/.exec(format.slice(i))
      if (m) {
        spec.width = Number(m[0])
        i += m[0].length
      }
    }
    if (format[i] === '.') {
      i++
      if (format[i] === '*') {
        spec.prec = Number(args[argi++] ?? 0)
        i++
      } else {
        const m = /^\d+/.exec(format.slice(i))
        spec.prec = m ? Number(m[0]) : 0
        if (m) i += m[0].length
      }
    }
    const verb = format[i++]
    if (verb === undefined) {
      out += '%!(NOVERB)'
      break
    }
    if (verb === '%') {
      out += '%'
      continue
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    out += formatOne(verb, args[argi++], spec)
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => `${typeName(a)}=${formatV(a)}`).join(', ') + ')'
  }
  return out
}
