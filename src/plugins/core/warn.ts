/** The one way plugin machinery tells the user something went wrong but Berth carries on. */
import {colorEnabled} from '../../cli/output.js'

export type Warn = (message: string) => void

export function warnLine(message: string): void {
  const on = colorEnabled(process.stderr)
  process.stderr.write(`${on ? '\u001B[33mwarning\u001B[39m' : 'warning'}: ${message}\n`)
}

/** First line of an error's message, for one-line warnings. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0] ?? ''
}
