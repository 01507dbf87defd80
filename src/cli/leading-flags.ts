/**
 * `berth -p demo up` and `berth -f a.yaml -f b.yaml config`: docker compose takes its project flags
 * before the command, and its users type them there. oclif reads flags only after the command, so
 * bin/run.js moves leading project flags to just after the command's words (`up -p demo`, and
 * `berth --dry-run stop` as `stop --dry-run`). Only the project flags move; anything else before
 * the command is left for oclif to report.
 */

/** Project flags (src/cli/project-flags.ts): each one's long name and whether it takes a value. */
const PROJECT_FLAGS: Record<string, {name: string; value: boolean}> = {
  '-f': {name: 'file', value: true},
  '--file': {name: 'file', value: true},
  '-p': {name: 'project-name', value: true},
  '--project-name': {name: 'project-name', value: true},
  '--project-directory': {name: 'project-directory', value: true},
  '--env-file': {name: 'env-file', value: true},
  '--profile': {name: 'profile', value: true},
  '--dry-run': {name: 'dry-run', value: false},
  '--debug': {name: 'debug', value: false},
}

/**
 * `argv` (without node and the script) with its leading project flags moved after the command.
 * `isCommand` says whether words joined by ':' name a command; the longest such run of words is
 * the command (`image build`), else the first word is. `accepts(id, name)`, when given, says
 * whether that command takes the flag with this long name (`file` for `-f`): a leading project
 * flag it does not take is dropped, as docker compose ignores `-f` for `version` (whose own `-f` is
 * --format). Unchanged when nothing leads or no command
 * follows.
 */
export function moveLeadingFlags(argv: readonly string[], isCommand: (id: string) => boolean, accepts?: (id: string, name: string) => boolean): string[] {
  const flags: Array<{name: string; args: string[]}> = []
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg
    if (!Object.hasOwn(PROJECT_FLAGS, name)) break
    const inline = arg.startsWith('--') && arg.includes('=')
    const flag = PROJECT_FLAGS[name]
    if (flag.value && !inline) {
      if (i + 1 >= argv.length) return [...argv]
      flags.push({name: flag.name, args: [arg, argv[i + 1]]})
      i += 2
    } else {
      flags.push({name: flag.name, args: [arg]})
      i += 1
    }
  }
  if (flags.length === 0 || i >= argv.length || argv[i].startsWith('-')) return [...argv]
  const rest = argv.slice(i)
  let words = 1
  let known = false
  for (let n = 1; n <= rest.length && !rest[n - 1].startsWith('-'); n++) {
    if (isCommand(rest.slice(0, n).join(':'))) {
      words = n
      known = true
    }
  }
  const id = rest.slice(0, words).join(':')
  const kept = known && accepts ? flags.filter((f) => accepts(id, f.name)) : flags
  return [...rest.slice(0, words), ...kept.flatMap((f) => f.args), ...rest.slice(words)]
}
