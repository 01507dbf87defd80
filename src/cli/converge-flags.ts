/**
 * What up, create and scale share: the flags that shape convergence (build, pull, recreate,
 * orphans, scale), the checks of flags that cannot go together (one line each, before any engine
 * call, as docker compose does), and SERVICE=NUM parsing. Only @oclif/core's Flags is imported here.
 */
import {Flags} from '@oclif/core'
import {UserInputError} from '../errors.js'
import type {PullPolicy} from '../runtime/plan.js'

export const convergeFlags = {
  build: Flags.boolean({description: 'Build images before creating containers.', default: false}),
  'no-build': Flags.boolean({description: "Don't build images, even when the pull policy says so; a missing image is an error.", default: false}),
  'force-recreate': Flags.boolean({description: "Recreate the named services' containers (all when none are named) even if their configuration and image haven't changed.", default: false}),
  'no-recreate': Flags.boolean({description: "Don't recreate containers that exist. Incompatible with --force-recreate.", default: false}),
  pull: Flags.string({description: 'Pull images: always, missing, never, or build (build the ones that have build:). Default: each service\'s pull_policy.', options: ['always', 'missing', 'never', 'build']}),
  'quiet-pull': Flags.boolean({description: 'Pull without printing progress information.', default: false}),
  'remove-orphans': Flags.boolean({description: 'Remove containers of services that are not in the Compose file.', default: false}),
  scale: Flags.string({description: 'Number of containers for a service: SERVICE=NUM (repeatable; overrides scale: in the file).', multiple: true, multipleNonGreedy: true}),
  yes: Flags.boolean({char: 'y', description: 'Assume "yes" to every prompt and run non-interactively.', default: false}),
  progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
}

/** The flag values the checks look at (absent ones are off). */
export interface ConflictFlags {
  build?: boolean
  'no-build'?: boolean
  pull?: string
  'force-recreate'?: boolean
  'no-recreate'?: boolean
  'always-recreate-deps'?: boolean
  'renew-anon-volumes'?: boolean
  detach?: boolean
  wait?: boolean
  'abort-on-container-exit'?: boolean
  'abort-on-container-failure'?: boolean
  'exit-code-from'?: string
  attach?: string[]
  'attach-dependencies'?: boolean
  watch?: boolean
}

/** The first pair of flags that cannot go together, as one line; undefined when they all can. */
export function flagConflict(flags: ConflictFlags): string | undefined {
  const on = (name: keyof ConflictFlags) => {
    const v = flags[name]
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== false
  }
  const pairs: Array<[keyof ConflictFlags, keyof ConflictFlags]> = [
    ['force-recreate', 'no-recreate'],
    ['always-recreate-deps', 'no-recreate'],
    ['renew-anon-volumes', 'no-recreate'],
    ['build', 'no-build'],
  ]
  for (const [a, b] of pairs) if (on(a) && on(b)) return `--${a} and --${b} are incompatible`
  if (flags.pull === 'build' && on('no-build')) return '--pull build and --no-build are incompatible'
  if (on('watch') && on('no-build')) return '--no-build and --watch are incompatible'
  // Attached-only flags need the logs: not with -d or --wait.
  const attachedOnly: Array<keyof ConflictFlags> = ['abort-on-container-exit', 'abort-on-container-failure', 'exit-code-from', 'attach', 'attach-dependencies', 'watch']
  for (const mode of ['detach', 'wait'] as const) {
    const other = attachedOnly.find(on)
    if (on(mode) && other) return `--${mode} cannot be combined with --${other} (it needs the logs attached)`
  }
  if (on('abort-on-container-failure') && on('abort-on-container-exit')) return '--abort-on-container-failure cannot be combined with --abort-on-container-exit'
  if (on('attach') && on('attach-dependencies')) return '--attach cannot be combined with --attach-dependencies'
  return undefined
}

/** Throws the first conflict (see flagConflict) as a UserInputError. */
export function checkFlags(flags: ConflictFlags): void {
  const conflict = flagConflict(flags)
  if (conflict) throw new UserInputError('FLAG_CONFLICT', conflict)
}

/** SERVICE=NUM values (--scale, `scale`) as a map; `what` names them in the error, `example` is the hint. */
export function parseScale(values: readonly string[], what = '--scale', example = '--scale web=3'): Record<string, number> {
  const out: Record<string, number> = {}
  for (const v of values) {
    const m = /^([^=]+)=(\d+)$/.exec(v)
    if (!m) throw new UserInputError('BAD_SCALE', `${what} "${v}": expected SERVICE=NUMBER`, {hints: [`for example ${example}`]})
    out[m[1]] = Number(m[2])
  }
  return out
}

/** --pull, --build and --no-build as image-plan options (`--pull build` builds every service that has build:). */
export function imageOptions(flags: {build?: boolean; 'no-build'?: boolean; pull?: string}): {pull?: PullPolicy; build: boolean; noBuild: boolean} {
  return {
    pull: flags.pull === 'build' ? undefined : (flags.pull as PullPolicy | undefined),
    build: flags.build === true || flags.pull === 'build',
    noBuild: flags['no-build'] === true,
  }
}
