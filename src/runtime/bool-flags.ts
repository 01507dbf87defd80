/**
 * docker compose's boolean options also take a value: `--sig-proxy=false`, `-p=false`
 * (`commit --pause`). oclif's booleans take none, so these spellings are rewritten before parsing:
 * `--name=false` becomes `--no-name`, `--name=true` becomes `--name` (Go's ParseBool words:
 * 1 t T TRUE true True / 0 f F FALSE false False). Anything after `--` is left alone.
 */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False'])

/** `flags`: long name -> its one-letter alias, if any (`{pause: 'p'}`). */
export function normalizeBoolFlags(argv: readonly string[], flags: Record<string, string | undefined>): string[] {
  const out: string[] = []
  let rest = false
  for (const arg of argv) {
    if (rest || arg === '--') {
      rest = true
      out.push(arg)
      continue
    }
    const match = /^(--?)([^=]+)=(.*)$/s.exec(arg)
    const name = match ? longName(match[1], match[2], flags) : undefined
    if (!match || !name) {
      out.push(arg)
      continue
    }
    const value = match[3]
    if (TRUE.has(value)) out.push(`--${name}`)
    else if (FALSE.has(value)) out.push(`--no-${name}`)
    else out.push(arg)
  }
  return out
}

function longName(dashes: string, name: string, flags: Record<string, string | undefined>): string | undefined {
  if (dashes === '--') return Object.hasOwn(flags, name) ? name : undefined
  return Object.keys(flags).find((long) => flags[long] === name)
}
