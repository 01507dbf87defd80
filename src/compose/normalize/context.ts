/**
 * What the normaliser needs from the loader, and the helpers every rule shares: paths resolved
 * against the project directory, variables looked up in the loader's environment, and errors that
 * point at the file, line and column of the offending node.
 */
import {isAbsolute, join, normalize, relative, resolve} from 'node:path'
import {ComposeFileError, type ModelPath, type SourceFile} from '../source.js'

export interface NormalizeContext {
  projectName: string
  /** Absolute project directory. */
  workingDir: string
  /** Variables the loader saw (process environment over env files); `KEY` without a value reads them. */
  environment: Record<string, string>
  /** Enabled profiles (`--profile`, COMPOSE_PROFILES); `*` enables all. */
  profiles: string[]
  /** Services named on the command line: active even when their profiles are not enabled. */
  explicitServices?: string[]
  /** The file that defined the node at a model path, for file:line:col in errors. */
  sourceOf?: (path: ReadonlyArray<string | number>) => SourceFile | undefined
  /** For `~` in bind sources; defaults to the HOME variable, then the OS home. */
  homeDir?: string
  /** Absolute paths of the merged Compose files, for Project.configFiles. */
  configFiles?: string[]
  /**
   * Keep a value as written when it cannot be read (`--no-interpolate`: `"${PORT}:80"` is not a
   * port yet), and skip reference checks, as docker compose does without interpolation.
   */
  lenient?: boolean
  /** Keep networks, volumes, secrets and configs no service uses (`--all-resources`). */
  allResources?: boolean
  /**
   * `config --no-path-resolution`: print host paths as written (no `~`, not made absolute). Paths
   * that `extends` or `include` took from another directory print relative to the project
   * directory, so that they still point at the same place.
   */
  resolvePaths?: boolean
  /** With `resolvePaths: false`: the absolute paths `extends` and `include` made of relative ones. */
  rebasedPaths?: ReadonlySet<string>
  /** `config --no-env-resolution`: keep `env_file` as a list of files instead of merging them into `environment`. */
  resolveEnvFiles?: boolean
  /** `config --no-consistency`: skip the checks across the project (references, cycles, duplicate names, deploy twins). */
  consistency?: boolean
}

export type Model = Record<string, unknown>

/** Error codes the normaliser raises. */
export const NormalizeCodes = {
  duration: 'COMPOSE_INVALID_DURATION',
  size: 'COMPOSE_INVALID_SIZE',
  port: 'COMPOSE_INVALID_PORT',
  volume: 'COMPOSE_INVALID_VOLUME',
  envFile: 'COMPOSE_ENV_FILE_NOT_FOUND',
  value: 'COMPOSE_INVALID_VALUE',
  containerName: 'COMPOSE_DUPLICATE_CONTAINER_NAME',
  unknownService: 'COMPOSE_UNKNOWN_SERVICE',
  undefinedResource: 'COMPOSE_UNDEFINED_RESOURCE',
} as const

/** Errors a lenient normaliser (`--no-interpolate`) swallows, keeping the value as written. */
export const LENIENT_CODES: ReadonlySet<string> = new Set([
  NormalizeCodes.duration, NormalizeCodes.size, NormalizeCodes.port, NormalizeCodes.volume, NormalizeCodes.value,
  NormalizeCodes.unknownService, NormalizeCodes.undefinedResource,
])

/** The context plus helpers, handed to every rule. */
export class Normalizer {
  /** Services switched off by profiles (set by the profiles pass). */
  readonly disabled = new Set<string>()

  constructor(readonly ctx: NormalizeContext) {}

  /** A ComposeFileError at `path` (file:line:col and a snippet when the loader knows the source). */
  error(code: string, path: ModelPath, message: string, hints?: string[]): ComposeFileError {
    const source = this.ctx.sourceOf?.(path)
    return new ComposeFileError(code, message, {source, file: source ? undefined : 'compose file', path}, hints)
  }

  /** A variable from the loader's environment. */
  lookup(name: string): string | undefined {
    return Object.hasOwn(this.ctx.environment, name) ? this.ctx.environment[name] : undefined
  }

  homeDir(): string {
    return this.ctx.homeDir ?? this.lookup('HOME') ?? process.env.HOME ?? '/'
  }

  /**
   * A relative host path made absolute against the project directory and cleaned, `~` expanded;
   * an absolute path stays exactly as written (docker compose keeps `/etc/app/` with its slash).
   */
  hostPath(path: string): string {
    if (this.ctx.resolvePaths === false) {
      if (!this.ctx.rebasedPaths?.has(path)) return path
      return relative(this.ctx.workingDir, path) || '.'
    }
    return this.readablePath(path)
  }

  /** The absolute path a host path names, whatever `resolvePaths` says: for reading env and label files. */
  readablePath(path: string): string {
    if (path === '~' || path.startsWith('~/')) return stripSlash(normalize(join(this.homeDir(), path.slice(1))))
    return isAbsolute(path) ? path : stripSlash(resolve(this.ctx.workingDir, path))
  }
}

function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
}
