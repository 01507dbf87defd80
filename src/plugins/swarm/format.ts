/**
 * `--format` and `--filter` as the stack commands take them: `table` (default), `json` (one
 * object per line), or a template of `{{.Field}}` placeholders (`{{.Name}}\t{{.Replicas}}`) — the
 * part of Go templates people use with these commands; anything else is one clear error.
 */
import {UserInputError} from '../sdk/index.js'

export type OutputFormat = {kind: 'table'} | {kind: 'json'} | {kind: 'template'; template: string}

const PLACEHOLDER = /\{\{\s*(?:\.(\w+)|json\s+\.)\s*\}\}/g

export function parseFormat(format: string | undefined, fields: readonly string[]): OutputFormat {
  if (format === undefined || format === '' || format === 'table') return {kind: 'table'}
  if (format === 'json') return {kind: 'json'}
  const rest = format.replace(PLACEHOLDER, '')
  if (rest.includes('{{') || format.startsWith('table ')) {
    throw new UserInputError('FORMAT_UNSUPPORTED', `unsupported --format "${format}": use table, json, or a template of {{.Field}} placeholders`, {
      hints: [`fields: ${fields.join(', ')}`],
    })
  }
  for (const m of format.matchAll(PLACEHOLDER)) {
    if (m[1] !== undefined && !fields.includes(m[1])) {
      throw new UserInputError('FORMAT_UNSUPPORTED', `--format: there is no field "${m[1]}"`, {hints: [`fields: ${fields.join(', ')}`]})
    }
  }
  return {kind: 'template', template: format.replaceAll('\\t', '\t').replaceAll('\\n', '\n')}
}

export function renderTemplate(template: string, row: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_all, field: string | undefined) => (field === undefined ? JSON.stringify(row) : (row[field] ?? '')))
}

/** `--filter key=value` pairs -> engine filters; keys outside `allowed` are a user error. */
export function parseFilters(pairs: readonly string[] | undefined, allowed: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UserInputError('FILTER_INVALID', `bad filter "${pair}": use key=value`)
    const key = pair.slice(0, eq).trim().toLowerCase()
    if (!allowed.includes(key)) throw new UserInputError('FILTER_INVALID', `invalid filter '${key}'`, {hints: [`filters: ${allowed.join(', ')}`]})
    ;(out[key] ??= []).push(pair.slice(eq + 1))
  }
  return out
}
