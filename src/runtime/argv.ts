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
