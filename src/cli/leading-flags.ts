/**
 * `berth -p demo up` and `berth -f a.yaml -f b.yaml config`: docker compose takes its project flags
 * before the command, and its users type them there. oclif reads flags only after the command, so
 * bin/run.js moves leading project flags to just after the command's words (`up -p demo`, and
 * `berth --dry-run stop` as `stop --dry-run`). Only the project flags move; anything else before
 * the command is left for oclif to report.
 */

/** Project flags (src/cli/project-flags.ts) and whether each takes a value. */
const PROJECT_FLAGS: Record<string, boolean> = {
  '-f': true,
  '--file': true,
  '-p': true,
  '--project-name': true,
  '--project-directory': true,
  '--env-file': true,
  '--profile': true,
  '--dry-run': false,
  '--debug': false,
}

/**
 * `argv` (without node and the script) with its leading project flags moved after the command.
 * `isCommand` says whether words joined by ':' name a command; the longest such run of words is
 * the command (`image build`), else the first word is. Unchanged when nothing leads or no command
 * follows.
 */
export function moveLeadingFlags(argv: readonly string[], isCommand: (id: string) => boolean): string[] {
  const flags: string[] = []
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg
    if (!(name in PROJECT_FLAGS)) break
    const inline = arg.startsWith('--') && arg.includes('=')
    if (PROJECT_FLAGS[name] && !inline) {
      if (i + 1 >= argv.length) return [...argv]
      flags.push(arg, argv[i + 1])
      i += 2
    } else {
      flags.push(arg)
      i += 1
    }
  }
  if (flags.length === 0 || i >= argv.length || argv[i].startsWith('-')) return [...argv]
  const rest = argv.slice(i)
  let words = 1
  for (let n = 1; n <= rest.length && !rest[n - 1].startsWith('-'); n++) if (isCommand(rest.slice(0, n).join(':'))) words = n
  return [...rest.slice(0, words), ...flags, ...rest.slice(words)]
}
