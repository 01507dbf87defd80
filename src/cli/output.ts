/**
 * Terminal facts every command shares: colour (NO_COLOR / FORCE_COLOR / TTY) and how to render an
 * error as one clear line. Kept free of heavy imports; chalk is loaded only when colour is on.
 */
import {BerthError} from '../errors.js'

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  const force = process.env.FORCE_COLOR
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false
  if (force === '0' || force === 'false') return false
  return Boolean(stream.isTTY) && process.env.TERM !== 'dumb'
}

const red = (s: string, on: boolean) => (on ? `\u001B[31m${s}\u001B[39m` : s)
const dim = (s: string, on: boolean) => (on ? `\u001B[2m${s}\u001B[22m` : s)

/** The text shown for an error: one line, then optional context and hints. */
export function renderError(error: unknown, debug: boolean, color = colorEnabled(process.stderr)): string {
  const lines: string[] = []
  if (error instanceof BerthError) {
    lines.push(`${red('error', color)}: ${error.message}`)
    if (error.context) lines.push(error.context)
    for (const hint of error.hints) lines.push(dim(`hint: ${hint}`, color))
  } else {
    const message = error instanceof Error ? error.message : String(error)
    const [first, ...rest] = message.split('\n')
    // oclif's parse errors list the missing arguments on the lines after the first: name them.
    const missing = /^Missing \d+ required args?:$/.test(first) ? rest.map((l) => /^(\S+)\s{2,}/.exec(l)?.[1]).filter((n): n is string => n !== undefined) : []
    lines.push(`${red('error', color)}: ${missing.length > 0 ? `${first} ${missing.join(', ')}` : first}`)
  }
  if (debug && error instanceof Error && error.stack) lines.push(dim(error.stack, color))
  return lines.join('\n')
}
