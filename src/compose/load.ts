/**
 * The loader, top to bottom: resolve the project (files, directory, variables, profiles) -> for
 * each file: read -> parse -> interpolate -> validate -> include -> extends -> merge onto the files
 * before it -> keep one entry per unique resource -> project name -> normalise -> Project.
 *
 * Never touches the network, never imports engine/ or runtime/.
 */
import {readFileSync} from 'node:fs'
import {basename, dirname} from 'node:path'
import {UserInputError} from '../errors.js'
import type {Project} from './types.js'
import {ComposeFileError, type ModelPath, type SourceFile} from './source.js'
import {ComposeSource, Origins, parseComposeFile, type ParsedDocument} from './parse.js'
import {interpolateModel} from './interpolate.js'
import {readEnvFiles} from './env-file.js'
import {resolveProject, normalizeProjectName, type ProjectOptions, type ResolvedProject} from './resolve.js'
import {applyInclude, type IncludedProject} from './include.js'
import {applyExtends} from './extends.js'
import {enforceUnique, mergeModels} from './merge.js'

// For `config --variables`, from this bundle rather than a second copy of the template parser.
export {extractVariables, variablesTable, type ModelVariable} from './variables.js'

export interface LoadOptions extends ProjectOptions {
  /** Substitute variables (default true; `--no-interpolate` turns it off). */
  interpolate?: boolean
  /** Produce a normalised Project (default true; `--no-normalize` returns the merged model only). */
  normalize?: boolean
  /** Services named on the command line (active even when their profiles are not enabled). */
  explicitServices?: string[]
  /** Make host paths absolute (default true; `config --no-path-resolution` prints them as written). */
  resolvePaths?: boolean
  /** Read `env_file`s into `environment` (default true; `config --no-env-resolution` keeps the list). */
  resolveEnvFiles?: boolean
  /** Check references, cycles and duplicates across the project (default true; `config --no-consistency`). */
  consistency?: boolean
  /** Called once per distinct warning, as soon as it is known (they are also in LoadResult.warnings). */
  onWarning?: (message: string) => void
  /** Text of stdin, for `-f -` (default: read process.stdin). */
  readStdin?: () => Promise<string>
  /**
   * Last stage: may transform the normalised project (the command layer passes the plugins'
   * after-load hooks here; the loader itself knows nothing of plugins).
   */
  afterLoad?: (project: Project) => Promise<Project>
}

export interface LoadResult {
  /** The normalised project; undefined with `normalize: false`. */
  project?: Project
  /** The merged model before normalisation (with `name` set). */
  model: Record<string, unknown>
  name: string
  /** The top-level `name:` the name was made from, as written (undefined when -p, COMPOSE_PROJECT_NAME or the directory named the project). */
  nameTemplate?: string
  /** The files' last non-empty top-level `name:` as written, whatever named the project (`config --no-interpolate --no-normalize` prints it). */
  writtenName?: string
  workingDir: string
  /** Compose files merged, in order (`-` for stdin). */
  files: string[]
  environment: Record<string, string>
  profiles: string[]
  /** Messages for the user, one line each, without a `warning:` prefix. */
  warnings: string[]
  /** file:line:col for a path of the merged model. */
  sourceOf: (path: ModelPath) => SourceFile | undefined
}

/** Collects warnings once each, in order. */
class Warnings {
  private readonly seen = new Set<string>()
  readonly list: string[] = []
  constructor(private readonly listener?: (message: string) => void) {}
  add(message: string): void {
    if (!this.seen.has(message)) {
      this.seen.add(message)
      this.list.push(message)
      this.listener?.(message)
    }
  }
}

interface Session {
  interpolate: boolean
  origins: Origins
  warnings: Warnings
  readStdin: () => Promise<string>
  stdinText?: string
  cwd: string
  /** Files parsed ahead (to find the project name), handed over once to the pipeline. */
  parsed: Map<string, ParsedDocument[]>
  /** With `resolvePaths: false`: the paths extends and include made absolute. */
  rebased?: Set<string>
}

async function readStdinDefault(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

async function readComposeFile(path: string, session: Session): Promise<string> {
  if (path === '-') {
    session.stdinText ??= await session.readStdin()
    return session.stdinText
  }
  try {
    // Synchronous: nothing else runs meanwhile, and a promise read costs several thread-pool
    // round trips (open, stat, read, close) for one small file.
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new ComposeFileError('COMPOSE_FILE_NOT_FOUND', 'Compose file not found', {file: path}, ['check the -f path or COMPOSE_FILE'])
    if (code === 'EISDIR') throw new ComposeFileError('COMPOSE_FILE_NOT_FOUND', 'is a directory, not a Compose file', {file: path})
    throw new ComposeFileError('COMPOSE_FILE_UNREADABLE', `cannot read Compose file: ${(error as Error).message}`, {file: path})
  }
}

/** Read, parse, interpolate and validate one file: its documents, ready to be merged. */
/** Parse a file once; each call gets its own copy of the documents' models. */
async function parseFile(path: string, session: Session): Promise<ParsedDocument[]> {
  const cached = session.parsed.get(path)
  if (cached) {
    session.parsed.delete(path)
    return cached
  }
  return parseComposeFile(await readComposeFile(path, session), path, session.origins)
}

async function readDocuments(path: string, environment: Record<string, string>, session: Session, validate: boolean): Promise<ParsedDocument[]> {
  const docs = await parseFile(path, session)
  for (const doc of docs) {
    if (session.interpolate) {
      interpolateModel(doc.model, {
        lookup: (name) => (Object.hasOwn(environment, name) ? environment[name] : undefined),
        source: doc.source,
        onUnset: (name) => session.warnings.add(`the "${name}" variable is not set. Defaulting to a blank string.`),
      })
    }
    if ('version' in doc.model) {
      session.warnings.add(`${path}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`)
      delete doc.model.version
    }
    if (validate) (await validator())(doc.model, doc.source)
  }
  return docs
}

let validatorModule: Promise<(doc: unknown, source: SourceFile) => void> | undefined
function validator(): Promise<(doc: unknown, source: SourceFile) => void> {
  validatorModule ??= import('./validate.js').then((m) => m.validateComposeFile)
  return validatorModule
}

/** Load and merge a set of files into one model (no normalisation). Used for the project and for includes. */
async function loadModel(files: string[], workingDir: string, environment: Record<string, string>, chain: string[], session: Session): Promise<Record<string, unknown>> {
  const extendsCache = new Map<string, Promise<ParsedDocument>>()
  const loadForExtends = (path: string): Promise<ParsedDocument> => {
    let doc = extendsCache.get(path)
    if (!doc) {
      doc = readDocuments(path, environment, session, true).then((docs) => {
        if (docs.length === 1) return docs[0]
        let model = docs[0].model
        for (const d of docs.slice(1)) model = mergeModels(model, d.model, {directives: d.directives, origins: session.origins})
        return {...docs[0], model}
      })
      extendsCache.set(path, doc)
    }
    return doc
  }

  let merged: Record<string, unknown> = {}
  for (const file of files) {
    for (const doc of await readDocuments(file, environment, session, true)) {
      await applyInclude(doc, {
        workingDir,
        environment,
        chain: chain.length > 0 ? chain : [file],
        origins: session.origins,
        readEnvFiles: (paths, lookup) => readEnvFiles(paths, {lookup, onUnset: (name) => session.warnings.add(`the "${name}" variable is not set. Defaulting to a blank string.`)}),
        loadProject: (included: IncludedProject) => loadModel(included.files, included.projectDirectory, included.environment, included.chain, session),
        rebased: session.rebased,
      })
      await applyExtends(doc, {loadFile: loadForExtends, origins: session.origins, cwd: session.cwd, rebased: session.rebased})
      merged = mergeModels(merged, doc.model, {directives: doc.directives, origins: session.origins})
    }
  }
  return enforceUnique(merged, session.origins)
}

/** Load a Compose project the way docker compose does. */
export async function loadProject(options: LoadOptions = {}): Promise<LoadResult> {
  const resolved: ResolvedProject = await resolveProject(options)
  const warnings = new Warnings(options.onWarning)
  for (const w of resolved.warnings) warnings.add(w)
  const session: Session = {
    interpolate: options.interpolate ?? true,
    origins: new Origins(),
    warnings,
    readStdin: options.readStdin ?? readStdinDefault,
    cwd: options.cwd ?? process.cwd(),
    parsed: new Map(),
    rebased: options.resolvePaths === false ? new Set() : undefined,
  }
  // The name comes first: files may use ${COMPOSE_PROJECT_NAME}, which compose sets to it.
  for (const file of resolved.files) session.parsed.set(file, await parseFile(file, session))
  const writtenName = [...session.parsed.values()].flat().map((d) => d.model.name).filter((n): n is string => typeof n === 'string' && n !== '').at(-1)
  const {name, template: nameTemplate} = projectName(resolved, [...session.parsed.values()].flat(), session.interpolate)
  const environment = {...resolved.environment, COMPOSE_PROJECT_NAME: name}

  const merged = await loadModel(resolved.files, resolved.workingDir, environment, [], session)
  if (Object.keys(merged).length === 0) {
    throw new ComposeFileError('COMPOSE_EMPTY_FILE', 'empty Compose file: it defines nothing', {file: resolved.files[0]})
  }
  // `name` first, as compose prints it.
  const model: Record<string, unknown> = {name, ...merged}
  model.name = name
  session.origins.inherit(model, merged)

  const sourceOf = (path: ModelPath): SourceFile | undefined => {
    const found = session.origins.locate(model, path)
    if (!found) return undefined
    const src: ComposeSource = found.source
    return {
      path: src.path,
      text: src.text,
      positionOf: (p: ModelPath) => {
        const at = session.origins.locate(model, p)
        return at && at.source === src ? at.position : src.positionOf(p)
      },
    }
  }

  const result: LoadResult = {
    model,
    name,
    nameTemplate,
    writtenName,
    workingDir: resolved.workingDir,
    files: resolved.files,
    environment,
    profiles: resolved.profiles,
    warnings: warnings.list,
    sourceOf,
  }
  if (options.normalize === false) return result

  const {normalizeProject} = await import('./normalize/index.js')
  result.project = normalizeProject(model, {
    projectName: name,
    workingDir: resolved.workingDir,
    environment,
    profiles: resolved.profiles,
    explicitServices: options.explicitServices,
    sourceOf,
    configFiles: resolved.files,
    resolvePaths: options.resolvePaths,
    rebasedPaths: session.rebased,
    resolveEnvFiles: options.resolveEnvFiles,
    consistency: options.consistency,
  })
  if (options.afterLoad) result.project = await options.afterLoad(result.project)
  return result
}

/** -p / COMPOSE_PROJECT_NAME, else the last non-empty top-level `name` (interpolated, normalised), else the directory. */
function projectName(resolved: ResolvedProject, docs: ParsedDocument[], interpolate: boolean): {name: string; template?: string} {
  if (resolved.explicitName) return {name: resolved.explicitName}
  let fromFile: {text: string; doc: ParsedDocument} | undefined
  for (const doc of docs) {
    const value = doc.model.name
    if (value === undefined || value === null || value === '') continue
    if (typeof value !== 'string') throw new ComposeFileError('PROJECT_NAME_INVALID', 'the top-level `name` must be a string', {source: doc.source, path: ['name']})
    fromFile = {text: value, doc}
  }
  if (fromFile) {
    let text = fromFile.text
    if (interpolate) {
      const env = resolved.environment
      text = interpolateModel({name: text}, {lookup: (n) => (Object.hasOwn(env, n) ? env[n] : undefined), source: fromFile.doc.source, cast: false}).name
    }
    const name = normalizeProjectName(text)
    if (name === '') {
      throw new ComposeFileError('PROJECT_NAME_INVALID', `invalid project name "${text}": nothing is left after normalisation`, {source: fromFile.doc.source, path: ['name']}, [
        'a project name uses lowercase letters, digits, "-" and "_"',
      ])
    }
    return {name, template: fromFile.text}
  }
  const dir = basename(resolved.workingDir) || basename(dirname(resolved.workingDir))
  const name = normalizeProjectName(dir)
  if (name === '') {
    throw new UserInputError('PROJECT_NAME_INVALID', `cannot derive a project name from the directory "${dir}"`, {hints: ['name the project with -p or a top-level `name:`']})
  }
  return {name}
}

