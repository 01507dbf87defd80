/**
 * Project resolution, as docker compose does it: which Compose files, which project directory,
 * which variables (process environment over env files), which profiles, and an explicit project
 * name if one was given.
 *
 * - files: `-f` (repeatable, `-` is stdin), else COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR,
 *   default `:`), else compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml searched
 *   in the project directory (or the current one) and then its parents, plus the override file
 *   next to it (compose.override.yml|yaml, docker-compose.override.yml|yaml);
 * - project directory: `--project-directory`, else the directory of the first file;
 * - env files: `--env-file` (repeatable), else `.env` in the project directory. A `.env` may set
 *   COMPOSE_FILE, COMPOSE_PROJECT_NAME and COMPOSE_PROFILES;
 * - name: `-p` > COMPOSE_PROJECT_NAME (both must already be valid names) > the `name:` of the
 *   files > the project directory's basename (the last two normalised); see load.ts.
 */
import {existsSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {basename, dirname, isAbsolute, join, resolve} from 'node:path'
import {UserInputError} from '../errors.js'
import {readEnvFiles} from './env-file.js'

export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml']
export const DEFAULT_OVERRIDE_FILE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml']

export interface ProjectOptions {
  /** `-f` values in order; `-` reads stdin. */
  files?: string[]
  /** `-p` */
  projectName?: string
  /** `--project-directory` */
  projectDirectory?: string
  /** `--env-file` values in order. */
  envFiles?: string[]
  /** `--profile` values. */
  profiles?: string[]
  /** Current directory (default process.cwd()). */
  cwd?: string
  /** Process environment (default process.env). */
  env?: Record<string, string | undefined>
}

export interface ResolvedProject {
  /** Absolute Compose file paths in merge order, `-` for stdin. */
  files: string[]
  /** Absolute project directory. */
  workingDir: string
  /** Variables for interpolation: process environment over the env files. */
  environment: Record<string, string>
  /** Env files that were read, absolute. */
  envFiles: string[]
  profiles: string[]
  /** The name from `-p` or COMPOSE_PROJECT_NAME, already validated. */
  explicitName?: string
  warnings: string[]
}

/** Lowercase, keep only [a-z0-9_-], drop leading `_`/`-`: how compose derives a name. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '')
}

export class ProjectNameError extends UserInputError {
  constructor(name: string, from: string) {
    super(
      'PROJECT_NAME_INVALID',
      `invalid project name "${name}" (from ${from}): it must consist only of lowercase letters, digits, "-" and "_", and start with a letter or digit`,
      {hints: name === '' ? [] : [`try "${normalizeProjectName(name) || 'myproject'}"`]},
    )
  }
}

export function checkProjectName(name: string, from: string): string {
  if (name === '' || normalizeProjectName(name) !== name) throw new ProjectNameError(name, from)
  return name
}

function expandHome(path: string, env: Record<string, string | undefined>): string {
  if (path === '~' || path.startsWith('~/')) return join(env.HOME ?? homedir(), path.slice(1))
  return path
}

const isFile = (path: string) => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'true', 'y', 'yes', 'on'].includes(value.toLowerCase())
}

/** Read env files, adding only the keys that `environment` does not already have. */
async function addEnvFiles(environment: Record<string, string>, files: string[], warnings: string[]): Promise<void> {
  if (files.length === 0) return
  const onUnset = (name: string) => {
    const message = `the "${name}" variable is not set. Defaulting to a blank string.`
    if (!warnings.includes(message)) warnings.push(message)
  }
  const values = await readEnvFiles(files, {lookup: (name) => (Object.hasOwn(environment, name) ? environment[name] : undefined), onUnset})
  for (const [k, v] of Object.entries(values)) if (!(k in environment)) environment[k] = v
}

export async function resolveProject(options: ProjectOptions = {}): Promise<ResolvedProject> {
  const cwd = options.cwd ?? process.cwd()
  const osEnv = options.env ?? process.env
  const warnings: string[] = []
  const environment: Record<string, string> = {}
  for (const [k, v] of Object.entries(osEnv)) if (v !== undefined) environment[k] = v
  environment.PWD ??= cwd

  if (options.projectName !== undefined) checkProjectName(options.projectName, '-p/--project-name')
  const projectDir = options.projectDirectory ? resolve(cwd, expandHome(options.projectDirectory, osEnv)) : undefined
  if (projectDir && !existsSync(projectDir)) {
    throw new UserInputError('PROJECT_DIRECTORY_NOT_FOUND', `project directory ${projectDir} does not exist`)
  }
  const explicitEnvFiles = (options.envFiles ?? []).filter((f) => f !== '').map((f) => resolve(cwd, expandHome(f, osEnv)))
  const defaultEnvFile = (dir: string): string[] => {
    if (truthy(osEnv.COMPOSE_DISABLE_ENV_FILE)) return []
    const file = join(dir, '.env')
    return isFile(file) ? [file] : []
  }
  const firstFileDir = (files: string[]) => {
    const first = files.find((f) => f !== '-')
    return first === undefined ? undefined : dirname(resolve(cwd, first))
  }

  // 1. Env files of the directory known so far (may set COMPOSE_FILE and friends).
  let files = (options.files ?? []).filter((f) => f !== '').map((f) => (f === '-' ? f : resolve(cwd, expandHome(f, osEnv))))
  const envFilesRead: string[] = []
  const firstEnvFiles = explicitEnvFiles.length > 0 ? explicitEnvFiles : defaultEnvFile(projectDir ?? firstFileDir(files) ?? cwd)
  await addEnvFiles(environment, firstEnvFiles, warnings)
  envFilesRead.push(...firstEnvFiles)

  // 2. Compose files.
  if (files.length === 0 && environment.COMPOSE_FILE) {
    const separator = environment.COMPOSE_PATH_SEPARATOR || ':'
    files = environment.COMPOSE_FILE.split(separator)
      .filter((f) => f !== '')
      .map((f) => (f === '-' ? f : resolve(cwd, expandHome(f, osEnv))))
  }
  if (files.length === 0) files = findDefaultFiles(projectDir ?? cwd, warnings)
  if (files.length === 0) {
    throw new UserInputError('COMPOSE_FILE_NOT_FOUND', `no configuration file provided: no ${DEFAULT_FILE_NAMES.join(', ')} in ${projectDir ?? cwd} or its parents`, {
      hints: ['create compose.yaml, or name a file with -f'],
    })
  }
  const workingDir = projectDir ?? firstFileDir(files) ?? cwd

  // 3. The project directory may differ from where we looked first: read its .env too.
  if (explicitEnvFiles.length === 0) {
    const more = defaultEnvFile(workingDir).filter((f) => !envFilesRead.includes(f))
    await addEnvFiles(environment, more, warnings)
    envFilesRead.push(...more)
  }

  let profiles = (options.profiles ?? []).filter((p) => p !== '')
  if (profiles.length === 0 && environment.COMPOSE_PROFILES) {
    profiles = environment.COMPOSE_PROFILES.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')
  }

  let explicitName: string | undefined
  if (options.projectName !== undefined) explicitName = options.projectName
  else if (environment.COMPOSE_PROJECT_NAME) explicitName = checkProjectName(environment.COMPOSE_PROJECT_NAME, 'COMPOSE_PROJECT_NAME')

  return {files, workingDir, environment, envFiles: envFilesRead, profiles, explicitName, warnings}
}

/** compose.yaml & co. in `start` or the nearest parent that has one, plus its override file. */
export function findDefaultFiles(start: string, warnings: string[] = []): string[] {
  let dir = start
  for (;;) {
    const candidates = DEFAULT_FILE_NAMES.map((n) => join(dir, n)).filter(isFile)
    if (candidates.length > 0) {
      if (candidates.length > 1) warnings.push(`found multiple config files with supported names: ${candidates.map((c) => basename(c)).join(', ')}; using ${basename(candidates[0])}`)
      const overrides = DEFAULT_OVERRIDE_FILE_NAMES.map((n) => join(dir, n)).filter(isFile)
      if (overrides.length > 1) warnings.push(`found multiple override files with supported names: ${overrides.map((c) => basename(c)).join(', ')}; using ${basename(overrides[0])}`)
      return overrides.length > 0 ? [candidates[0], overrides[0]] : [candidates[0]]
    }
    const parent = dirname(dir)
    if (parent === dir || !isAbsolute(parent)) return []
    dir = parent
  }
}
