/**
 * The variables a Compose model refers to, for `config --variables`: read from the merged model as
 * written (before interpolation), so that a required variable that is not set is listed rather
 * than stopping the load. Keys are not interpolated, so only values are read.
 */
import {scanVariables, TemplateError} from './interpolate.js'
import {ComposeFileError, type ModelPath, type SourceFile} from './source.js'

/** One variable, in the shape docker compose prints it (`config --variables --format json`). */
export interface ModelVariable {
  Name: string
  /** The default of `${NAME:-default}` / `${NAME-default}`, as written. */
  DefaultValue: string
  /** The alternate of `${NAME:+alt}` / `${NAME+alt}`, as written. */
  PresenceValue: string
  /** Written `${NAME:?msg}` or `${NAME?msg}` somewhere: loading fails while it is unset. */
  Required: boolean
}

export interface ExtractOptions {
  /** Where a path of the model was written, for the position of a malformed template. */
  sourceOf?: (path: ModelPath) => SourceFile | undefined
}

/**
 * The variables of the string values of `model`, sorted by name. A variable used in several places
 * is required if any of them requires it; its default and alternate are the first non-empty ones
 * in model order. Throws ComposeFileError on a malformed template (`${`, `${1A}`).
 */
export function extractVariables(model: unknown, options: ExtractOptions = {}): Record<string, ModelVariable> {
  const found = new Map<string, ModelVariable>()
  const add = ({name, op, arg}: {name: string; op: string; arg: string}) => {
    let v = found.get(name)
    if (!v) {
      v = {Name: name, DefaultValue: '', PresenceValue: '', Required: false}
      found.set(name, v)
    }
    if (op === '?') v.Required = true
    else if (op === '-' && v.DefaultValue === '') v.DefaultValue = arg
    else if (op === '+' && v.PresenceValue === '') v.PresenceValue = arg
  }
  const path: Array<string | number> = []
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('$')) return
      try {
        scanVariables(value, add)
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error
        throw new ComposeFileError('COMPOSE_INTERPOLATION_SYNTAX', error.message, {source: options.sourceOf?.(path), path: [...path]}, ['write a literal $ as $$'])
      }
      return
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        path.push(i)
        visit(item)
        path.pop()
      })
      return
    }
    if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        path.push(key)
        visit(item)
        path.pop()
      }
    }
  }
  visit(model)
  const names = [...found.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(names.map((n) => [n, found.get(n) as ModelVariable]))
}

/**
 * The table docker compose prints for `config --variables`: columns at least 20 wide, 3 spaces
 * between them, the last one not padded.
 */
export function variablesTable(variables: Record<string, ModelVariable>): string {
  const rows = [['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE'], ...Object.values(variables).map((v) => [v.Name, String(v.Required), v.DefaultValue, v.PresenceValue])]
  const widths = [0, 1, 2].map((c) => Math.max(20, ...rows.map((r) => r[c].length + 3)))
  return rows.map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell)).join('') + '\n').join('')
}
