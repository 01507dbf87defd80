/**
 * Errors about a Dockerfile the user wrote: `Dockerfile:line:col: message` plus a snippet with a
 * caret, the same shape as Compose file errors.
 */
import {UserInputError} from '../../errors.js'
import {snippet, type SourcePosition} from '../../compose/source.js'

export class DockerfileError extends UserInputError {
  readonly file: string
  readonly position?: SourcePosition

  constructor(code: string, message: string, where: {file: string; text?: string; position?: SourcePosition}, hints?: string[]) {
    const at = where.position ? `${where.file}:${where.position.line}:${where.position.col}` : where.file
    super(code, `${at}: ${message}`, {
      context: where.position && where.text !== undefined ? snippet(where.text, where.position) : undefined,
      hints,
    })
    this.file = where.file
    this.position = where.position
  }
}

/** A word that could not be expanded (`${v:?msg}`, an unterminated quote); the caller adds the place. */
export class SubstitutionError extends Error {}
