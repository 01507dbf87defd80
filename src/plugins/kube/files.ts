/**
 * The contents of the secrets and configs the services use, read before anything is converted,
 * printed or sent, so that a missing file or variable stops the command first. Errors name the
 * secret and its file or variable, never its content.
 */
import {readFile} from 'node:fs/promises'
import {relative} from 'node:path'
import {UserInputError, type Project} from '../sdk/index.js'
import type {FileContents} from './convert/context.js'

type Definition = {file?: string; environment?: string; content?: string; external?: boolean}

async function read(kind: 'secret' | 'config', key: string, def: Definition, project: Project): Promise<Buffer | undefined> {
  if (def.external) return undefined
  if (def.file !== undefined) {
    try {
      return await readFile(def.file)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const rel = relative(project.workingDir, def.file)
      const shown = rel.startsWith('..') ? def.file : `./${rel}`
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message
      throw new UserInputError('KUBE_FILE_UNREADABLE', `${kind} ${key}: cannot read ${shown}: ${why}`)
    }
  }
  if (def.environment !== undefined) {
    const value = project.environment[def.environment]
    if (value === undefined) throw new UserInputError('KUBE_FILE_UNREADABLE', `${kind} ${key}: environment variable ${def.environment} is not set`)
    return Buffer.from(value)
  }
  if (def.content !== undefined) return Buffer.from(def.content)
  throw new UserInputError('KUBE_FILE_UNREADABLE', `${kind} ${key} has no file, environment or content`)
}

/** The bytes of every secret and config some service uses, by Compose key. */
export async function readFileContents(project: Project): Promise<FileContents> {
  const contents: FileContents = {secrets: new Map(), configs: new Map()}
  const jobs: Array<Promise<void>> = []
  for (const kind of ['secret', 'config'] as const) {
    const defs = (kind === 'secret' ? project.secrets : project.configs) as Record<string, Definition>
    const target = kind === 'secret' ? contents.secrets : contents.configs
    const used = new Set(Object.values(project.services).flatMap((s) => (kind === 'secret' ? s.secrets : s.configs) ?? []).map((r) => r.source))
    for (const key of [...used].sort()) {
      const def = defs[key]
      if (!def) continue
      jobs.push(read(kind, key, def, project).then((bytes) => void (bytes && target.set(key, bytes))))
    }
  }
  await Promise.all(jobs)
  return contents
}
