/**
 * Top-level `include`: each entry is loaded as its own Compose project (its own project directory,
 * its own `.env`, its own includes, recursively) and its resources are copied into the including
 * file. Relative paths of the included project are made absolute against its project directory.
 * When the including file also defines a resource of the same name, its definition is merged over
 * the included one (docker compose v2.10+ behaviour of compose-go), so a project can adjust what it
 * includes. An include cycle is an error.
 */
import {dirname, isAbsolute, resolve} from 'node:path'
import {existsSync, statSync} from 'node:fs'
import {ComposeFileError} from './source.js'
import {absolutizeModelPaths} from './extends.js'
import {mergeModels, withoutPaths} from './merge.js'
import type {Origins, ParsedDocument} from './parse.js'

export interface IncludedProject {
  /** Absolute paths of the included Compose files, merged in order. */
  files: string[]
  projectDirectory: string
  /** Variables for interpolation: the including project's environment over the included env files. */
  environment: Record<string, string>
  /** Files on the current include path (for cycle detection), ending with the first of `files`. */
  chain: string[]
}

export interface IncludeOptions {
  /** Project directory of the including project: include paths are relative to it. */
  workingDir: string
  environment: Record<string, string>
  /** Files being included above this one (outermost first). */
  chain: string[]
  /** Load an included project's merged model (parse, interpolate, include, extends, merge). */
  loadProject: (project: IncludedProject) => Promise<Record<string, unknown>>
  readEnvFiles: (paths: string[], lookup: (name: string) => string | undefined) => Promise<Record<string, string>>
  origins?: Origins
  /** Collects the paths made absolute (see absolutizeModelPaths). */
  rebased?: Set<string>
}

const RESOURCES = ['services', 'volumes', 'networks', 'secrets', 'configs', 'models'] as const

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])

/** Apply the `include` section of a document in place; removes the `include` key. */
export async function applyInclude(doc: ParsedDocument, options: IncludeOptions): Promise<void> {
  const section = doc.model.include
  if (section === undefined || section === null) return
  const source = doc.source
  if (!Array.isArray(section)) throw new ComposeFileError('COMPOSE_INCLUDE', '`include` must be a list', {source, path: ['include']})

  for (let i = 0; i < section.length; i++) {
    const where = {source, path: ['include', i]}
    const entry = typeof section[i] === 'string' ? {path: section[i]} : section[i]
    if (!isMap(entry)) throw new ComposeFileError('COMPOSE_INCLUDE', 'an include entry must be a path or a mapping with `path`', where)
    const paths = asList(entry.path)
    if (paths.length === 0 || paths.some((p) => typeof p !== 'string' || p === '')) {
      throw new ComposeFileError('COMPOSE_INCLUDE', '`include.path` must be a path or a list of paths', where)
    }
    const files = (paths as string[]).map((p) => (isAbsolute(p) ? p : resolve(options.workingDir, p)))
    for (const file of files) {
      if (!existsSync(file)) throw new ComposeFileError('COMPOSE_INCLUDE', `included file ${file} not found`, where)
    }
    const main = files[0]
    if (options.chain.includes(main) || main === source.path) {
      const loop = [...options.chain, main]
      const start = loop.indexOf(main)
      throw new ComposeFileError('COMPOSE_INCLUDE_CYCLE', `include cycle: ${loop.slice(start).join(' -> ')}`, where)
    }
    let projectDirectory = dirname(main)
    if (typeof entry.project_directory === 'string' && entry.project_directory !== '') {
      projectDirectory = isAbsolute(entry.project_directory) ? entry.project_directory : resolve(options.workingDir, entry.project_directory)
    }

    let envFiles: string[] = []
    const declared = asList(entry.env_file)
    if (declared.length === 0) {
      const dotEnv = resolve(projectDirectory, '.env')
      if (existsSync(dotEnv) && statSync(dotEnv).isFile()) envFiles = [dotEnv]
    } else {
      for (const f of declared) {
        if (typeof f !== 'string') throw new ComposeFileError('COMPOSE_INCLUDE', '`include.env_file` must be a path or a list of paths', where)
        if (f === '/dev/null') continue
        const file = isAbsolute(f) ? f : resolve(options.workingDir, f)
        if (!existsSync(file)) throw new ComposeFileError('COMPOSE_INCLUDE', `env file ${file} not found`, where)
        envFiles.push(file)
      }
    }
    const fromFiles = await options.readEnvFiles(envFiles, (name) => options.environment[name])
    const environment = {...fromFiles, ...options.environment}

    const loaded = await options.loadProject({files, projectDirectory, environment, chain: [...options.chain, main]})
    const imported = absolutizeModelPaths(loaded, projectDirectory, options.origins, options.rebased)
    importResources(doc, imported, options.origins)
  }
  delete doc.model.include
}

function importResources(doc: ParsedDocument, imported: Record<string, unknown>, origins?: Origins): void {
  const directives = [...doc.directives.resets, ...doc.directives.overrides]
  for (const kind of RESOURCES) {
    const from = imported[kind]
    if (!isMap(from)) continue
    const existing = doc.model[kind]
    const to: Record<string, unknown> = isMap(existing) ? existing : {}
    for (const [name, definition] of Object.entries(from)) {
      if (!(name in to)) {
        to[name] = definition
        continue
      }
      // The including file's own definition wins, merged over the included one.
      const base = withoutPaths(definition, directives, [kind, name], {origins})
      to[name] = mergeModels(base, to[name], {prefix: [kind, name], origins})
    }
    if (!isMap(existing)) {
      doc.model[kind] = to
      origins?.inherit(to, from)
    }
  }
}
