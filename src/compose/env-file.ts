/**
 * `.env` files as docker compose reads them: `KEY=VALUE` (or `KEY: VALUE`), an optional `export `
 * prefix, single quotes (literal), double quotes (escape sequences, then interpolation), unquoted
 * values (inline ` #` comments stripped, then interpolation), values spanning lines inside quotes,
 * and a bare `KEY` that copies the variable from the environment when it is set. `${VAR}` in a
 * value sees the process environment first, then keys defined earlier in the same files.
 */
import {ComposeFileError, type SourceFile} from './source.js'
import {substitute, TemplateError, type Lookup} from './interpolate.js'

export interface EnvFileOptions {
  /** Variables from outside the file (the process environment); they win over earlier keys. */
  lookup?: Lookup
  onUnset?: (name: string) => void
}

/** A plain text source for error snippets (no model paths in a dotenv file). */
function textSource(path: string, text: string): SourceFile {
  return {path, text, positionOf: () => undefined}
}

const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u
const SPACE = /[\t\v\f\r \u0085\u00A0]/

/**
 * Parse the text of one env file into `out` (keys in order of first definition). `file` names
 * the file in errors. Returns `out`.
 */
export function parseEnvFile(text: string, file: string, options: EnvFileOptions = {}, out: Record<string, string> = {}): Record<string, string> {
  const src = text.replace(/^\uFEFF/, '')
  const lookup: Lookup = (name) => options.lookup?.(name) ?? (Object.hasOwn(out, name) ? out[name] : undefined)
  let i = 0
  let line = 1
  const fail = (message: string, atLine: number, col: number): never => {
    throw new ComposeFileError('ENV_FILE_SYNTAX', message, {source: textSource(file, src), position: {line: atLine, col}})
  }
  const colAt = (offset: number) => offset - src.lastIndexOf('\n', offset - 1)
  const expand = (value: string, atLine: number, col: number): string => {
    try {
      return substitute(value, lookup, {onUnset: options.onUnset})
    } catch (error) {
      if (error instanceof TemplateError) return fail(error.message, atLine, col)
      throw error
    }
  }

  while (i < src.length) {
    // Skip blank space and comment lines.
    const ch = src[i]
    if (ch === '\n') {
      line++
      i++
      continue
    }
    if (/\s/.test(ch)) {
      i++
      continue
    }
    if (ch === '#') {
      const nl = src.indexOf('\n', i)
      i = nl < 0 ? src.length : nl
      continue
    }

    const keyLine = line
    const keyStart = i
    if (/^export[ \t]+/.test(src.slice(i, i + 8))) {
      i += 6
      while (i < src.length && (src[i] === ' ' || src[i] === '\t')) i++
    }
    // Key: up to `=`, `:` or end of line.
    let j = i
    let sep = ''
    for (; j < src.length; j++) {
      const k = src[j]
      if (k === '=' || k === ':' || k === '\n') {
        sep = k
        break
      }
      if (SPACE.test(k)) continue
      if (!KEY_CHAR.test(k)) {
        const lineText = src.slice(keyStart, src.indexOf('\n', keyStart) < 0 ? src.length : src.indexOf('\n', keyStart))
        fail(`unexpected character "${k}" in variable name "${lineText}"`, keyLine, colAt(j))
      }
    }
    const key = src.slice(i, j).trimEnd()
    if (key.includes(' ') || key.includes('\t')) fail(`variable name "${key}" cannot contain a space`, keyLine, colAt(i))
    if (sep === '\n' || sep === '') {
      // A bare KEY: inherit from the environment when set.
      const value = options.lookup?.(key)
      if (value !== undefined && key !== '') out[key] = value
      i = j
      continue
    }
    i = j + 1
    while (i < src.length && SPACE.test(src[i])) i++

    const quote = src[i]
    if (quote === '"' || quote === "'") {
      const valueLine = line
      const valueCol = colAt(i)
      let chars = ''
      let escaped = false
      let closed = -1
      for (let k = i + 1; k < src.length; k++) {
        const c = src[k]
        if (c === '\n') line++
        if (c !== quote) {
          if (!escaped && c === '\\') {
            escaped = true
            continue
          }
          if (escaped) {
            escaped = false
            chars += '\\'
          }
          chars += c
          continue
        }
        if (escaped) {
          escaped = false
          chars += c
          continue
        }
        closed = k
        break
      }
      if (closed < 0) {
        const nl = src.indexOf('\n', i)
        fail(`unterminated quoted value ${src.slice(i, nl < 0 ? src.length : nl)}`, valueLine, valueCol)
      }
      out[key] = quote === '"' ? expand(expandEscapes(chars), valueLine, valueCol) : chars
      // Anything after the closing quote is read as the next statement (or a comment), as compose does.
      i = closed + 1
      continue
    }

    const nl = src.indexOf('\n', i)
    let value = src.slice(i, nl < 0 ? src.length : nl)
    const comment = value.indexOf(' #')
    if (comment >= 0) value = value.slice(0, comment)
    value = value.replace(/\s+$/u, '')
    out[key] = expand(value, line, colAt(i))
    i = nl < 0 ? src.length : nl
  }
  return out
}

const ESCAPES: Record<string, string> = {a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\'}

function expandEscapes(value: string): string {
  return value.replace(/\\(?:([abfnrtv"\\$])|0([0-7]{0,3}))/g, (match, simple: string | undefined, octal: string | undefined) => {
    if (simple === '$') return '$$' // a literal `$`, protected from interpolation
    if (simple !== undefined) return ESCAPES[simple]
    if (octal !== undefined) return String.fromCharCode(Number.parseInt(octal || '0', 8))
    return match
  })
}

/**
 * Read env files in order into one mapping; a later file overrides keys of an earlier one, and
 * `${VAR}` in a later file sees the keys of the earlier ones. A missing file is an error naming it.
 */
export async function readEnvFiles(paths: readonly string[], options: EnvFileOptions = {}): Promise<Record<string, string>> {
  const {readFile, stat} = await import('node:fs/promises')
  const out: Record<string, string> = {}
  for (const path of paths) {
    let text: string
    try {
      const info = await stat(path)
      if (info.isDirectory()) throw new ComposeFileError('ENV_FILE_NOT_FILE', 'env file is a directory', {file: path})
      text = await readFile(path, 'utf8')
    } catch (error) {
      if (error instanceof ComposeFileError) throw error
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ComposeFileError('ENV_FILE_NOT_FOUND', 'env file not found', {file: path}, ['check the --env-file path; it is relative to the current directory'])
      }
      throw new ComposeFileError('ENV_FILE_UNREADABLE', `cannot read env file: ${(error as Error).message}`, {file: path})
    }
    parseEnvFile(text, path, options, out)
  }
  return out
}
