/**
 * Variable substitution in Compose values, as docker compose does it: `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`,
 * `${VAR+alt}`, nesting in the default (`${A:-${B:-x}}`) and `$$` for a literal `$`. Values are
 * interpolated, keys are not. After substitution, strings at fields that the specification types
 * as numbers or booleans are cast (`replicas: ${N}` -> 3), as compose does before validation.
 */
import {ComposeFileError, type ModelPath, type SourceFile, type SourcePosition} from './source.js'

/** Finds a variable's value; undefined when it is not set (an empty string is set). */
export type Lookup = (name: string) => string | undefined

/** A problem in one template string; converted to a ComposeFileError by the caller who knows where. */
export class TemplateError extends Error {
  constructor(
    readonly kind: 'invalid' | 'required',
    message: string,
    readonly variable?: string,
  ) {
    super(message)
  }
}

export interface SubstituteHooks {
  /** Called for `$VAR` / `${VAR}` when VAR is not set (it becomes an empty string). */
  onUnset?: (name: string) => void
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/

/** Substitute variables in one string. Throws TemplateError. */
export function substitute(template: string, lookup: Lookup, hooks: SubstituteHooks = {}): string {
  if (!template.includes('$')) return template
  let out = ''
  let i = 0
  while (i < template.length) {
    const c = template[i]
    if (c !== '$') {
      out += c
      i++
      continue
    }
    const next = template[i + 1]
    if (next === '$') {
      out += '$'
      i += 2
      continue
    }
    if (next === '{') {
      const end = closingBrace(template, i + 1)
      if (end < 0) throw invalid(template)
      out += braced(template.slice(i + 2, end), template, lookup, hooks)
      i = end + 1
      continue
    }
    const name = NAME.exec(template.slice(i + 1))
    if (name) {
      out += plain(name[0], lookup, hooks)
      i += 1 + name[0].length
      continue
    }
    // A `$` not followed by a name stays as it is (`$1`, a trailing `$`), as compose does.
    out += c
    i++
  }
  return out
}

function closingBrace(text: string, open: number): number {
  let depth = 0
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++
    else if (text[j] === '}' && --depth === 0) return j
  }
  return -1
}

function invalid(template: string): TemplateError {
  return new TemplateError('invalid', `invalid interpolation format in "${template}"`)
}

function plain(name: string, lookup: Lookup, hooks: SubstituteHooks): string {
  const value = lookup(name)
  if (value === undefined) {
    hooks.onUnset?.(name)
    return ''
  }
  return value
}

/** The parts of a `${...}`: `${NAME}`, `${NAME:-arg}`, `${NAME+arg}`, ... */
export interface BracedVariable {
  name: string
  /** '' for `${NAME}`; `-` default, `+` alternate, `?` required. */
  op: '' | '-' | '+' | '?'
  /** `:-`, `:+`, `:?` (an empty value counts as unset) rather than `-`, `+`, `?`. */
  colon: boolean
  /** The text after the operator, as written (it may hold more variables). */
  arg: string
}

/** Split the text between `${` and its `}`. Throws TemplateError. */
function parseBraced(inner: string, template: string): BracedVariable {
  const match = NAME.exec(inner)
  if (!match) throw invalid(template)
  const name = match[0]
  const rest = inner.slice(name.length)
  if (rest === '') return {name, op: '', colon: false, arg: ''}
  const colon = rest.startsWith(':')
  const op = rest[colon ? 1 : 0]
  if (op !== '-' && op !== '+' && op !== '?') throw invalid(template)
  return {name, op, colon, arg: rest.slice(colon ? 2 : 1)}
}

function braced(inner: string, template: string, lookup: Lookup, hooks: SubstituteHooks): string {
  const {name, op, colon, arg} = parseBraced(inner, template)
  if (op === '') return plain(name, lookup, hooks)
  const value = lookup(name)
  const present = colon ? value !== undefined && value !== '' : value !== undefined
  switch (op) {
    case '-':
      return present ? (value as string) : substitute(arg, lookup, hooks)
    case '+':
      return present ? substitute(arg, lookup, hooks) : (value ?? '')
    case '?': {
      if (present) return value as string
      const reason = substitute(arg, lookup, hooks)
      throw new TemplateError(
        'required',
        reason ? `required variable ${name} is missing a value: ${reason}` : `required variable ${name} is missing a value`,
        name,
      )
    }
  }
}

/**
 * Every variable a template refers to, in the order written, without substituting anything:
 * `$VAR` and `${VAR}` as op '', the others with their operator and argument as written. Variables
 * inside a default or an alternate are reported too (after the one that holds them); those inside
 * a `?` message are not, since they only word an error. `$$` is a literal. Throws TemplateError on
 * a malformed template, as substitute does.
 */
export function scanVariables(template: string, visit: (variable: BracedVariable) => void): void {
  let i = template.indexOf('$')
  while (i >= 0 && i < template.length) {
    const next = template[i + 1]
    if (next === '$') {
      i = template.indexOf('$', i + 2)
      continue
    }
    if (next === '{') {
      const end = closingBrace(template, i + 1)
      if (end < 0) throw invalid(template)
      const variable = parseBraced(template.slice(i + 2, end), template)
      visit(variable)
      if (variable.op === '-' || variable.op === '+') scanVariables(variable.arg, visit)
      i = template.indexOf('$', end + 1)
      continue
    }
    const name = NAME.exec(template.slice(i + 1))
    if (name) visit({name: name[0], op: '', colon: false, arg: ''})
    i = template.indexOf('$', i + 1 + (name ? name[0].length : 0))
  }
}

// ---------------------------------------------------------------------------------------------
// Whole-model interpolation

type Cast = (value: string) => unknown

const toInt: Cast = (v) => {
  if (!/^[-+]?\d+$/.test(v.trim())) throw new Error(`"${v}" is not an integer`)
  return Number.parseInt(v, 10)
}
const toFloat: Cast = (v) => {
  const n = Number(v.trim())
  if (v.trim() === '' || Number.isNaN(n)) throw new Error(`"${v}" is not a number`)
  return n
}
const toBool: Cast = (v) => {
  switch (v.toLowerCase()) {
    case 'true':
    case 'y':
    case 'yes':
    case 'on':
      return true
    case 'false':
    case 'n':
    case 'no':
    case 'off':
      return false
    default:
      throw new Error(`"${v}" is not a boolean`)
  }
}

/** Fields whose string values are cast after substitution. `*` matches any key or index. */
const CASTS: ReadonlyArray<readonly [string[], Cast]> = [
  ...(
    [
      ['cpu_count', toInt],
      ['cpu_percent', toFloat],
      ['cpu_period', toInt],
      ['cpu_quota', toInt],
      ['cpu_rt_period', toInt],
      ['cpu_rt_runtime', toInt],
      ['cpus', toFloat],
      ['cpu_shares', toInt],
      ['init', toBool],
      ['depends_on.*.required', toBool],
      ['depends_on.*.restart', toBool],
      ['deploy.replicas', toInt],
      ['deploy.update_config.parallelism', toInt],
      ['deploy.update_config.max_failure_ratio', toFloat],
      ['deploy.rollback_config.parallelism', toInt],
      ['deploy.rollback_config.max_failure_ratio', toFloat],
      ['deploy.restart_policy.max_attempts', toInt],
      ['deploy.placement.max_replicas_per_node', toInt],
      ['healthcheck.retries', toInt],
      ['healthcheck.disable', toBool],
      ['oom_kill_disable', toBool],
      ['oom_score_adj', toInt],
      ['pids_limit', toInt],
      ['ports.*.target', toInt],
      ['privileged', toBool],
      ['read_only', toBool],
      ['scale', toInt],
      ['stdin_open', toBool],
      ['tty', toBool],
      ['ulimits.*', toInt],
      ['ulimits.*.hard', toInt],
      ['ulimits.*.soft', toInt],
      ['volumes.*.read_only', toBool],
      ['volumes.*.volume.nocopy', toBool],
    ] as Array<[string, Cast]>
  ).map(([p, c]): readonly [string[], Cast] => [['services', '*', ...p.split('.')], c]),
  ...(
    [
      ['networks.*.external', toBool],
      ['networks.*.internal', toBool],
      ['networks.*.attachable', toBool],
      ['networks.*.enable_ipv4', toBool],
      ['networks.*.enable_ipv6', toBool],
      ['volumes.*.external', toBool],
      ['secrets.*.external', toBool],
      ['configs.*.external', toBool],
    ] as Array<[string, Cast]>
  ).map(([p, c]): readonly [string[], Cast] => [p.split('.'), c]),
]

/** CASTS by the last segment of their pattern: most strings (image, command, ...) miss at once. */
const CASTS_BY_FIELD = new Map<string, Array<readonly [string[], Cast]>>()
for (const row of CASTS) {
  const field = row[0][row[0].length - 1]
  CASTS_BY_FIELD.set(field, [...(CASTS_BY_FIELD.get(field) ?? []), row])
}

function castFor(path: ModelPath): Cast | undefined {
  const last = path[path.length - 1]
  // A pattern ending in `*` matches any last segment; no path matches two patterns.
  return (typeof last === 'string' && matchCast(CASTS_BY_FIELD.get(last), path)) || matchCast(CASTS_BY_FIELD.get('*'), path)
}

function matchCast(rows: ReadonlyArray<readonly [string[], Cast]> | undefined, path: ModelPath): Cast | undefined {
  if (!rows) return undefined
  for (const [pattern, cast] of rows) {
    if (pattern.length !== path.length) continue
    let ok = true
    for (let i = 0; i < pattern.length && ok; i++) ok = pattern[i] === '*' || pattern[i] === String(path[i])
    if (ok) return cast
  }
  return undefined
}

export interface InterpolateOptions {
  lookup: Lookup
  /** Where the model came from, for error positions. */
  source?: SourceFile
  onUnset?: (name: string) => void
  /** Cast typed fields (default true). */
  cast?: boolean
}

/**
 * Interpolate every string value of a freshly parsed model, in place (containers keep their
 * identity, so their recorded origins stay valid). Returns the model.
 */
export function interpolateModel<T>(model: T, options: InterpolateOptions): T {
  const cast = options.cast ?? true
  const hooks: SubstituteHooks = {onUnset: options.onUnset}
  const visit = (value: unknown, path: Array<string | number>): unknown => {
    if (typeof value === 'string') {
      let result: unknown
      try {
        result = substitute(value, options.lookup, hooks)
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error
        const hints = error.kind === 'invalid' ? ['write a literal $ as $$'] : error.variable ? [`set ${error.variable} in the environment or in the .env file`] : []
        // Point at the variable inside the value when the source knows where values are.
        const valueAt = (options.source as {valuePositionOf?: (p: ModelPath, needle?: string) => SourcePosition | undefined} | undefined)?.valuePositionOf?.(
          path,
          error.variable ? `\${${error.variable}` : '${',
        )
        throw new ComposeFileError(error.kind === 'invalid' ? 'COMPOSE_INTERPOLATION_SYNTAX' : 'COMPOSE_REQUIRED_VARIABLE', error.message, {
          source: options.source,
          file: options.source?.path,
          path,
          position: valueAt,
        }, hints)
      }
      const caster = cast ? castFor(path) : undefined
      if (caster) {
        try {
          result = caster(result as string)
        } catch (error) {
          throw new ComposeFileError('COMPOSE_INTERPOLATION_TYPE', `invalid value: ${(error as Error).message}`, {source: options.source, file: options.source?.path, path})
        }
      }
      return result
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i)
        value[i] = visit(value[i], path)
        path.pop()
      }
      return value
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>
      for (const key of Object.keys(record)) {
        path.push(key)
        record[key] = visit(record[key], path)
        path.pop()
      }
      return value
    }
    return value
  }
  return visit(model, []) as T
}
