/**
 * The flags every Compose command shares (-f, -p, --project-directory, --env-file, --profile,
 * --dry-run) and one way to load the project from them. Nothing heavy is imported here: the loader
 * is imported when a command calls loadProjectFromFlags.
 */
import {Flags, type Config} from '@oclif/core'
import type {LoadOptions, LoadResult} from '../compose/load.js'
import type {Project} from '../compose/types.js'

/**
 * --dry-run, as docker compose's global flag: a command that changes something prints its plan on
 * stdout instead — one numbered line per action, `#N resource  action  cause`, like `up --dry-run`
 * (src/runtime/plan.ts formatPlan; src/runtime/dry-run.ts for the verbs a Plan has no operation
 * for) — and changes nothing; a read-only command runs as it would without it. Also for commands
 * that take no other project flag (ls).
 */
export const dryRunFlag = {
  'dry-run': Flags.boolean({
    helpGroup: 'GLOBAL',
    description: 'Print what the command would change (one numbered line per action, with its cause) and change nothing; read-only commands run as usual.',
    default: false,
  }),
}

export const projectFlags = {
  file: Flags.string({
    char: 'f',
    multiple: true,
    multipleNonGreedy: true,
    helpGroup: 'PROJECT',
    description: 'Compose configuration file (repeatable; "-" reads stdin). Default: COMPOSE_FILE, else compose.yaml in this directory or a parent.',
  }),
  'project-name': Flags.string({char: 'p', helpGroup: 'PROJECT', description: 'Project name (default: COMPOSE_PROJECT_NAME, then `name:`, then the directory name).'}),
  'project-directory': Flags.string({helpGroup: 'PROJECT', description: 'Project directory (default: the directory of the first Compose file).'}),
  'env-file': Flags.string({multiple: true, multipleNonGreedy: true, helpGroup: 'PROJECT', description: 'Environment file for interpolation (repeatable; default: .env in the project directory).'}),
  profile: Flags.string({multiple: true, multipleNonGreedy: true, helpGroup: 'PROJECT', description: 'Enable a profile (repeatable; default: COMPOSE_PROFILES).'}),
  ...dryRunFlag,
}

export interface ProjectFlagValues {
  file?: string[]
  'project-name'?: string
  'project-directory'?: string
  'env-file'?: string[]
  profile?: string[]
  'dry-run'?: boolean
}

/**
 * The loader options the shared flags stand for. With the command's oclif `config`, the installed
 * plugins' after-load hooks (e.g. expanding their `x-` fields) run on the loaded project.
 */
export function projectOptionsFromFlags(flags: ProjectFlagValues, config?: Config): LoadOptions {
  return {
    ...(config && {afterLoad: async (project: Project) => (await import('../plugins/core/after-load.js')).applyPluginHooks(config, project)}),
    files: flags.file,
    projectName: flags['project-name'],
    projectDirectory: flags['project-directory'],
    envFiles: flags['env-file'],
    profiles: flags.profile?.filter((p) => p !== ''),
  }
}

/** Load the project named by the flags; loader warnings go to stderr as `warning: ...` lines as they come. */
export async function loadProjectFromFlags(
  flags: ProjectFlagValues,
  config: Config | undefined,
  options: Omit<LoadOptions, 'files' | 'projectName' | 'projectDirectory' | 'envFiles' | 'profiles'> & {warn?: (line: string) => void} = {},
): Promise<LoadResult> {
  const {loadProject} = await import('../compose/load.js')
  const {warn, ...rest} = options
  const write = warn ?? ((line: string) => process.stderr.write(line + '\n'))
  // Printed as they come, so that they are not lost when loading fails later.
  return loadProject({...rest, ...projectOptionsFromFlags(flags, config), onWarning: (message) => write(`warning: ${message}`)})
}

/**
 * For a command that changes things but cannot show a plan of them: --dry-run is one clear line
 * before anything is loaded, never a real run the user did not ask for.
 */
export async function refuseDryRun(flags: ProjectFlagValues, command: string, hints: string[] = []): Promise<void> {
  if (!flags['dry-run']) return
  const {UserInputError} = await import('../errors.js')
  throw new UserInputError('DRY_RUN_UNSUPPORTED', `${command} does not support --dry-run: it would change things it cannot show in advance`, {hints})
}
