/**
 * Typed target options. A target declares its options with the `option` helpers; `berth deploy`
 * takes them as repeated `--option key=value` pairs, checks them against the declaration before
 * anything is deployed, and hands the target a typed object.
 *
 * @example
 * ```ts
 * import {defineTarget, option} from 'berth/sdk'
 *
 * export const files = defineTarget({
 *   name: 'files',
 *   description: 'Write the project to a file.',
 *   options: {
 *     out: option.string({description: 'File to write.', default: 'project.json'}),
 *     indent: option.integer({description: 'JSON indentation.', default: 2}),
 *   },
 *   async deploy(project, options) {
 *     // options is {out: string; indent: number}
 *   },
 *   async remove() {},
 *   async status() { return {deployed: false, services: []} },
 * })
 * ```
 */
import {UserInputError} from '../../errors.js'

export type OptionKind = 'string' | 'boolean' | 'integer' | 'number'

export interface OptionSpec<T> {
  readonly kind: OptionKind
  readonly description: string
  readonly default?: T
  readonly required: boolean
  /** Allowed values (strings only). */
  readonly choices?: readonly string[]
  /** The type carrier; never set at runtime. */
  readonly __type?: T
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>

/** The options object a target receives for a declaration `S`. */
export type OptionValues<S extends OptionSpecs> = {[K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never}

interface Base {
  description: string
}

function string(o: Base & {default: string; choices?: readonly string[]}): OptionSpec<string>
function string(o: Base & {required: true; choices?: readonly string[]}): OptionSpec<string>
function string(o: Base & {choices?: readonly string[]}): OptionSpec<string | undefined>
function string(o: Base & {default?: string; required?: boolean; choices?: readonly string[]}): OptionSpec<string | undefined> {
  return {kind: 'string', description: o.description, default: o.default, required: o.required ?? false, choices: o.choices}
}

function boolean(o: Base & {default?: boolean}): OptionSpec<boolean> {
  return {kind: 'boolean', description: o.description, default: o.default ?? false, required: false}
}

function integer(o: Base & {default: number}): OptionSpec<number>
function integer(o: Base & {required: true}): OptionSpec<number>
function integer(o: Base): OptionSpec<number | undefined>
function integer(o: Base & {default?: number; required?: boolean}): OptionSpec<number | undefined> {
  return {kind: 'integer', description: o.description, default: o.default, required: o.required ?? false}
}

function number(o: Base & {default: number}): OptionSpec<number>
function number(o: Base & {required: true}): OptionSpec<number>
function number(o: Base): OptionSpec<number | undefined>
function number(o: Base & {default?: number; required?: boolean}): OptionSpec<number | undefined> {
  return {kind: 'number', description: o.description, default: o.default, required: o.required ?? false}
}

/** Helpers that declare a target's options with their types. */
export const option = {string, boolean, integer, number}

function convert(target: string, key: string, spec: OptionSpec<unknown>, raw: string): unknown {
  const bad = (expected: string) =>
    new UserInputError('TARGET_OPTION_INVALID', `target ${target}: option ${key} must be ${expected}, got "${raw}"`)
  switch (spec.kind) {
    case 'boolean': {
      if (['true', '1', 'yes', ''].includes(raw)) return true
      if (['false', '0', 'no'].includes(raw)) return false
      throw bad('true or false')
    }
    case 'integer': {
      if (!/^-?\d+$/.test(raw)) throw bad('an integer')
      return Number(raw)
    }
    case 'number': {
      const n = Number(raw)
      if (raw.trim() === '' || !Number.isFinite(n)) throw bad('a number')
      return n
    }
    default: {
      if (spec.choices && !spec.choices.includes(raw)) throw bad(`one of ${spec.choices.join(', ')}`)
      return raw
    }
  }
}

/**
 * Turn `key=value` pairs (from `--option`) into the options object for a target, with defaults
 * applied. Unknown keys, bad values and missing required options are user errors naming the key.
 */
export function parseTargetOptions(target: string, specs: OptionSpecs, pairs: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  const known = Object.keys(specs)
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    const key = eq === -1 ? pair : pair.slice(0, eq)
    const raw = eq === -1 ? '' : pair.slice(eq + 1)
    const spec = Object.hasOwn(specs, key) ? specs[key] : undefined
    if (!spec) {
      throw new UserInputError('TARGET_OPTION_UNKNOWN', `target ${target} has no option "${key}"`, {
        hints: [known.length > 0 ? `its options are: ${known.join(', ')}` : `target ${target} takes no options`],
      })
    }
    if (eq === -1 && spec.kind !== 'boolean') {
      throw new UserInputError('TARGET_OPTION_INVALID', `target ${target}: option ${key} needs a value (--option ${key}=VALUE)`)
    }
    values[key] = convert(target, key, spec, raw)
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (key in values) continue
    if (spec.default !== undefined) values[key] = spec.default
    else if (spec.required) throw new UserInputError('TARGET_OPTION_MISSING', `target ${target} needs option ${key} (--option ${key}=VALUE)`, {hints: [`${key}: ${spec.description}`]})
  }
  return values
}
