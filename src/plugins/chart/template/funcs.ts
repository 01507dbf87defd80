/**
 * The functions a chart template can call: Go's builtins (and/or live in the executor), the sprig
 * functions charts use, and helm's own (include, tpl, required, toYaml, fromYaml, toJson, lookup
 * ...). Errors are FuncError (Go prints `error calling NAME: ...`) or FailSignal (required, fail).
 */
import {createHash, randomBytes, randomUUID} from 'node:crypto'
import semver from 'semver'
import {parse as parseYaml} from 'yaml'
import {callDepth, callTemplateName, FuncError, type CallContext, type TemplateFunc} from './exec.js'
import {FailSignal} from './errors.js'
import {formatV, goQuote, sprint, sprintf, sprintln} from './fmt.js'
import {formatFloat, isMap, isNil, isStruct, kindName, truth, typeName} from './values.js'
import {toJsonShape, toYamlText} from './yaml.js'

/** sprig's strval: strings as they are, everything else as %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8')
  return formatV(v)
}

/** spf13/cast's ToInt64 (what sprig's arithmetic and int use): strings parsed, floats truncated, junk as 0. */
export function toInt64(v: unknown): bigint {
  if (typeof v === 'bigint') return v
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n
  if (typeof v === 'boolean') return v ? 1n : 0n
  if (typeof v === 'string') {
    const t = v.trim()
    if (/^[+-]?\d+$/.test(t)) return BigInt(t)
    if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t.replace('+', ''))
    return 0n
  }
  return 0n
}

export function toFloat64(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'string') {
    const f = Number(v.trim())
    return v.trim() === '' || Number.isNaN(f) ? 0 : f
  }
  return 0
}

/** sprig's empty: the zero value of its type (nil, false, 0, "", empty list or map). */
export function empty(v: unknown): boolean {
  return !truth(v)
}

function list(v: unknown, fn: string): unknown[] {
  if (isNil(v)) throw new FuncError(`Cannot find ${fn} on type <nil>`)
  if (Array.isArray(v)) return v
  throw new FuncError(`Cannot find ${fn} on type ${typeName(v)}`)
}

function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCopy)
  if (isMap(v)) {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x)
    return out
  }
  return v
}

/** mergo.Merge (overwrite false: only missing or empty keys of dst are filled), deep for maps. */
function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>, overwrite: boolean): void {
  for (const [k, sv] of Object.entries(src)) {
    const dv = dst[k]
    if (isMap(dv) && isMap(sv)) mergeInto(dv, sv, overwrite)
    else if (overwrite ? (!empty(sv) || !(k in dst)) : empty(dv) && !(isMap(dv))) dst[k] = deepCopy(sv)
    else if (!(k in dst)) dst[k] = deepCopy(sv)
  }
}

function goRegex(re: string, flags = ''): RegExp {
  let src = re
  let f = flags
  const m = /^\(\?([imsU]+)\)/.exec(src)
  if (m) {
    src = src.slice(m[0].length)
    for (const c of m[1]!) if (c !== 'U' && !f.includes(c)) f += c
  }
  try {
    return new RegExp(src, f + 'u')
  } catch (e) {
    throw new FuncError(`error parsing regexp: ${(e as Error).message}`)
  }
}

/** Go's regexp ReplaceAllString template: $1, ${1}, ${name}. */
function goReplacement(repl: string): string {
  return repl.replace(/\$\{(\w+)\}/g, (_, n: string) => (/^\d+$/.test(n) ? `$${n}` : `$<${n}>`)).replace(/\$([A-Za-z_]\w*)/g, (_, n: string) => `$<${n}>`)
}

function keysOf(v: unknown): string[] {
  if (!isMap(v)) throw new FuncError(`wrong type for value; expected map[string]interface {}; got ${typeName(v)}`)
  return Object.keys(v)
}

function asMap(v: unknown, fn: string): Record<string, unknown> {
  if (isMap(v)) return v
  throw new FuncError(`wrong type for value; expected map[string]interface {}; got ${typeName(v)} (in ${fn})`)
}

/** Masterminds/semver constraint syntax to node-semver's: commas are AND, || stays OR. */
function semverRange(constraint: string): string {
  // A partial version with a prerelease (1.20-0) gets its missing parts, which node-semver needs.
  const full = constraint.replace(/(^|[^\d.])(\d+)(\.\d+)?(-[0-9A-Za-z.-]+)/g, (_m, pre: string, major: string, minor: string | undefined, rel: string) => `${pre}${major}${minor ?? '.0'}.0${rel}`)
  return full.split('||').map((part) => part.split(',').map((p) => p.trim()).join(' ')).join(' || ')
}

function parseVersion(v: string): semver.SemVer {
  const c = semver.coerce(v, {includePrerelease: true})
  const exact = semver.parse(v.replace(/^v/, ''), {loose: true})
  const out = exact ?? c
  if (!out) throw new FuncError('Invalid Semantic Version')
  return out
}

function fromYaml(s: string): unknown {
  try {
    const v = parseYaml(s, {version: '1.1', intAsBigInt: false, uniqueKeys: false})
    return toJsonShape(v ?? {})
  } catch (e) {
    return {Error: (e as Error).message.split('\n')[0]}
  }
}

/** Go's encoding/json: sorted keys, HTML characters escaped, floats shortest. */
export function toJsonText(v: unknown, indent = ''): string {
  const enc = (x: unknown, depth: number): string => {
    if (isNil(x)) return 'null'
    if (typeof x === 'bigint') return x.toString()
    if (typeof x === 'number') return Number.isFinite(x) ? JSON.stringify(x) : 'null'
    if (typeof x === 'boolean') return String(x)
    if (typeof x === 'string') return JSON.stringify(x).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
    const nl = indent ? '\n' + indent.repeat(depth + 1) : ''
    const end = indent ? '\n' + indent.repeat(depth) : ''
    if (Array.isArray(x)) return x.length === 0 ? '[]' : '[' + nl + x.map((i) => enc(i, depth + 1)).join(',' + nl) + end + ']'
    const m = toJsonShape(x) as Record<string, unknown>
    const keys = Object.keys(m).sort()
    if (keys.length === 0) return '{}'
    return '{' + nl + keys.map((k) => enc(k, depth + 1) + (indent ? ': ' : ':') + enc(m[k], depth + 1)).join(',' + nl) + end + '}'
  }
  return enc(v, 0)
}

function compareBasic(a: unknown, b: unknown, fn: string): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) throw new FuncError('incompatible types for comparison')
  if (typeof a === 'boolean' || typeof b === 'boolean' || isNil(a) || isNil(b)) {
    if (fn === 'eq') throw new FuncError('incompatible types for comparison')
    throw new FuncError('invalid type for comparison')
  }
  throw new FuncError('invalid type for comparison')
}

function goEq(a: unknown, b: unknown): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b)
  if (Array.isArray(a) || isMap(a)) throw new FuncError('non-comparable type ' + formatV(a) + ': ' + typeName(a))
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    if (typeof a !== typeof b) throw new FuncError('incompatible types for comparison')
    return a === b
  }
  if (Array.isArray(b) || isMap(b)) throw new FuncError('non-comparable type ' + formatV(b) + ': ' + typeName(b))
  return compareBasic(a, b, 'eq') === 0
}

function indexOf(item: unknown, keys: unknown[]): unknown {
  let v = item
  for (const k of keys) {
    if (isNil(v)) throw new FuncError('index of untyped nil')
    if (Array.isArray(v) || typeof v === 'string') {
      if (typeof k !== 'bigint') throw new FuncError(`cannot index slice/array with type ${typeName(k)}`)
      const len = typeof v === 'string' ? Buffer.byteLength(v) : v.length
      if (k < 0n || k >= BigInt(len)) throw new FuncError(`index out of range: ${k}`)
      v = typeof v === 'string' ? BigInt(Buffer.from(v)[Number(k)]!) : v[Number(k)]
    } else if (isMap(v)) {
      if (typeof k !== 'string') throw new FuncError(`value has type ${typeName(k)}; should be string`)
      v = Object.prototype.hasOwnProperty.call(v, k) ? v[k] : undefined
    } else {
      throw new FuncError(`can't index item of type ${typeName(v)}`)
    }
  }
  return v
}

function goTitle(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_, pre: string, c: string) => pre + c.toUpperCase())
}

function words(s: string): string[] {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter((w) => w !== '')
}

function indentText(n: unknown, s: unknown): string {
  const pad = ' '.repeat(Number(toInt64(n)))
  return pad + strval(s).replace(/\n/g, '\n' + pad)
}

function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const out: bigint[] = []
  if (step === 0n) return out
  if (start < stop) {
    if (step < 0n) return out
    for (let i = start; i < stop; i += step) out.push(i)
  } else {
    if (step > 0n) return out
    for (let i = start; i > stop; i += step) out.push(i)
  }
  return out
}

const f = (fn: (...args: unknown[]) => unknown): TemplateFunc => (_ctx, ...args) => fn(...args)

function arity(name: string, args: unknown[], n: number): void {
  if (args.length !== n) throw new FuncError(`wrong number of args for ${name}: want ${n} got ${args.length}`)
}

export function builtinFuncs(): Record<string, TemplateFunc> {
  const funcs: Record<string, TemplateFunc> = {
    // Go's builtins
    not: f((...a) => (arity('not', a, 1), !truth(a[0]))),
    len: f((v) => {
      if (typeof v === 'string') return BigInt(Buffer.byteLength(v))
      if (Array.isArray(v)) return BigInt(v.length)
      if (isMap(v)) return BigInt(Object.keys(v).length)
      throw new FuncError(`len of ${isNil(v) ? 'nil pointer' : 'type ' + typeName(v)}`)
    }),
    index: f((item, ...keys) => indexOf(item, keys)),
    slice: f((item, ...idx) => {
      if (typeof item === 'string') return item.slice(...idx.map((i) => Number(i)))
      return list(item, 'slice').slice(...idx.map((i) => Number(i)))
    }),
    print: f((...a) => sprint(a)),
    printf: f((fmt, ...a) => sprintf(strval(fmt), a)),
    println: f((...a) => sprintln(a)),
    eq: f((a, ...bs) => {
      if (bs.length === 0) throw new FuncError('missing argument for comparison')
      return bs.some((b) => goEq(a, b))
    }),
    ne: f((a, b) => !goEq(a, b)),
    lt: f((a, b) => compareBasic(a, b, 'lt') < 0),
    le: f((a, b) => compareBasic(a, b, 'le') <= 0),
    gt: f((a, b) => compareBasic(a, b, 'gt') > 0),
    ge: f((a, b) => compareBasic(a, b, 'ge') >= 0),
    html: f((...a) => sprint(a).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')),
    js: f((...a) => sprint(a).replace(/[\\'"<>&=]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'))),
    urlquery: f((...a) => encodeURIComponent(sprint(a)).replace(/%20/g, '+')),
    call: f((fn, ...a) => {
      if (typeof fn !== 'function') throw new FuncError(`non-function of type ${typeName(fn)}`)
      return (fn as (...x: unknown[]) => unknown)(...a)
    }),

    // helm
    include: (ctx: CallContext, name, data) => ctx.engine.renderNamed(strval(name), data, callDepth(ctx), ctx.place),
    tpl: (ctx: CallContext, text, data) => {
      const out = ctx.engine.renderString(callTemplateName(ctx), strval(text), data, callDepth(ctx))
      return out.replace(/<no value>/g, '')
    },
    required: (_ctx, msg, v) => {
      if (isNil(v) || v === '') throw new FailSignal(strval(msg))
      return v
    },
    fail: (_ctx, msg) => {
      throw new FailSignal(strval(msg))
    },
    toYaml: f((v) => toYamlText(v).replace(/\n$/, '')),
    mustToYaml: f((v) => toYamlText(v).replace(/\n$/, '')),
    toYamlPretty: f((v) => toYamlText(v).replace(/\n$/, '')),
    fromYaml: f((s) => fromYaml(strval(s))),
    fromYamlArray: f((s) => {
      const v = fromYaml(strval(s))
      return Array.isArray(v) ? v : [isMap(v) && 'Error' in v ? v.Error : 'not an array']
    }),
    toJson: f((v) => toJsonText(v)),
    mustToJson: f((v) => toJsonText(v)),
    toPrettyJson: f((v) => toJsonText(v, '  ')),
    toRawJson: f((v) => toJsonText(v).replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&')),
    fromJson: f((s) => {
      try {
        return JSON.parse(strval(s)) as unknown
      } catch (e) {
        return {Error: (e as Error).message}
      }
    }),
    fromJsonArray: f((s) => {
      try {
        const v = JSON.parse(strval(s)) as unknown
        return Array.isArray(v) ? v : [`json: cannot unmarshal into []interface {}`]
      } catch (e) {
        return [(e as Error).message]
      }
    }),
    lookup: f(() => ({})),

    // sprig: defaults and flow
    default: f((d, ...given) => (given.length === 0 || empty(given[0]) ? d : given[0])),
    empty: f((v) => empty(v)),
    coalesce: f((...a) => a.find((v) => !empty(v)) ?? null),
    all: f((...a) => a.every((v) => !empty(v))),
    any: f((...a) => a.some((v) => !empty(v))),
    ternary: f((t, fv, c) => (c === true ? t : fv)),
    compact: f((l) => list(l, 'compact').filter((v) => !empty(v))),
    deepCopy: f((v) => deepCopy(v)),
    mustDeepCopy: f((v) => deepCopy(v)),

    // strings
    quote: f((...a) => a.filter((v) => !isNil(v)).map((v) => goQuote(strval(v))).join(' ')),
    squote: f((...a) => a.filter((v) => !isNil(v)).map((v) => `'${strval(v)}'`).join(' ')),
    toString: f((v) => strval(v)),
    toStrings: f((l) => (Array.isArray(l) ? l.map(strval) : [strval(l)])),
    upper: f((s) => strval(s).toUpperCase()),
    lower: f((s) => strval(s).toLowerCase()),
    title: f((s) => goTitle(strval(s))),
    untitle: f((s) => strval(s).replace(/(^|\s)(\S)/g, (_, p: string, c: string) => p + c.toLowerCase())),
    trim: f((s) => strval(s).trim()),
    trimAll: f((cut, s) => trimSet(strval(s), strval(cut), true, true)),
    trimPrefix: f((p, s) => (strval(s).startsWith(strval(p)) ? strval(s).slice(strval(p).length) : strval(s))),
    trimSuffix: f((p, s) => (strval(p) !== '' && strval(s).endsWith(strval(p)) ? strval(s).slice(0, -strval(p).length) : strval(s))),
    nospace: f((s) => strval(s).replace(/\s/g, '')),
    replace: f((o, n, s) => strval(s).split(strval(o)).join(strval(n))),
    repeat: f((n, s) => strval(s).repeat(Math.max(0, Number(toInt64(n))))),
    substr: f((start, end, s) => {
      const str = strval(s)
      const a = Number(toInt64(start))
      const b = Number(toInt64(end))
      if (a < 0) return str.slice(0, b)
      if (b < 0 || b > str.length) return str.slice(a)
      return str.slice(a, b)
    }),
    trunc: f((n, s) => {
      const c = Number(toInt64(n))
      const str = strval(s)
      if (c < 0 && str.length + c > 0) return str.slice(str.length + c)
      if (c >= 0 && str.length > c) return str.slice(0, c)
      return str
    }),
    abbrev: f((w, s) => {
      const width = Number(toInt64(w))
      const str = strval(s)
      if (width < 4 || str.length <= width) return str
      return str.slice(0, width - 3) + '...'
    }),
    contains: f((sub, s) => strval(s).includes(strval(sub))),
    hasPrefix: f((p, s) => strval(s).startsWith(strval(p))),
    hasSuffix: f((p, s) => strval(s).endsWith(strval(p))),
    cat: f((...a) => a.filter((v) => !isNil(v)).map(strval).join(' ')),
    indent: f((n, s) => indentText(n, s)),
    nindent: f((n, s) => '\n' + indentText(n, s)),
    camelcase: f((s) => words(strval(s)).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')),
    snakecase: f((s) => words(strval(s)).map((w) => w.toLowerCase()).join('_')),
    kebabcase: f((s) => words(strval(s)).map((w) => w.toLowerCase()).join('-')),
    plural: f((one, many, n) => (toInt64(n) === 1n ? one : many)),
    wrap: f((w, s) => wrapText(strval(s), Number(toInt64(w)))),
    splitList: f((sep, s) => strval(s).split(strval(sep))),
    split: f((sep, s) => Object.fromEntries(strval(s).split(strval(sep)).map((p, i) => [`_${i}`, p]))),
    splitn: f((sep, n, s) => {
      const parts = strval(s).split(strval(sep))
      const c = Number(toInt64(n))
      const out = c > 0 && parts.length > c ? [...parts.slice(0, c - 1), parts.slice(c - 1).join(strval(sep))] : parts
      return Object.fromEntries(out.map((p, i) => [`_${i}`, p]))
    }),
    join: f((sep, l) => (Array.isArray(l) ? l : isNil(l) ? [] : [l]).filter((v) => !isNil(v)).map(strval).join(strval(sep))),
    sortAlpha: f((l) => (Array.isArray(l) ? l.map(strval).sort() : [strval(l)])),
    b64enc: f((s) => Buffer.from(strval(s), 'utf8').toString('base64')),
    b64dec: f((s) => Buffer.from(strval(s), 'base64').toString('utf8')),
    b32enc: f((s) => base32(Buffer.from(strval(s)))),
    sha256sum: f((s) => createHash('sha256').update(strval(s)).digest('hex')),
    sha1sum: f((s) => createHash('sha1').update(strval(s)).digest('hex')),
    adler32sum: f((s) => String(adler32(Buffer.from(strval(s))))),
    randAlphaNum: f((n) => randomString(Number(toInt64(n)), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')),
    randAlpha: f((n) => randomString(Number(toInt64(n)), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')),
    randNumeric: f((n) => randomString(Number(toInt64(n)), '0123456789')),
    uuidv4: f(() => randomUUID()),
    regexMatch: f((re, s) => goRegex(strval(re)).test(strval(s))),
    mustRegexMatch: f((re, s) => goRegex(strval(re)).test(strval(s))),
    regexFind: f((re, s) => goRegex(strval(re)).exec(strval(s))?.[0] ?? ''),
    regexFindAll: f((re, s, n) => {
      const all = [...strval(s).matchAll(goRegex(strval(re), 'g'))].map((m) => m[0])
      const c = Number(toInt64(n))
      return c < 0 ? all : all.slice(0, c)
    }),
    regexReplaceAll: f((re, s, repl) => strval(s).replace(goRegex(strval(re), 'g'), goReplacement(strval(repl)))),
    regexReplaceAllLiteral: f((re, s, repl) => strval(s).replace(goRegex(strval(re), 'g'), () => strval(repl))),
    regexSplit: f((re, s, n) => {
      const parts = strval(s).split(goRegex(strval(re), 'g'))
      const c = Number(toInt64(n))
      return c < 0 ? parts : parts.slice(0, c)
    }),
    semverCompare: f((c, v) => {
      const version = parseVersion(strval(v))
      return semver.satisfies(version, semverRange(strval(c)), {includePrerelease: strval(c).includes('-')})
    }),
    semver: f((v) => {
      const s = parseVersion(strval(v))
      return {Major: BigInt(s.major), Minor: BigInt(s.minor), Patch: BigInt(s.patch), Prerelease: s.prerelease.join('.'), Metadata: s.build.join('.'), Original: strval(v)}
    }),

    // types and conversion
    int: f((v) => toInt64(v)),
    int64: f((v) => toInt64(v)),
    float64: f((v) => toFloat64(v)),
    atoi: f((v) => (/^[+-]?\d+$/.test(strval(v).trim()) ? BigInt(strval(v).trim()) : 0n)),
    toDecimal: f((v) => {
      const n = parseInt(strval(v), 8)
      return BigInt(Number.isNaN(n) ? 0 : n)
    }),
    kindOf: f((v) => kindName(v)),
    kindIs: f((k, v) => kindName(v) === strval(k)),
    typeOf: f((v) => typeName(v)),
    typeIs: f((t, v) => typeName(v) === strval(t)),
    typeIsLike: f((t, v) => typeName(v) === strval(t) || '*' + typeName(v) === strval(t)),

    // arithmetic (int64, as sprig)
    add: f((...a) => a.reduce<bigint>((s, v) => s + toInt64(v), 0n)),
    add1: f((v) => toInt64(v) + 1n),
    sub: f((a, b) => toInt64(a) - toInt64(b)),
    mul: f((...a) => a.reduce<bigint>((s, v) => s * toInt64(v), 1n)),
    div: f((a, b) => {
      const d = toInt64(b)
      if (d === 0n) throw new FuncError('runtime error: integer divide by zero')
      return toInt64(a) / d
    }),
    mod: f((a, b) => {
      const d = toInt64(b)
      if (d === 0n) throw new FuncError('runtime error: integer divide by zero')
      return toInt64(a) % d
    }),
    max: f((...a) => a.map(toInt64).reduce((m, v) => (v > m ? v : m))),
    min: f((...a) => a.map(toInt64).reduce((m, v) => (v < m ? v : m))),
    addf: f((...a) => a.reduce<number>((s, v) => s + toFloat64(v), 0)),
    subf: f((a, ...b) => b.reduce<number>((s, v) => s - toFloat64(v), toFloat64(a))),
    mulf: f((...a) => a.reduce<number>((s, v) => s * toFloat64(v), 1)),
    divf: f((a, ...b) => b.reduce<number>((s, v) => s / toFloat64(v), toFloat64(a))),
    maxf: f((...a) => Math.max(...a.map(toFloat64))),
    minf: f((...a) => Math.min(...a.map(toFloat64))),
    floor: f((v) => Math.floor(toFloat64(v))),
    ceil: f((v) => Math.ceil(toFloat64(v))),
    round: f((v, p) => {
      const m = 10 ** Number(toInt64(p ?? 0n))
      return Math.round(toFloat64(v) * m) / m
    }),
    until: f((n) => untilStep(0n, toInt64(n), toInt64(n) >= 0n ? 1n : -1n)),
    untilStep: f((a, b, c) => untilStep(toInt64(a), toInt64(b), toInt64(c))),
    seq: f((...a) => {
      const n = a.map(toInt64)
      const [start, step, end] = n.length === 1 ? [1n, 1n, n[0]!] : n.length === 2 ? [n[0]!, n[0]! <= n[1]! ? 1n : -1n, n[1]!] : [n[0]!, n[1]!, n[2]!]
      return untilStep(start, end + (step > 0n ? 1n : -1n), step).join(' ')
    }),

    // lists
    list: f((...a) => a),
    tuple: f((...a) => a),
    first: f((l) => (isNil(l) ? null : list(l, 'first')[0] ?? null)),
    last: f((l) => (isNil(l) ? null : list(l, 'last').at(-1) ?? null)),
    rest: f((l) => list(l, 'rest').slice(1)),
    initial: f((l) => list(l, 'initial').slice(0, -1)),
    append: f((l, v) => [...list(l, 'append'), v]),
    push: f((l, v) => [...list(l, 'push'), v]),
    mustAppend: f((l, v) => [...list(l, 'append'), v]),
    prepend: f((l, v) => [v, ...list(l, 'prepend')]),
    concat: f((...ls) => ls.flatMap((l) => (Array.isArray(l) ? l : []))),
    reverse: f((l) => [...list(l, 'reverse')].reverse()),
    uniq: f((l) => {
      const out: unknown[] = []
      for (const v of list(l, 'uniq')) if (!out.some((o) => deepEqual(o, v))) out.push(v)
      return out
    }),
    without: f((l, ...omit) => list(l, 'without').filter((v) => !omit.some((o) => deepEqual(o, v)))),
    has: f((needle, l) => (isNil(l) ? false : list(l, 'has').some((v) => deepEqual(v, needle)))),
    slice2: f((l) => l),

    // dicts
    dict: f((...a) => {
      const out: Record<string, unknown> = {}
      for (let i = 0; i < a.length; i += 2) out[strval(a[i])] = i + 1 < a.length ? a[i + 1] : ''
      return out
    }),
    get: f((d, k) => {
      const m = asMap(d, 'get')
      return Object.prototype.hasOwnProperty.call(m, strval(k)) ? m[strval(k)] : ''
    }),
    set: f((d, k, v) => {
      asMap(d, 'set')[strval(k)] = v
      return d
    }),
    unset: f((d, k) => {
      delete asMap(d, 'unset')[strval(k)]
      return d
    }),
    hasKey: f((d, k) => Object.prototype.hasOwnProperty.call(asMap(d, 'hasKey'), strval(k))),
    keys: f((...ds) => ds.flatMap(keysOf)),
    values: f((d) => Object.values(asMap(d, 'values'))),
    pluck: f((k, ...ds) => ds.filter((d) => isMap(d) && strval(k) in d).map((d) => (d as Record<string, unknown>)[strval(k)])),
    pick: f((d, ...ks) => Object.fromEntries(Object.entries(asMap(d, 'pick')).filter(([k]) => ks.map(strval).includes(k)))),
    omit: f((d, ...ks) => Object.fromEntries(Object.entries(asMap(d, 'omit')).filter(([k]) => !ks.map(strval).includes(k)))),
    merge: f((dst, ...srcs) => {
      const d = asMap(dst, 'merge')
      for (const s of srcs) if (isMap(s)) mergeInto(d, s, false)
      return d
    }),
    mustMerge: f((dst, ...srcs) => {
      const d = asMap(dst, 'merge')
      for (const s of srcs) if (isMap(s)) mergeInto(d, s, false)
      return d
    }),
    mergeOverwrite: f((dst, ...srcs) => {
      const d = asMap(dst, 'mergeOverwrite')
      for (const s of srcs) if (isMap(s)) mergeInto(d, s, true)
      return d
    }),
    mustMergeOverwrite: f((dst, ...srcs) => {
      const d = asMap(dst, 'mergeOverwrite')
      for (const s of srcs) if (isMap(s)) mergeInto(d, s, true)
      return d
    }),
    dig: f((...a) => {
      const d = a.at(-1)
      const def = a.at(-2)
      let v: unknown = d
      for (const k of a.slice(0, -2)) {
        if (!isMap(v) || !(strval(k) in v)) return def
        v = v[strval(k)]
      }
      return v
    }),

    // dates (deterministic enough for templates that only print them)
    now: f(() => new Date()),
    date: f((fmt, d) => formatDate(strval(fmt), d)),
    env: f(() => ''),
    expandenv: f((s) => strval(s)),
  }
  return funcs
}

function deepEqual(a: unknown, b: unknown): boolean {
  return toJsonText(a) === toJsonText(b) && typeof a === typeof b
}

function trimSet(s: string, cut: string, left: boolean, right: boolean): string {
  let a = 0
  let b = s.length
  if (left) while (a < b && cut.includes(s[a]!)) a++
  if (right) while (b > a && cut.includes(s[b - 1]!)) b--
  return s.slice(a, b)
}

function wrapText(s: string, width: number): string {
  const out: string[] = []
  for (const line of s.split('\n')) {
    let cur = ''
    for (const w of line.split(' ')) {
      if (cur !== '' && cur.length + 1 + w.length > width) {
        out.push(cur)
        cur = w
      } else cur = cur === '' ? w : cur + ' ' + w
    }
    out.push(cur)
  }
  return out.join('\n')
}

function randomString(n: number, alphabet: string): string {
  const bytes = randomBytes(Math.max(0, n))
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('')
}

function base32(buf: Buffer): string {
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of buf) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alpha[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alpha[(value << (5 - bits)) & 31]
  while (out.length % 8 !== 0) out += '='
  return out
}

function adler32(buf: Buffer): number {
  let a = 1
  let b = 0
  for (const byte of buf) {
    a = (a + byte) % 65521
    b = (b + a) % 65521
  }
  return ((b << 16) | a) >>> 0
}

function formatDate(fmt: string, d: unknown): string {
  const date = d instanceof Date ? d : typeof d === 'bigint' || typeof d === 'number' ? new Date(Number(d) * 1000) : new Date()
  const p = (n: number, w = 2): string => String(n).padStart(w, '0')
  return fmt
    .replace('2006', String(date.getUTCFullYear()))
    .replace('01', p(date.getUTCMonth() + 1))
    .replace('02', p(date.getUTCDate()))
    .replace('15', p(date.getUTCHours()))
    .replace('04', p(date.getUTCMinutes()))
    .replace('05', p(date.getUTCSeconds()))
}

export {formatFloat, isStruct}
