/**
 * Template errors as helm prints them — `template: chart/templates/x.yaml:3:14: executing
 * "chart/templates/x.yaml" at <.Values.a.b>: nil pointer evaluating interface {}.b` and
 * `execution error at (chart/templates/x.yaml:1:6): message` for required/fail — on one line,
 * with the template's line and a caret as context. Columns are Go's: the 0-based byte in the line.
 */
import {UserInputError} from '../../sdk/index.js'

export interface TemplatePlace {
  name: string
  text: string
  pos: number
}

export function lineCol(text: string, pos: number): {line: number; col: number} {
  const before = text.slice(0, pos)
  const line = before.split('\n').length
  const nl = before.lastIndexOf('\n')
  const col = Buffer.byteLength(before.slice(nl + 1), 'utf8')
  return {line, col}
}

/** The template's line at pos with a caret under the column. */
export function templateSnippet(text: string, pos: number): string {
  const {line} = lineCol(text, pos)
  const lines = text.split('\n')
  const nl = text.lastIndexOf('\n', pos - 1)
  const col = pos - (nl + 1)
  const width = String(line).length
  return `${String(line).padStart(width)} | ${lines[line - 1]}\n${' '.repeat(width)} | ${' '.repeat(col)}^`
}

export class TemplateError extends UserInputError {
  constructor(code: string, message: string, place?: TemplatePlace) {
    super(code, message, {context: place ? templateSnippet(place.text, place.pos) : undefined})
  }
}

/** A template that does not parse: `template: NAME:LINE: message` as Go words it. */
export class TemplateParseError extends TemplateError {
  constructor(name: string, text: string, pos: number, message: string) {
    const {line} = lineCol(text, pos)
    super('CHART_TEMPLATE_PARSE', `parse error at (${name}:${line}): ${message}`, {name, text, pos})
  }
}

/** An error while executing: where, at which node, and why. */
export class TemplateExecError extends TemplateError {
  constructor(place: TemplatePlace, node: string, message: string) {
    const {line, col} = lineCol(place.text, place.pos)
    super('CHART_TEMPLATE_EXEC', `template: ${place.name}:${line}:${col}: executing "${place.name}" at <${node}>: ${message}`, place)
  }
}

/** required / fail: helm's `execution error at (file:line:col): message`. */
export class TemplateFailError extends TemplateError {
  constructor(place: TemplatePlace, message: string) {
    const {line, col} = lineCol(place.text, place.pos)
    super('CHART_TEMPLATE_FAIL', `execution error at (${place.name}:${line}:${col}): ${message}`, place)
  }
}

/** Thrown by a function to fail the template with the function's own message (fail, required). */
export class FailSignal extends Error {}
