/**
 * Host files for secrets and configs. File-based ones are used where they are; ones defined by
 * `environment:` or `content:` are written into a private directory (0700, files 0400) under
 * $XDG_RUNTIME_DIR or the temp dir, per project, and bind-mounted read-only. Values are never
 * logged; `down` removes the directory.
 */
import {chmodSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {isAbsolute, join, resolve} from 'node:path'
import type {Project} from '../compose/types.js'
import {UserInputError} from '../errors.js'

export function secretsDirectory(project: string): string {
  const base = process.env.XDG_RUNTIME_DIR || tmpdir()
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user'
  return join(base, `berth-${uid}`, project)
}

export class SecretFiles {
  private readonly written = new Map<string, string>()
  constructor(private readonly project: Project) {}

  get directory(): string {
    return secretsDirectory(this.project.name)
  }

  /** Checks that the file can be made (its variable is set) without writing anything; a placeholder path. */
  check(kind: 'secrets' | 'configs', name: string): string | undefined {
    const def = this.project[kind][name]
    if (!def) return undefined
    if (def.file) return def.file
    if (def.environment !== undefined && (this.project.environment[def.environment] ?? process.env[def.environment]) === undefined) {
      throw new UserInputError('SECRET_UNSET', `${kind === 'secrets' ? 'secret' : 'config'} "${name}" comes from environment variable ${def.environment}, which is not set`)
    }
    return def.environment !== undefined || def.content !== undefined ? join(this.directory, kind, name) : undefined
  }

  pathOf(kind: 'secrets' | 'configs', name: string): string | undefined {
    const def = this.project[kind][name]
    if (!def) return undefined
    if (def.file) return isAbsolute(def.file) ? def.file : resolve(this.project.workingDir, def.file)
    const key = `${kind}/${name}`
    const known = this.written.get(key)
    if (known) return known
    let value: string | undefined
    if (def.environment !== undefined) {
      value = this.project.environment[def.environment] ?? process.env[def.environment]
      if (value === undefined) {
        throw new UserInputError('SECRET_UNSET', `${kind === 'secrets' ? 'secret' : 'config'} "${name}" comes from environment variable ${def.environment}, which is not set`)
      }
    } else if (def.content !== undefined) {
      value = def.content
    } else {
      return undefined
    }
    const dir = join(this.directory, kind)
    mkdirSync(dir, {recursive: true, mode: 0o700})
    chmodSync(join(this.directory, '..'), 0o700)
    chmodSync(this.directory, 0o700)
    chmodSync(dir, 0o700)
    const path = join(dir, name.replace(/[^\w.-]/g, '_'))
    rmSync(path, {force: true})
    writeFileSync(path, value, {mode: kind === 'secrets' ? 0o400 : 0o444})
    this.written.set(key, path)
    return path
  }

  async removeAll(): Promise<void> {
    await rm(this.directory, {recursive: true, force: true})
  }
}
