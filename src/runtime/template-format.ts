/**
 * `--format` as docker and docker compose take it for `stats` and `volumes`:
 *
 *   table            the command's default columns, aligned (the default)
 *   table TEMPLATE   a header row named after the fields, then one aligned row per item
 *   json             one JSON object per line
 *   TEMPLATE         one line per item, not aligned
 *
 * TEMPLATE is the part of Go's text/template that docker's formatting docs use: `{{.Field}}`,
 * `{{json .}}`, `{{json .Field}}`, `{{upper .Field}}`, `{{lower .Field}}`, `{{title .Field}}`,
 * `{{truncate .Field 5}}`, `{{.Label "key"}}` (volumes), pipelines (`{{.Name | upper}}`) and the
 * `{{-`/`-}}` trim markers. `\t` and `\n` typed in the format become a tab and a newline, as in
 * docker. Templates are checked when parsed, so a typo is one line before any engine call.
 * Aligned output is laid out as Go's tabwriter does for docker (cells at least 10 wide, 3 spaces
 * of padding; the last cell of a line is not padded).
 */
import {UserInputError} from '../errors.js'

/** One item to format: its fields as strings, and labels for `{{.Label "key"}}`. */
export interface FormatItem {
  fields: Record<string, string>
  labels?: Record<string, string>
}

/** What a command's items look like: field names, their column headers, and the default table. */
export interface FormatSchema {
  /** Column header per field (`Name` -> `VOLUME NAME`). */
  headers: Record<string, string>
  /** The template `table` stands for: `{{.Driver}}\t{{.Name}}`. */
  defaultTable: string
  /** Whether items have labels (`{{.Label "key"}}`). */
  labels?: boolean
}

export type ParsedFormat = {kind: 'json'} | {kind: 'table'; template: Template} | {kind: 'template'; template: Template}

/** Parses a --format value (empty means `table`); a bad template throws a UserInputError. */
export function parseFormat(format: string | undefined, schema: FormatSchema): ParsedFormat {
  const text = (format ?? '').trim()
  if (text === '' || text === 'table') return {kind: 'table', template: parseTemplate(schema.defaultTable, schema)}
  if (text === 'json') return {kind: 'json'}
  if (text.startsWith('table ') || text.startsWith('table\t')) return {kind: 'table', template: parseTemplate(unescape(text.slice(6)), schema)}
  if (!text.includes('{{')) throw new UserInputError('BAD_FORMAT', `--format must be "table", "json", "table TEMPLATE" or a TEMPLATE with {{.Field}}s, not "${format}"`)
  return {kind: 'template', template: parseTemplate(unescape(format ?? ''), schema)}
}

/** The formatted items; every line ends with a newline. `header: false` leaves a table's header out. */
export function renderItems(parsed: ParsedFormat, items: readonly FormatItem[], schema: FormatSchema, options: {header?: boolean} = {}): string {
  if (parsed.kind === 'json') return items.map((item) => jsonOf(item.fields) + '\n').join('')
  const rendered = items.map((item) => execute(parsed.template, item))
  if (parsed.kind === 'template') return rendered.map((text) => text + '\n').join('')
  const header = options.header === false ? [] : [execute(parsed.template, {fields: schema.headers, labels: {}}, true)]
  return alignColumns([...header, ...rendered].flatMap((text) => text.split('\n')))
}

/**
 * Lines of tab-separated cells as Go's tabwriter lays them out for docker (minwidth 10,
 * padding 3): each column as wide as its widest cell plus 3, at least 10; the last cell of a
 * line is not padded.
 */
export function alignColumns(lines: readonly string[], minWidth = 10, padding = 3): string {
  const rows = lines.map((line) => line.split('\t'))
  const widths: number[] = []
  for (const cells of rows) {
    for (let i = 0; i < cells.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, Math.max(minWidth, width(cells[i]) + padding))
  }
  return rows.map((cells) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i] - width(cell)))).join('') + '\n').join('')
}

function width(text: string): number {
  return [...text].length
}

/** JSON with the keys in sorted order, as Go marshals a map. */
function jsonOf(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonOf(v)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

function unescape(format: string): string {
  return format.replaceAll('\\t', '\t').replaceAll('\\n', '\n')
}

// --- the template subset ---------------------------------------------------------------------

type Arg = {kind: 'dot'} | {kind: 'field'; name: string} | {kind: 'string'; value: string} | {kind: 'number'; value: number}

/** One command of a pipeline: a value (`.Name`), a function call (`upper .Name`) or `.Label "k"`. */
type Step = {kind: 'value'; arg: Arg} | {kind: 'call'; fn: string; args: Arg[]} | {kind: 'label'; key?: Arg}

type Part = {kind: 'text'; text: string} | {kind: 'action'; pipeline: Step[]}

export interface Template {
  source: string
  parts: Part[]
}

const FUNCTIONS: Record<string, {min: number; max: number}> = {
  json: {min: 1, max: 1},
  upper: {min: 1, max: 1},
  lower: {min: 1, max: 1},
  title: {min: 1, max: 1},
  truncate: {min: 2, max: 2},
}

export function parseTemplate(source: string, schema: FormatSchema): Template {
  const parts: Part[] = []
  let rest = source
  let trimNext = false
  while (rest.length > 0) {
    const open = rest.indexOf('{{')
    let text = open < 0 ? rest : rest.slice(0, open)
    if (trimNext) text = text.trimStart()
    if (open < 0) {
      if (text) parts.push({kind: 'text', text})
      break
    }
    const close = rest.indexOf('}}', open + 2)
    if (close < 0) throw templateError(source, 'unclosed action ("{{" without "}}")')
    let inner = rest.slice(open + 2, close)
    if (inner.startsWith('-') && /^-\s/.test(inner)) {
      text = text.trimEnd()
      inner = inner.slice(1)
    }
    trimNext = /\s-$/.test(inner)
    if (trimNext) inner = inner.slice(0, -1)
    if (text) parts.push({kind: 'text', text})
    parts.push({kind: 'action', pipeline: parsePipeline(inner.trim(), source, schema)})
    rest = rest.slice(close + 2)
  }
  return {source, parts}
}

function parsePipeline(action: string, source: string, schema: FormatSchema): Step[] {
  if (action === '') throw templateError(source, 'missing value for command ("{{}}")')
  const commands = splitOutsideQuotes(action, '|').map((c) => c.trim())
  return commands.map((command, index) => {
    const words = tokenize(command, source)
    if (words.length === 0) throw templateError(source, 'missing command in pipeline')
    const [head, ...rest] = words
    const piped = index > 0 ? 1 : 0
    if (head.startsWith('.') && head !== '.') {
      const name = head.slice(1)
      if (name === 'Label') {
        if (!schema.labels) throw templateError(source, `can't evaluate field Label (fields: ${Object.keys(schema.headers).join(', ')})`)
        if (rest.length + piped !== 1) throw templateError(source, 'Label takes one argument: {{.Label "key"}}')
        return {kind: 'label', key: rest[0] === undefined ? undefined : argOf(rest[0], source, schema)}
      }
      if (rest.length > 0) throw templateError(source, `${head} is not a function; it takes no arguments`)
      return {kind: 'value', arg: argOf(head, source, schema)}
    }
    if (head === '.' || head.startsWith('"') || /^-?\d/.test(head)) {
      if (rest.length > 0 || piped) throw templateError(source, `can't give arguments to a non-function ${head}`)
      return {kind: 'value', arg: argOf(head, source, schema)}
    }
    const fn = FUNCTIONS[head]
    if (!fn) throw templateError(source, `function "${head}" not defined (functions: ${Object.keys(FUNCTIONS).join(', ')})`)
    const count = rest.length + piped
    if (count < fn.min || count > fn.max) throw templateError(source, `wrong number of arguments for ${head}: want ${fn.min}, got ${count}`)
    return {kind: 'call', fn: head, args: rest.map((word) => argOf(word, source, schema))}
  })
}

function argOf(word: string, source: string, schema: FormatSchema): Arg {
  if (word === '.') return {kind: 'dot'}
  if (word.startsWith('"')) return {kind: 'string', value: JSON.parse(word) as string}
  if (/^-?\d+$/.test(word)) return {kind: 'number', value: Number(word)}
  if (word.startsWith('.')) {
    const name = word.slice(1)
    if (!Object.hasOwn(schema.headers, name)) throw templateError(source, `can't evaluate field ${name} (fields: ${Object.keys(schema.headers).join(', ')})`)
    return {kind: 'field', name}
  }
  throw templateError(source, `function "${word}" not defined here; use it first in an action: {{${word} .Field}}`)
}

function tokenize(command: string, source: string): string[] {
  const words: string[] = []
  const pattern = /\s*("(?:[^"\\]|\\.)*"|[^\s"]+)/gy
  let match: RegExpExecArray | null
  let end = 0
  while ((match = pattern.exec(command)) !== null) {
    words.push(match[1])
    end = pattern.lastIndex
  }
  if (command.slice(end).trim() !== '') throw templateError(source, 'unterminated quoted string')
  return words
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '\\' && quoted) {
      current += ch + (text[i + 1] ?? '')
      i++
      continue
    }
    if (ch === '"') quoted = !quoted
    if (ch === separator && !quoted) {
      out.push(current)
      current = ''
    } else current += ch
  }
  out.push(current)
  return out
}

function templateError(source: string, message: string): UserInputError {
  return new UserInputError('BAD_FORMAT', `template "${source.replaceAll('\t', '\\t').replaceAll('\n', '\\n')}": ${message}`)
}

type Value = string | number | Record<string, string>

function execute(template: Template, item: FormatItem, header = false): string {
  return template.parts
    .map((part) => {
      if (part.kind === 'text') return part.text
      let value: Value | undefined
      for (const step of part.pipeline) value = evaluate(step, item, value, header)
      return display(value)
    })
    .join('')
}

function evaluate(step: Step, item: FormatItem, piped: Value | undefined, header: boolean): Value {
  const resolve = (arg: Arg): Value => {
    switch (arg.kind) {
      case 'dot':
        return item.fields
      case 'field':
        return item.fields[arg.name] ?? ''
      case 'string':
      case 'number':
        return arg.value
    }
  }
  if (step.kind === 'value') return resolve(step.arg)
  if (step.kind === 'label') {
    const key = String(step.key ? resolve(step.key) : (piped ?? ''))
    return header ? key.toUpperCase() : (item.labels?.[key] ?? '')
  }
  const args = step.args.map(resolve)
  if (piped !== undefined) args.push(piped)
  switch (step.fn) {
    case 'json':
      return jsonOf(args[0])
    case 'upper':
      return display(args[0]).toUpperCase()
    case 'lower':
      return display(args[0]).toLowerCase()
    case 'title':
      return display(args[0]).replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase())
    case 'truncate': {
      // docker's truncate: {{truncate .Field N}}; either order works when one is a number.
      const [a, b] = args
      const [text, length] = typeof a === 'number' ? [display(b), a] : [display(a), Number(b)]
      return [...text].slice(0, Math.max(0, length)).join('')
    }
    default:
      return ''
  }
}

function display(value: Value | undefined): string {
  if (value === undefined) return ''
  if (typeof value === 'object') return jsonOf(value)
  return String(value)
}
