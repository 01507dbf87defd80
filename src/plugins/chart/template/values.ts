/**
 * How Go values are held in JavaScript while a template runs:
 *
 *   nil        null or undefined        int (int64)   bigint (template literals, len, add, int ...)
 *   bool       boolean                  float64       number (every number from YAML or JSON values)
 *   string     string                   slice         array
 *   map        plain object             struct        a GoStruct (fields by name; a missing one is an error)
 *
 * A struct's field may be a function: it is a method (`.Files.Get "x"`).
 */
export type GoValue = unknown

const kStruct = Symbol.for('berth.chart.struct')

/** A Go struct: its fields are named, and asking for another is an error (a map gives nil). */
export class GoStruct {
  readonly [kStruct] = true
  constructor(readonly typeName: string, readonly fields: Record<string, unknown>, readonly display?: () => string) {}
}

export function isStruct(v: unknown): v is GoStruct {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[kStruct] === true
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isStruct(v) && !(v instanceof Uint8Array)
}

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
export function truth(v: unknown): boolean {
  if (isNil(v)) return false
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'bigint') return v !== 0n
  if (typeof v === 'string') return v.length > 0
  if (Array.isArray(v)) return v.length > 0
  if (isMap(v)) return Object.keys(v).length > 0
  return true
}

/** The Go type name, as %T and typeOf print it. */
export function typeName(v: unknown): string {
  if (isNil(v)) return '<nil>'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return 'float64'
  if (typeof v === 'bigint') return 'int'
  if (typeof v === 'string') return 'string'
  if (Array.isArray(v)) return '[]interface {}'
  if (isStruct(v)) return v.typeName
  if (typeof v === 'function') return 'func'
  return 'map[string]interface {}'
}

/** reflect.Kind's name, as kindOf prints it. */
export function kindName(v: unknown): string {
  if (isNil(v)) return 'invalid'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return 'float64'
  if (typeof v === 'bigint') return 'int'
  if (typeof v === 'string') return 'string'
  if (Array.isArray(v)) return 'slice'
  if (isStruct(v)) return 'struct'
  if (typeof v === 'function') return 'func'
  return 'map'
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64), which %v uses: shortest digits, exponent form below 1e-4 or from 1e6 on (1e+06, 1.234567e+06). */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN'
  if (f === Infinity) return '+Inf'
  if (f === -Infinity) return '-Inf'
  if (f === 0) return Object.is(f, -0) ? '-0' : '0'
  const [mant, expText] = f.toExponential().split('e') as [string, string]
  const exp = Number(expText)
  const neg = mant.startsWith('-')
  const digits = mant.replace('-', '').replace('.', '')
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const e = Math.abs(exp)
    return `${neg ? '-' : ''}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`
  }
  let out: string
  if (exp < 0) out = '0.' + '0'.repeat(-exp - 1) + digits
  else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length)
  else out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1)
  return (neg ? '-' : '') + out
}
