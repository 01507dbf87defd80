/**
 * Values as helm assembles them: -f files merged in order (maps deep, everything else replaced),
 * then --set-json, --set and --set-string in helm's key path syntax (a.b[0].c=v, a\.b=v for a
 * dot in a key, {x,y} for a list, \, for a comma in a value), then the chart's defaults under
 * them (a null removes a default), subcharts scoped to their own key with `global` shared down.
 * YAML is read as YAML 1.1, as helm's reader does (yes/no/on/off are booleans; numbers float64).
 */
import {parse as parseYaml, YAMLParseError} from 'yaml'
import {UserInputError} from '../sdk/index.js'
import {isMap} from './template/values.js'

export type Values = Record<string, unknown>

/** Reads values YAML: an empty file is {}, a non-map is an error. Numbers are float64, keys strings. */
export function parseValues(text: string, file: string): Values {
  let v: unknown
  try {
    v = parseYaml(text, {version: '1.1', uniqueKeys: false})
  } catch (e) {
    if (e instanceof YAMLParseError && e.linePos) {
      throw new UserInputError('CHART_VALUES_YAML', `${file}:${e.linePos[0].line}:${e.linePos[0].col}: ${e.message.split('\n')[0]}`)
    }
    throw new UserInputError('CHART_VALUES_YAML', `${file}: ${(e as Error).message.split('\n')[0]}`)
  }
  if (v === null || v === undefined) return {}
  if (!isMap(v)) throw new UserInputError('CHART_VALUES_YAML', `${file}: values must be a map, not ${Array.isArray(v) ? 'a list' : typeof v}`)
  return normalise(v) as Values
}

/** Through JSON, as helm's reader: keys as strings, dates as strings. */
function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z')
  if (Array.isArray(v)) return v.map(normalise)
  if (v instanceof Map) {
    const out: Values = {}
    for (const [k, x] of v) out[String(k)] = normalise(x)
    return out
  }
  if (isMap(v)) {
    const out: Values = {}
    for (const [k, x] of Object.entries(v)) out[k] = normalise(x)
    return out
  }
  if (typeof v === 'bigint') return Number(v)
  return v
}

/** helm's mergeMaps: b over a, maps merged deep. */
export function mergeMaps(a: Values, b: Values): Values {
  const out: Values = {...a}
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k]
    out[k] = isMap(v) && isMap(cur) ? mergeMaps(cur, v) : v
  }
  return out
}

/**
 * helm's coalesce: user values over chart defaults. A null in the user's values deletes the
 * default key; maps merge deep.
 */
export function coalesce(user: Values, defaults: Values): Values {
  const out: Values = {...user}
  for (const [k, dv] of Object.entries(defaults)) {
    if (!(k in out)) {
      out[k] = structuredCopy(dv)
      continue
    }
    const uv = out[k]
    if (uv === null) {
      delete out[k]
      continue
    }
    if (isMap(uv) && isMap(dv)) out[k] = coalesce(uv, dv)
  }
  for (const [k, v] of Object.entries(out)) if (v === null && !(k in defaults)) out[k] = null
  return out
}

function structuredCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(structuredCopy)
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCopy(x)]))
  return v
}

type Kind = 'set' | 'string' | 'json'

/** One --set/--set-string/--set-json argument applied onto values. */
export function applySet(values: Values, arg: string, kind: Kind): void {
  const p = new SetParser(arg, kind)
  p.parseInto(values)
}

class SetParser {
  private i = 0
  constructor(private readonly s: string, private readonly kind: Kind) {}

  fail(msg: string): never {
    throw new UserInputError('CHART_SET', `--set${this.kind === 'set' ? '' : '-' + this.kind} ${JSON.stringify(this.s)}: ${msg}`)
  }

  parseInto(values: Values): void {
    while (this.i < this.s.length) {
      const path = this.keyPath()
      if (this.s[this.i] !== '=') this.fail(`key "${path.join('.')}" has no value`)
      this.i++
      let value: unknown
      if (this.kind === 'json') {
        const text = this.s.slice(this.i)
        try {
          value = JSON.parse(text) as unknown
        } catch (e) {
          this.fail(`invalid JSON: ${(e as Error).message}`)
        }
        this.i = this.s.length
      } else if (this.s[this.i] === '{') {
        this.i++
        const items: unknown[] = []
        for (;;) {
          const v = this.rawValue(['}', ','])
          items.push(this.typed(v))
          if (this.s[this.i] === ',') {
            this.i++
            continue
          }
          if (this.s[this.i] !== '}') this.fail('list is missing its closing }')
          this.i++
          break
        }
        value = items
        if (this.s[this.i] === ',') this.i++
      } else {
        value = this.typed(this.rawValue([',']))
        if (this.s[this.i] === ',') this.i++
      }
      setPath(values, path, value, this)
    }
  }

  /** Key parts: strings for map keys, numbers for list indexes. */
  keyPath(): Array<string | number> {
    const out: Array<string | number> = []
    let cur = ''
    while (this.i < this.s.length) {
      const c = this.s[this.i]!
      if (c === '\\' && this.i + 1 < this.s.length) {
        cur += this.s[this.i + 1]
        this.i += 2
        continue
      }
      if (c === '=') break
      if (c === ',') this.fail(`key "${cur}" has no value`)
      if (c === '.') {
        if (cur !== '') out.push(cur)
        cur = ''
        this.i++
        continue
      }
      if (c === '[') {
        if (cur !== '') out.push(cur)
        cur = ''
        const end = this.s.indexOf(']', this.i)
        const n = Number(this.s.slice(this.i + 1, end))
        if (end === -1 || !Number.isInteger(n) || n < 0) this.fail('list index must be a non-negative integer')
        if (n > 65536) this.fail(`index of ${n} is greater than maximum supported index of 65536`)
        out.push(n)
        this.i = end + 1
        continue
      }
      cur += c
      this.i++
    }
    if (cur !== '') out.push(cur)
    if (out.length === 0) this.fail('empty key')
    return out
  }

  rawValue(stops: string[]): string {
    let out = ''
    while (this.i < this.s.length) {
      const c = this.s[this.i]!
      if (c === '\\' && this.i + 1 < this.s.length) {
        out += this.s[this.i + 1]
        this.i += 2
        continue
      }
      if (stops.includes(c)) break
      out += c
      this.i++
    }
    return out
  }

  typed(v: string): unknown {
    if (this.kind === 'string') return v
    if (v.toLowerCase() === 'true') return true
    if (v.toLowerCase() === 'false') return false
    if (v.toLowerCase() === 'null') return null
    if (v === '0') return 0n
    if (/^-?[1-9]\d*$/.test(v) && BigInt(v) <= 9223372036854775807n && BigInt(v) >= -9223372036854775808n) return BigInt(v)
    return v
  }
}

function setPath(root: Values, path: Array<string | number>, value: unknown, p: SetParser): void {
  let cur: unknown = root
  for (let k = 0; k < path.length; k++) {
    const key = path[k]!
    const last = k === path.length - 1
    const nextIsIndex = !last && typeof path[k + 1] === 'number'
    const fresh = (): unknown => (nextIsIndex ? [] : {})
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) p.fail('list index on a value that is not a list')
      const arr = cur as unknown[]
      while (arr.length <= key) arr.push(null)
      if (last) arr[key] = value
      else {
        if (!(isMap(arr[key]) || Array.isArray(arr[key]))) arr[key] = fresh()
        cur = arr[key]
      }
    } else {
      const m = cur as Values
      if (last) m[key] = value
      else {
        const existing = m[key]
        if (nextIsIndex ? !Array.isArray(existing) : !isMap(existing)) m[key] = fresh()
        cur = m[key]
      }
    }
  }
}
