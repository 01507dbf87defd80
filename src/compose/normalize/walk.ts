/**
 * The rule table machinery: a rule is a path pattern (`services.*.ports`, `*` matching any key or
 * list index) and a function that returns the canonical value for the node found there (undefined
 * removes it). Rules run in table order, each over the whole model, so a later rule sees what the
 * earlier ones produced. The empty pattern is the whole model: a pass that looks at more than one
 * field (its function changes the model in place).
 */
import {BerthError} from '../../errors.js'
import type {ModelPath} from '../source.js'
import {LENIENT_CODES, type Model, type Normalizer} from './context.js'

export type RuleFn = (value: unknown, path: ModelPath, n: Normalizer, model: Model) => unknown

export interface Rule {
  pattern: string
  /** The pattern split on dots. */
  segments: string[]
  apply: RuleFn
}

/** A whole-project pass, for a row with the empty pattern. */
export function pass(fn: (model: Model, n: Normalizer) => void): RuleFn {
  return (_value, _path, n, model) => fn(model, n)
}

/** `[pattern, fn]` rows -> rules. */
export function rules(rows: ReadonlyArray<readonly [string, RuleFn]>): Rule[] {
  return rows.map(([pattern, apply]) => ({pattern, segments: pattern.split('.'), apply}))
}

export function applyRules(model: Model, table: readonly Rule[], n: Normalizer): void {
  for (const rule of table) {
    if (rule.pattern === '') {
      run(rule, model, [], n, model, undefined)
      continue
    }
    visit(model, rule.segments, 0, [], (parent, key, path) => {
      const value = (parent as Record<string | number, unknown>)[key]
      const next = run(rule, value, path, n, model, value)
      if (next === undefined) {
        if (Array.isArray(parent)) parent[key as number] = undefined
        else delete (parent as Record<string, unknown>)[key as string]
      } else {
        ;(parent as Record<string | number, unknown>)[key] = next
      }
    })
  }
}

/** `rule.apply(...)`, or `fallback` when a lenient normaliser meets a value it cannot read. */
function run(rule: Rule, value: unknown, path: ModelPath, n: Normalizer, model: Model, fallback: unknown): unknown {
  if (!n.ctx.lenient) return rule.apply(value, path, n, model)
  try {
    return rule.apply(value, path, n, model)
  } catch (error) {
    if (error instanceof BerthError && LENIENT_CODES.has(error.code)) return fallback
    throw error
  }
}

type Visitor = (parent: object, key: string | number, path: ModelPath) => void

/** Depth-first over the nodes matching `segments`; `path` is a shared stack, copied on a match. */
function visit(node: unknown, segments: string[], depth: number, path: Array<string | number>, fn: Visitor): void {
  if (node === null || typeof node !== 'object') return
  const segment = segments[depth]
  let keys: Array<string | number>
  if (segment !== '*') keys = !Array.isArray(node) && Object.hasOwn(node, segment) ? [segment] : []
  else if (Array.isArray(node)) keys = Array.from(node.keys())
  else keys = Object.keys(node)
  const last = depth === segments.length - 1
  for (const key of keys) {
    path.push(key)
    if (last) fn(node, key, path.slice())
    else visit((node as Record<string | number, unknown>)[key], segments, depth + 1, path, fn)
    path.pop()
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
