/**
 * `exec SERVICE COMMAND...` and `run SERVICE COMMAND...`: everything after the service belongs to
 * the command, flags included (`berth exec web sh -c 'ls -l'`). oclif parses flags anywhere, so
 * the command's own flags are found here and a `--` is inserted after the service.
 */

export interface FlagShape {
  type: 'option' | 'boolean'
  char?: string
}

/** Returns argv with `--` right after the `positionals`-th positional (unless the user wrote one). */
export function protectCommandArgs(argv: readonly string[], flags: Record<string, FlagShape>, positionals = 1): string[] {
  const takesValue = new Set<string>()
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.type !== 'option') continue
    takesValue.add(`--${name}`)
    if (flag.char) takesValue.add(`-${flag.char}`)
  }
  let seen = 0
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (token === '--') return [...argv]
    if (token.startsWith('-') && token !== '-') {
      // `--env=X` and `-eX` carry their value; `-e X` takes the next token.
      if (!token.includes('=') && takesValue.has(token)) i++
      else if (/^-[a-zA-Z]/.test(token) && !token.startsWith('--') && token.length > 2 && takesValue.has(token.slice(0, 2))) continue
      continue
    }
    seen++
    if (seen === positionals && argv[i + 1] === '--') return [...argv]
    if (seen === positionals) return [...argv.slice(0, i + 1), '--', ...argv.slice(i + 1)]
  }
  return [...argv]
}

/** Compose's short port syntax: `[[IP:][HOST[-HOST]]:]CONTAINER[-CONTAINER][/PROTOCOL]`. */
const PORT_SPEC = /^(?:(?:\[[0-9a-fA-F:.]+\]|\d{1,3}(?:\.\d{1,3}){3}):)?(?:(?:\d+(?:-\d+)?)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/

export function isPortSpec(value: string): boolean {
  return PORT_SPEC.test(value)
}

/**
 * `run -p 8080:80`: in docker compose, `run`'s `-p` is --publish (the project name goes before
 * the subcommand). Here `-p` is the project name for every command, so in `run` a `-p` whose
 * value is a port (`8080:80`, `127.0.0.1::80`, `53/udp`, a bare `8080`) becomes --publish; any
 * other value stays the project name. Only flags before `--` (berth's own) are looked at.
 */
export function publishShortFlag(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (token === '--') return [...out, ...argv.slice(i)]
    let value: string | undefined
    let width = 1
    if (token === '-p' && i + 1 < argv.length) {
      value = argv[i + 1]
      width = 2
    } else if (token.startsWith('-p') && !token.startsWith('--') && token.length > 2) {
      value = token.slice(token[2] === '=' ? 3 : 2)
    }
    if (value !== undefined && isPortSpec(value)) {
      out.push(`--publish=${value}`)
    } else {
      out.push(...argv.slice(i, i + width))
    }
    i += width - 1
  }
  return out
}
