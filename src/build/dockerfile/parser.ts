/**
 * Dockerfile text -> raw instructions: parser directives (`# syntax=`, `# escape=`, `# check=`),
 * comments, line continuations with the escape character, flags (`--name=value`), JSON (exec)
 * form, and heredocs (`RUN <<EOF`, `COPY <<EOF /dest`). Nothing is substituted here; that happens
 * per instruction during the build, when the variables in scope are known.
 */
import {DockerfileError} from './errors.js'

export interface Heredoc {
  /** The delimiter word (for COPY/ADD also the file name). */
  name: string
  content: string
  /** False when the delimiter was quoted (`<<"EOF"`): no variable expansion. */
  expand: boolean
  /** `<<-EOF`: leading tabs stripped. */
  chomp: boolean
}

export interface RawFlag {
  name: string
  /** undefined for a bare `--link`. */
  value: string | undefined
  /** 1-based column of the `--`. */
  col: number
}

export interface RawInstruction {
  /** Upper-case keyword (`RUN`). */
  keyword: string
  /** Keyword as written (for messages). */
  written: string
  flags: RawFlag[]
  /** Everything after the flags, continuations joined, trimmed. */
  args: string
  /** Column of `args` on the first line (approximate after continuations). */
  argsCol: number
  /** `args` as a JSON string array when it is one. */
  json?: string[]
  heredocs: Heredoc[]
  /** 1-based first line and column of the keyword, and the last line (heredocs included). */
  line: number
  col: number
  endLine: number
  /** The instruction line with continuations joined (without heredoc bodies). */
  original: string
}

export interface ParsedDockerfile {
  file: string
  text: string
  directives: Record<string, string>
  escape: string
  instructions: RawInstruction[]
  warnings: string[]
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check'])
/** Instructions whose arguments may open heredocs. */
const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD'])

export function parseDockerfileText(text: string, file = 'Dockerfile'): ParsedDockerfile {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const lines = body.split(/\r?\n/)
  const directives: Record<string, string> = {}
  const warnings: string[] = []
  let i = 0
  // Parser directives: only at the very top, before any comment, blank line or instruction.
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i])
    if (!m) break
    const key = m[1].toLowerCase()
    if (!KNOWN_DIRECTIVES.has(key)) break
    if (key in directives) {
      throw new DockerfileError('DOCKERFILE_DIRECTIVE', `only one ${key} parser directive can be used`, {file, text: body, position: {line: i + 1, col: 1}})
    }
    directives[key] = m[2]
  }
  const escape = directives.escape ?? '\\'
  if (escape !== '\\' && escape !== '`') {
    throw new DockerfileError('DOCKERFILE_DIRECTIVE', `invalid escape token '${escape}' does not match ` + '` or \\', {file, text: body, position: {line: 1, col: 1}})
  }
  const continuation = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`)
  const isComment = (line: string) => /^\s*#/.test(line)

  const instructions: RawInstruction[] = []
  for (; i < lines.length; i++) {
    const first = lines[i]
    const trimmed = first.trimStart()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const startLine = i + 1
    const col = first.length - trimmed.length + 1
    let joined = trimmed
    let ended = !continuation.test(joined)
    if (!ended) joined = joined.replace(continuation, '')
    while (!ended && i + 1 < lines.length) {
      i++
      const next = lines[i]
      if (isComment(next)) continue
      if (next.trim() === '') {
        warnings.push(`${file}:${i + 1}: empty continuation line (will be an error in a future release)`)
        continue
      }
      ended = !continuation.test(next)
      joined += ended ? next : next.replace(continuation, '')
    }
    const m = /^(\S+)(\s+|$)/.exec(joined)!
    const written = m[1]
    const keyword = written.toUpperCase()
    const rest = joined.slice(m[0].length)
    const {flags, args, offset} = extractFlags(rest, col + m[0].length, keyword, {file, text: body, line: startLine})
    const instruction: RawInstruction = {
      keyword,
      written,
      flags,
      args: args.trim(),
      argsCol: col + m[0].length + offset,
      heredocs: [],
      line: startLine,
      col,
      endLine: i + 1,
      original: joined,
    }
    const json = parseJsonArray(instruction.args)
    if (json) instruction.json = json
    if (HEREDOC_INSTRUCTIONS.has(keyword) && !json) {
      for (const marker of heredocMarkers(instruction.args)) {
        const content: string[] = []
        let closed = false
        while (i + 1 < lines.length) {
          i++
          const line = marker.chomp ? lines[i].replace(/^\t+/, '') : lines[i]
          if (line === marker.name) {
            closed = true
            break
          }
          content.push(line + '\n')
        }
        if (!closed) {
          throw new DockerfileError('DOCKERFILE_HEREDOC', `unterminated heredoc: no line '${marker.name}' ends it`, {file, text: body, position: {line: startLine, col}})
        }
        instruction.heredocs.push({...marker, content: content.join('')})
      }
      instruction.endLine = i + 1
    }
    instructions.push(instruction)
  }
  return {file, text: body, directives, escape, instructions, warnings}
}

/** Leading `--name[=value]` words; values may be quoted. */
function extractFlags(rest: string, baseCol: number, keyword: string, where: {file: string; text: string; line: number}): {flags: RawFlag[]; args: string; offset: number} {
  const flags: RawFlag[] = []
  let pos = 0
  // ONBUILD's flags belong to the wrapped instruction.
  if (keyword === 'ONBUILD') return {flags, args: rest, offset: 0}
  for (;;) {
    while (pos < rest.length && /\s/.test(rest[pos])) pos++
    if (!rest.startsWith('--', pos)) break
    const start = pos
    let word = ''
    let quote: string | undefined
    while (pos < rest.length && (quote !== undefined || !/\s/.test(rest[pos]))) {
      const ch = rest[pos]
      if (quote !== undefined) {
        if (ch === quote) quote = undefined
        else word += ch
      } else if (ch === '"' || ch === "'") quote = ch
      else word += ch
      pos++
    }
    if (quote !== undefined) {
      throw new DockerfileError('DOCKERFILE_FLAG', `unterminated quote in flag ${word}`, {...where, position: {line: where.line, col: baseCol + start}})
    }
    if (word === '--') {
      // `--` ends the flags.
      break
    }
    const eq = word.indexOf('=')
    flags.push({
      name: eq < 0 ? word.slice(2) : word.slice(2, eq),
      value: eq < 0 ? undefined : word.slice(eq + 1),
      col: baseCol + start,
    })
  }
  return {flags, args: rest.slice(pos), offset: pos}
}

function parseJsonArray(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined
  try {
    const value: unknown = JSON.parse(args)
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
  } catch {
    // Not JSON: shell form.
  }
  return undefined
}

/** `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` words, in order. */
export function heredocMarkers(args: string): Array<Omit<Heredoc, 'content'>> {
  const out: Array<Omit<Heredoc, 'content'>> = []
  const re = /(^|\s|[0-9]|\|)<<(-?)(["']?)([A-Za-z0-9_][A-Za-z0-9_./-]*)\3(?=$|[\s;|&<>)])/g
  let inSingle = false
  let inDouble = false
  let scanned = 0
  for (let m = re.exec(args); m; m = re.exec(args)) {
    // Skip markers that sit inside quotes.
    for (; scanned < m.index; scanned++) {
      const ch = args[scanned]
      if (ch === "'" && !inDouble) inSingle = !inSingle
      else if (ch === '"' && !inSingle) inDouble = !inDouble
    }
    if (inSingle || inDouble) continue
    out.push({name: m[4], chomp: m[2] === '-', expand: m[3] === ''})
  }
  return out
}
