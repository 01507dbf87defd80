/**
 * `extends`: a service starts from another service, of the same file or of another file (relative
 * to the file that names it), recursively, and its own definition is merged on top by the merge
 * rules. A cycle is an error that prints it. Relative paths of a service taken from another file
 * (build context, env_file, bind mount sources, ...) are made absolute against that file's
 * directory, so they keep pointing where their author meant.
 */
import {dirname, isAbsolute, resolve} from 'node:path'
import {ComposeFileError} from './source.js'
import {mergeModels, withoutPaths} from './merge.js'
import type {MergeDirectives, Origins, ParsedDocument} from './parse.js'

export interface ExtendsOptions {
  /** Parse and interpolate another Compose file (absolute path) into one document. */
  loadFile: (path: string) => Promise<ParsedDocument>
  origins?: Origins
  /** Directory for paths of a file read from stdin. */
  cwd?: string
  /** Collects the paths made absolute (see absolutizeServicePaths). */
  rebased?: Set<string>
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

interface Frame {
  file: string
  service: string
}

/**
 * Resolve every `extends` of a document's services, in place: `doc.model.services.<name>` becomes
 * the merged service without its `extends` key.
 */
export async function applyExtends(doc: ParsedDocument, options: ExtendsOptions): Promise<void> {
  const services = doc.model.services
  if (!isMap(services)) return
  const resolver = new ExtendsResolver(options)
  for (const name of Object.keys(services)) {
    services[name] = await resolver.resolve(doc, name, [])
  }
}

class ExtendsResolver {
  private readonly done = new Map<string, unknown>()

  constructor(private readonly options: ExtendsOptions) {}

  async resolve(doc: ParsedDocument, name: string, chain: Frame[]): Promise<unknown> {
    const file = doc.source.path
    const key = `${file}\u0000${name}`
    if (chain.some((f) => f.file === file && f.service === name)) {
      const start = chain.findIndex((f) => f.file === file && f.service === name)
      const loop = [...chain.slice(start), {file, service: name}]
      const sameFile = loop.every((f) => f.file === file)
      const text = loop.map((f) => (sameFile ? f.service : `${f.service} (${f.file})`)).join(' -> ')
      const first = chain[start]
      throw new ComposeFileError('COMPOSE_EXTENDS_CYCLE', `extends cycle: ${text}`, {source: doc.source, path: ['services', first.service, 'extends']})
    }
    if (this.done.has(key)) return this.done.get(key)
    const services = doc.model.services as Record<string, unknown>
    const service = services[name]
    if (!isMap(service) || service.extends === undefined || service.extends === null) return service

    const where = {source: doc.source, path: ['services', name, 'extends']}
    const ext = service.extends
    let ref: string
    let refFile: string | undefined
    if (typeof ext === 'string') ref = ext
    else if (isMap(ext) && typeof ext.service === 'string') {
      ref = ext.service
      if (ext.file !== undefined && ext.file !== null) {
        if (typeof ext.file !== 'string') throw new ComposeFileError('COMPOSE_EXTENDS', '`extends.file` must be a string', where)
        refFile = ext.file
      }
    } else {
      throw new ComposeFileError('COMPOSE_EXTENDS', '`extends` needs a service name: `extends: base` or `extends: {service: base, file: other.yaml}`', where)
    }

    const next = [...chain, {file, service: name}]
    let base: unknown
    if (refFile !== undefined) {
      const baseDir = file === '-' ? (this.options.cwd ?? process.cwd()) : dirname(file)
      const target = isAbsolute(refFile) ? refFile : resolve(baseDir, refFile)
      let other: ParsedDocument
      try {
        other = await this.options.loadFile(target)
      } catch (error) {
        if (error instanceof ComposeFileError && error.code === 'COMPOSE_FILE_NOT_FOUND' && error.file === target) {
          throw new ComposeFileError('COMPOSE_EXTENDS', `cannot extend service "${name}": file ${target} not found`, where)
        }
        throw error
      }
      const otherServices = other.model.services
      if (!isMap(otherServices) || !(ref in otherServices)) {
        throw new ComposeFileError('COMPOSE_EXTENDS', `cannot extend service "${name}": service "${ref}" not found in ${target}`, where)
      }
      base = await this.resolve(other, ref, next)
      base = absolutizeServicePaths(clone(base, this.options.origins), dirname(target), this.options.origins, this.options.rebased)
    } else {
      if (!(ref in services)) {
        throw new ComposeFileError('COMPOSE_EXTENDS', `cannot extend service "${name}": service "${ref}" not found`, where)
      }
      base = clone(await this.resolve(doc, ref, next), this.options.origins)
    }
    if (!isMap(base)) {
      this.done.set(key, service)
      return service
    }
    const own: Record<string, unknown> = {...service}
    delete own.extends
    this.options.origins?.inherit(own, service)
    const baseDoc = withoutPaths(base, directivePaths(doc.directives), ['services', name], {origins: this.options.origins})
    const merged = mergeModels(baseDoc, own, {prefix: ['services', name], origins: this.options.origins}) as Record<string, unknown>
    delete merged.extends
    this.done.set(key, merged)
    services[name] = merged
    return merged
  }
}

function directivePaths(d: MergeDirectives) {
  return [...d.resets, ...d.overrides]
}

/** A deep copy that keeps the origins of every container. */
export function clone<T>(value: T, origins?: Origins): T {
  if (Array.isArray(value)) {
    const out = value.map((v) => clone(v, origins))
    if (origins) {
      origins.inherit(out, value)
      origins.setItems(out, origins.itemsOf(value))
    }
    return out as T
  }
  if (isMap(value)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = clone(v, origins)
    origins?.inherit(out, value)
    return out as T
  }
  return value
}

// -----------------------------------------------------------------------------------------------
// Relative paths

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i
const CONTEXT_SCHEMES = /^(?:docker-image|service|oci-layout|target):/

function abs(path: string, dir: string): string {
  if (path === '' || isAbsolute(path) || path.startsWith('~')) return path
  return resolve(dir, path)
}

/** Makes a relative host path absolute against one directory, and tells `rebased` which paths it made. */
type Rebase = (path: string) => string

function rebaser(dir: string, rebased?: Set<string>): Rebase {
  if (!rebased) return (path) => abs(path, dir)
  return (path) => {
    const out = abs(path, dir)
    if (out !== path) rebased.add(out)
    return out
  }
}

function absContext(path: unknown, rebase: Rebase): unknown {
  if (typeof path !== 'string' || REMOTE.test(path) || CONTEXT_SCHEMES.test(path)) return path
  return rebase(path)
}

function absList(value: unknown, rebase: Rebase, field?: string): unknown {
  if (typeof value === 'string') return rebase(value)
  if (Array.isArray(value)) {
    return value.map((v) => {
      if (typeof v === 'string') return rebase(v)
      if (field && isMap(v) && typeof v[field] === 'string') return {...v, [field]: rebase(v[field] as string)}
      return v
    })
  }
  return value
}

function absVolume(entry: unknown, rebase: Rebase): unknown {
  if (typeof entry === 'string') {
    const colon = entry.indexOf(':')
    if (colon <= 0) return entry
    const src = entry.slice(0, colon)
    if (!src.startsWith('.')) return entry
    return rebase(src) + entry.slice(colon)
  }
  if (isMap(entry) && entry.type === 'bind' && typeof entry.source === 'string') return {...entry, source: rebase(entry.source)}
  return entry
}

/**
 * A copy of a service whose relative paths are made absolute against `dir`. Only the fields that
 * hold host paths change; everything else is shared. With `rebased`, every path made absolute is
 * added to it (`config --no-path-resolution` prints those relative to the project directory).
 */
export function absolutizeServicePaths(service: unknown, dir: string, origins?: Origins, rebased?: Set<string>): unknown {
  if (!isMap(service)) return service
  const rebase = rebaser(dir, rebased)
  const out: Record<string, unknown> = {...service}
  origins?.inherit(out, service)
  const keep = <T>(next: T, prev: unknown): T => {
    if (origins && next !== prev && next !== null && typeof next === 'object') {
      origins.inherit(next, prev)
      if (Array.isArray(next) && Array.isArray(prev)) origins.setItems(next, origins.itemsOf(prev))
    }
    return next
  }
  if (typeof out.build === 'string') out.build = absContext(out.build, rebase)
  else if (isMap(out.build)) {
    const build: Record<string, unknown> = {...out.build}
    if (build.context !== undefined) build.context = absContext(build.context, rebase)
    else {
      build.context = dir
      rebased?.add(dir)
    }
    const extra = build.additional_contexts
    if (isMap(extra)) build.additional_contexts = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, absContext(v, rebase)]))
    else if (Array.isArray(extra)) {
      build.additional_contexts = extra.map((e) => {
        const text = String(e)
        const eq = text.indexOf('=')
        return eq < 0 ? e : `${text.slice(0, eq)}=${absContext(text.slice(eq + 1), rebase) as string}`
      })
    }
    out.build = keep(build, out.build)
  }
  if (out.env_file !== undefined) out.env_file = keep(absList(out.env_file, rebase, 'path'), out.env_file)
  if (out.label_file !== undefined) out.label_file = keep(absList(out.label_file, rebase), out.label_file)
  if (Array.isArray(out.volumes)) out.volumes = keep(out.volumes.map((v) => keep(absVolume(v, rebase), v)), out.volumes)
  if (isMap(out.extends) && typeof out.extends.file === 'string') out.extends = {...out.extends, file: abs(out.extends.file, dir)}
  if (isMap(out.develop) && Array.isArray(out.develop.watch)) {
    out.develop = {
      ...out.develop,
      watch: out.develop.watch.map((w) => (isMap(w) && typeof w.path === 'string' ? {...w, path: rebase(w.path)} : w)),
    }
  }
  return out
}

/**
 * A copy of a whole model (an included project) with every relative host path made absolute
 * against its project directory: services, `configs.*.file`, `secrets.*.file`, and local volumes
 * bound to a host directory (`driver_opts: {o: bind, device: ./data}`).
 */
export function absolutizeModelPaths(model: Record<string, unknown>, dir: string, origins?: Origins, rebased?: Set<string>): Record<string, unknown> {
  const rebase = rebaser(dir, rebased)
  const out: Record<string, unknown> = {...model}
  origins?.inherit(out, model)
  const mapEach = (key: string, fn: (v: unknown) => unknown) => {
    const section = out[key]
    if (!isMap(section)) return
    const copy: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(section)) {
      const next = fn(value)
      if (next !== null && typeof next === 'object' && next !== value) origins?.inherit(next, value)
      copy[name] = next
    }
    origins?.inherit(copy, section)
    out[key] = copy
  }
  mapEach('services', (s) => absolutizeServicePaths(s, dir, origins, rebased))
  const fileRef = (v: unknown) => (isMap(v) && typeof v.file === 'string' ? {...v, file: rebase(v.file)} : v)
  mapEach('configs', fileRef)
  mapEach('secrets', fileRef)
  mapEach('volumes', (v) => {
    if (!isMap(v) || (v.driver !== undefined && v.driver !== 'local') || !isMap(v.driver_opts)) return v
    const opts = v.driver_opts
    if (opts.o !== 'bind' || typeof opts.device !== 'string') return v
    return {...v, driver_opts: {...opts, device: rebase(opts.device)}}
  })
  return out
}
