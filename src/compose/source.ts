/**
 * Where a value came from: a Compose file's text and a way to find the line:col of any node by
 * its path. Every stage that reports a user error about a file uses this to name file:line:col
 * and show a snippet with a caret.
 */
import {UserInputError} from '../errors.js'

export interface SourcePosition {
  /** 1-based line. */
  line: number
  /** 1-based column. */
  col: number
}

export type ModelPath = ReadonlyArray<string | number>

export interface SourceFile {
  /** Absolute path, or "-" for stdin. */
  path: string
  text: string
  /** Position of the node at `path` (its key for a mapping entry), or the nearest ancestor's. */
  positionOf(path: ModelPath): SourcePosition | undefined
}

/** `services.web.ports[0]` */
export function formatPath(path: ModelPath): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? part : `.${part}`
  }
  return out
}

/** Two lines of context, the offending line, and a caret under the column. */
export function snippet(text: string, pos: SourcePosition): string {
  const lines = text.split(/\r?\n/)
  const first = Math.max(1, pos.line - 2)
  const width = String(pos.line).length
  const out: string[] = []
  for (let n = first; n <= Math.min(pos.line, lines.length); n++) {
    out.push(`${String(n).padStart(width)} | ${lines[n - 1]}`)
  }
  out.push(`${' '.repeat(width)} | ${' '.repeat(Math.max(0, pos.col - 1))}^`)
  return out.join('\n')
}

/** A problem at a place in a Compose file: `file:line:col: message` plus a snippet. */
export class ComposeFileError extends UserInputError {
  readonly file: string
  readonly position?: SourcePosition
  readonly modelPath?: string

  constructor(code: string, message: string, where: {source?: SourceFile; file?: string; path?: ModelPath; position?: SourcePosition}, hints?: string[]) {
    const file = where.source?.path ?? where.file ?? '<unknown>'
    const position = where.position ?? (where.source && where.path ? where.source.positionOf(where.path) : undefined)
    const at = position ? `${file}:${position.line}:${position.col}` : file
    const pathText = where.path && where.path.length > 0 ? ` (${formatPath(where.path)})` : ''
    super(code, `${at}: ${message}${pathText}`, {
      context: position && where.source ? snippet(where.source.text, position) : undefined,
      hints,
    })
    this.file = file
    this.position = position
    this.modelPath = where.path ? formatPath(where.path) : undefined
  }
}
