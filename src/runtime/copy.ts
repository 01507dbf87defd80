/**
 * `cp`: copy files between a service's containers and the host through the engine's archive API,
 * with `docker cp`'s naming rules:
 *
 * - into an existing directory, the source keeps its name;
 * - `SRC/.` copies the contents of the directory SRC, not the directory itself;
 * - to a path that does not exist (its parent must), the source takes that name;
 * - a destination ending in `/` must be a directory (a file is not copied to a missing one);
 * - a file may replace a file; a directory may not replace a file;
 * - a symbolic link at the destination is followed; one at the source is copied as a link,
 *   unless -L (then its target is copied under the link's name);
 * - `-` as the host side streams a tar archive to stdout / from stdin.
 *
 * As docker compose does: stopped containers count; a copy into a service goes to every container
 * of it (all replicas; with --all one-off `run` containers too), or the one --index names; a copy
 * out of a service reads its first container (or --index).
 *
 * Extraction on the host never writes outside the destination: no `..`, no absolute names, no
 * writing through a symbolic link the archive made, and an existing file is replaced, never
 * written through.
 */
import {createReadStream, createWriteStream, statSync, type Stats} from 'node:fs'
import {chmod, lchown, link, lstat, mkdir, readdir, readlink, rm, stat, symlink, utimes} from 'node:fs/promises'
import {basename, dirname, join, posix, resolve, sep} from 'node:path'
import {pipeline} from 'node:stream/promises'
import type {Readable} from 'node:stream'
import type {EngineClient} from '../engine/client.js'
import {EngineServerError, NotFoundError} from '../engine/errors.js'
import type {ContainerSummary, PathStat} from '../engine/types.js'
import {UserInputError} from '../errors.js'
import type {DryRunStep} from './dry-run.js'
import {LABEL} from './labels.js'
import {NoContainerError, checkServices, containerNumber, nameOf, projectContainers, type ProjectRef} from './select.js'

export interface CopyEndpoint {
  /** Set for the container side: `web:/etc/hosts`. */
  service?: string
  path: string
}

/** `SERVICE:PATH` or a host path (`-` for stdin/stdout). A colon after a slash is part of a path. */
export function parseCopyArg(arg: string): CopyEndpoint {
  const colon = arg.indexOf(':')
  if (colon <= 0 || arg.slice(0, colon).includes('/') || arg.startsWith('.')) return {path: arg}
  return {service: arg.slice(0, colon), path: arg.slice(colon + 1)}
}

/** `dir/.` (or `.`): the contents of the directory, not the directory itself. */
export function namesContents(path: string): boolean {
  return path === '.' || path.endsWith('/.')
}

/** `dir/`, `dir/.`: the path must be a directory. */
export function assertsDirectory(path: string): boolean {
  return path.endsWith('/') || namesContents(path)
}

/** A container path without a trailing `/` or `/.` (the root stays `/`). */
export function trimContainerPath(path: string): string {
  let p = path
  while (p.length > 1 && (p.endsWith('/') || p.endsWith('/.'))) p = p.endsWith('/') ? p.slice(0, -1) : p.slice(0, -2)
  return p === '' || p === '.' ? '/' : p
}

export interface CopyOptions {
  source: string
  destination: string
  /** The container of the service with this number (container-number label). */
  index?: number
  /** Into a service: its one-off (`run`) containers too. */
  all?: boolean
  /** -a: keep uid/gid. */
  archive?: boolean
  /** -L: follow a symbolic link at the source. */
  followLink?: boolean
  stdin?: Readable
  stdout?: NodeJS.WritableStream
  signal?: AbortSignal
  /**
   * --dry-run: every check a copy makes (the containers, both paths, through HEAD requests and the
   * host's file system), then the steps instead of the copy: nothing is written on either side.
   */
  dryRun?: boolean
}

/** What a copy did (or, on a dry run, would do): the containers it read from or wrote to. */
export interface CopyResult {
  containers: string[]
  /** One per container: `container:demo-web-1  copy in  ./site -> /srv`. */
  steps: DryRunStep[]
}

const DIR_BIT = 2 ** 31
const SYMLINK_BIT = 2 ** 27

function isDirStat(s: PathStat | undefined): boolean {
  return s !== undefined && Math.floor(s.mode / DIR_BIT) % 2 === 1
}

function isLinkStat(s: PathStat | undefined): boolean {
  return s !== undefined && Math.floor(s.mode / SYMLINK_BIT) % 2 === 1
}

/** Both sides of a copy, checked before any engine call: exactly one is SERVICE:PATH. */
export function parseCopyArgs(source: string, destination: string): {from: CopyEndpoint; to: CopyEndpoint; service: string} {
  const from = parseCopyArg(source)
  const to = parseCopyArg(destination)
  if (from.service && to.service) throw new UserInputError('BAD_COPY', 'copying between containers is not supported: one side must be a host path')
  if (!from.service && !to.service) throw new UserInputError('BAD_COPY', 'one side must be SERVICE:PATH', {hints: ['berth cp web:/etc/hosts ./hosts', 'berth cp ./config.json web:/app/']})
  if (from.path === '' || to.path === '') throw new UserInputError('BAD_COPY', `empty path in "${from.path === '' ? source : destination}"`)
  return {from, to, service: (from.service ?? to.service) as string}
}

export async function copy(engine: EngineClient, ref: ProjectRef, options: CopyOptions): Promise<CopyResult> {
  const {from, to} = parseCopyArgs(options.source, options.destination)
  if (from.service) {
    const [container] = await copyContainers(engine, ref, from.service, options, 'from')
    await copyFromContainer(engine, container, from.service, from.path, to.path, options)
    const into = to.path === '-' ? 'stdout (a tar archive)' : to.path
    return {containers: [nameOf(container)], steps: [{resource: `container:${nameOf(container)}`, action: 'copy out', cause: `${from.path} -> ${into}`}]}
  }
  const service = to.service as string
  const containers = await copyContainers(engine, ref, service, options, 'to')
  await copyToContainers(engine, containers, service, from.path, to.path, options)
  const what = from.path === '-' ? 'stdin (a tar archive)' : from.path
  return {containers: containers.map(nameOf), steps: containers.map((c) => ({resource: `container:${nameOf(c)}`, action: 'copy in', cause: `${what} -> ${to.path}`}))}
}

/**
 * The containers a copy acts on, stopped ones included: the one --index names; else, out of a
 * service its first container, into a service all of them (with `all`, one-off ones too).
 */
async function copyContainers(engine: EngineClient, ref: ProjectRef, service: string, options: CopyOptions, direction: 'from' | 'to'): Promise<ContainerSummary[]> {
  if (ref.project) checkServices(ref, [service])
  const list = await projectContainers(engine, ref.name, {all: true, oneoff: true, services: [service], signal: options.signal})
  const replicas = list.filter((c) => c.Labels?.[LABEL.oneoff] !== 'True')
  const oneoffs = list.filter((c) => c.Labels?.[LABEL.oneoff] === 'True')
  if (options.index !== undefined) {
    const found = replicas.find((c) => containerNumber(c) === options.index)
    if (found) return [found]
    if (replicas.length > 0) throw new NoContainerError(`service "${service}" has no container with index ${options.index} (containers: ${replicas.map(containerNumber).join(', ')})`)
  } else {
    const candidates = options.all ? [...replicas, ...oneoffs] : replicas
    if (candidates.length > 0) return direction === 'from' ? candidates.slice(0, 1) : candidates
  }
  if (!ref.project) checkServices(ref, [service], await projectContainers(engine, ref.name, {all: true, oneoff: true, signal: options.signal}))
  throw new NoContainerError(`service "${service}" has no containers`, [`create them with \`berth up -d ${service}\``])
}

/** An engine answer about a path, as one line naming the path. */
function pathError(error: unknown, where: string): unknown {
  if (error instanceof NotFoundError) return new UserInputError('NO_SUCH_PATH', `${where}: no such file or directory in the container`)
  if (error instanceof EngineServerError && /not a directory/i.test(error.daemonMessage ?? '')) return new UserInputError('NOT_A_DIRECTORY', `${where}: not a directory`)
  return error
}

async function statOrUndefined(engine: EngineClient, id: string, path: string, signal?: AbortSignal): Promise<PathStat | undefined> {
  try {
    return await engine.containers.statPath(id, path, {signal})
  } catch (error) {
    if (error instanceof NotFoundError) return undefined
    throw error
  }
}

/**
 * A dry run's stand-in for the archive's own stat: a HEAD on the path (without a trailing `/` or
 * `/.`, which the engine answers with a bare 500), then the check the archive request would make.
 */
async function dryRunStat(engine: EngineClient, id: string, path: string, where: string, signal?: AbortSignal): Promise<PathStat | undefined> {
  const found = await engine.containers.statPath(id, trimContainerPath(path), {signal})
  if (assertsDirectory(path) && !isDirStat(found)) throw new UserInputError('NOT_A_DIRECTORY', `${where}: not a directory`)
  return found
}

async function copyFromContainer(engine: EngineClient, container: ContainerSummary, service: string, src: string, dest: string, options: CopyOptions): Promise<void> {
  const where = `${service}:${src}`
  let path = src
  // -L: copy what the link points to, under the link's name.
  let linkName: string | undefined
  if (options.followLink && !assertsDirectory(src)) {
    const linkStat = await statOrUndefined(engine, container.Id, src, options.signal)
    if (isLinkStat(linkStat) && linkStat?.linkTarget) {
      path = linkStat.linkTarget.startsWith('/') ? linkStat.linkTarget : posix.join(posix.dirname(trimContainerPath(src)), linkStat.linkTarget)
      linkName = posix.basename(trimContainerPath(src))
    }
  }
  let archive: {stat?: PathStat; body?: Readable}
  try {
    archive = options.dryRun ? {stat: await dryRunStat(engine, container.Id, path, where, options.signal)} : await engine.containers.getArchive(container.Id, path, {signal: options.signal})
  } catch (error) {
    throw pathError(error, where)
  }
  if (dest === '-') {
    if (archive.body) await pipeline(archive.body, options.stdout ?? process.stdout)
    return
  }
  const sourceIsDir = archive.stat ? isDirStat(archive.stat) : undefined
  const target = resolve(dest)
  const existing = await stat(target).catch(() => undefined)
  let root: string
  let topAs: string | undefined
  let refuseDirectory = false
  try {
    if (existing?.isDirectory()) {
      root = target
      topAs = namesContents(src) ? '.' : linkName
    } else if (existing) {
      if (assertsDirectory(dest)) throw new UserInputError('NOT_A_DIRECTORY', `${dest}: not a directory`)
      if (sourceIsDir) throw new UserInputError('BAD_COPY', `cannot copy directory ${where} onto the file ${dest}`)
      refuseDirectory = sourceIsDir === undefined
      root = dirname(target)
      topAs = basename(target)
    } else {
      if (assertsDirectory(dest) && sourceIsDir === false) throw new UserInputError('NO_SUCH_PATH', `${dest}: no such directory on the host`)
      root = dirname(target)
      if (!(await stat(root).catch(() => undefined))?.isDirectory()) throw new UserInputError('NO_SUCH_PATH', `${dirname(dest)}: no such directory on the host`)
      topAs = basename(target)
    }
  } catch (error) {
    archive.body?.on('error', () => undefined).destroy()
    throw error
  }
  if (!archive.body) return
  await extractTo(archive.body, root, {topAs, keepOwner: Boolean(options.archive), refuseDirectory, what: where})
}

async function copyToContainers(engine: EngineClient, containers: ContainerSummary[], service: string, src: string, dest: string, options: CopyOptions): Promise<void> {
  if (src === '-') {
    // A dry run leaves stdin unread: there is nothing to check in an archive that is not sent.
    if (options.dryRun) return
    const input = options.stdin ?? process.stdin
    // One reader, several containers: keep the archive in memory to send it to each.
    const body = containers.length === 1 ? input : await readAll(input)
    await Promise.all(
      containers.map(async (c) => {
        try {
          await engine.containers.putArchive(c.Id, dest, body instanceof Buffer ? body : (body as Readable), {signal: options.signal, copyUIDGID: options.archive})
        } catch (error) {
          throw pathError(error, `${service}:${dest}`)
        }
      }),
    )
    return
  }
  const source = resolve(src)
  let info: Stats
  try {
    info = options.followLink ? await stat(source) : await lstat(source)
  } catch {
    throw new UserInputError('NO_SUCH_PATH', `${src}: no such file or directory on the host`)
  }
  const sourceIsDir = info.isDirectory()
  if (assertsDirectory(src) && !sourceIsDir) throw new UserInputError('NOT_A_DIRECTORY', `${src}: not a directory`)
  const contents = namesContents(src)
  await Promise.all(containers.map((c) => copyToContainer(engine, c, service, {raw: src, path: source, isDir: sourceIsDir, contents}, dest, options)))
}

interface HostSource {
  /** As the user wrote it (for messages). */
  raw: string
  path: string
  isDir: boolean
  /** `dir/.`: the directory's contents. */
  contents: boolean
}

async function copyToContainer(engine: EngineClient, container: ContainerSummary, service: string, source: HostSource, dest: string, options: CopyOptions): Promise<void> {
  // Stat without the trailing slash: the engine answers a HEAD on `missing/` or `file/` with a
  // bare 500; whether the path must be a directory is checked below.
  let path = trimContainerPath(dest)
  let target = await statOrUndefined(engine, container.Id, path, options.signal)
  // A link at the destination (/var/run -> /run): copy to what it points to.
  if (isLinkStat(target) && target?.linkTarget) {
    path = target.linkTarget.startsWith('/') ? target.linkTarget : posix.join(posix.dirname(trimContainerPath(dest)), target.linkTarget)
    target = await statOrUndefined(engine, container.Id, path, options.signal)
  }
  const where = `${service}:${dest}`
  let directory: string
  let name: string
  if (isDirStat(target)) {
    directory = path
    name = source.contents ? '.' : basename(source.path)
  } else if (target) {
    if (assertsDirectory(dest)) throw new UserInputError('NOT_A_DIRECTORY', `${where}: not a directory`)
    if (source.isDir) throw new UserInputError('BAD_COPY', `cannot copy directory ${source.raw} onto the file ${where}`)
    directory = posix.dirname(trimContainerPath(path))
    name = posix.basename(trimContainerPath(path))
  } else {
    if (assertsDirectory(dest) && !source.isDir) throw new UserInputError('NO_SUCH_PATH', `${where}: no such directory in the container`)
    const trimmed = trimContainerPath(path)
    directory = posix.dirname(trimmed)
    name = posix.basename(trimmed)
  }
  if (options.dryRun) {
    // The engine would answer the copy with 404 when the directory is missing.
    if (!isDirStat(await statOrUndefined(engine, container.Id, directory, options.signal))) throw new UserInputError('NO_SUCH_PATH', `${service}:${directory}: no such directory in the container`)
    return
  }
  const tar = await packPath(source.path, name, Boolean(options.archive), Boolean(options.followLink))
  try {
    await engine.containers.putArchive(container.Id, directory, tar, {signal: options.signal, copyUIDGID: options.archive})
  } catch (error) {
    tar.destroy()
    if (error instanceof NotFoundError) throw new UserInputError('NO_SUCH_PATH', `${service}:${directory}: no such directory in the container`)
    throw pathError(error, where)
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string))
  return Buffer.concat(chunks)
}

/**
 * A tar stream of a host file or directory tree, its top-level entry named `name`; with the name
 * `.`, the directory's children alone (at the top of the archive).
 */
async function packPath(source: string, name: string, keepOwner: boolean, followLink: boolean): Promise<Readable> {
  const tarStream = await import('tar-stream')
  const pack = tarStream.pack()
  const add = async (path: string, entryName: string, top: boolean): Promise<void> => {
    const info = top && followLink ? statSync(path) : await lstat(path)
    if (top && entryName === '.') {
      for (const child of (await readdir(path)).sort()) await add(join(path, child), child, false)
      return
    }
    const owner = keepOwner ? {uid: info.uid, gid: info.gid} : {uid: 0, gid: 0}
    const header = {name: entryName, mode: info.mode & 0o7777, mtime: info.mtime, ...owner}
    if (info.isDirectory()) {
      pack.entry({...header, type: 'directory'})
      for (const child of (await readdir(path)).sort()) await add(join(path, child), `${entryName}/${child}`, false)
    } else if (info.isSymbolicLink()) {
      pack.entry({...header, type: 'symlink', linkname: await readlink(path)})
    } else if (info.isFile()) {
      await new Promise<void>((resolveEntry, reject) => {
        const entry = pack.entry({...header, type: 'file', size: info.size}, (error) => (error ? reject(error) : resolveEntry()))
        createReadStream(path).on('error', reject).pipe(entry)
      })
    }
  }
  void add(source, name, true)
    .then(() => pack.finalize())
    .catch((error: unknown) => pack.destroy(error as Error))
  return pack as unknown as Readable
}

interface ExtractOptions {
  /**
   * What the archive's top entry becomes: a new name, or `.` for `root` itself (its contents land
   * in `root`). Unset: the entry keeps its name.
   */
  topAs?: string
  keepOwner: boolean
  /** The top entry must not be a directory (it would replace a file). */
  refuseDirectory: boolean
  /** The source, for messages. */
  what: string
}

/** Where an archive entry lands below `root`, as path components (empty: `root` itself). */
export function entryParts(name: string, topAs: string | undefined): string[] {
  const parts = name.split('/').filter((p) => p !== '')
  if (parts.length === 0) return []
  const top = topAs ?? parts[0]
  const rest = parts.slice(1).filter((p) => p !== '.')
  return top === '.' ? rest : [top, ...rest]
}

/**
 * Extracts a tar stream below `root`. Nothing is written outside it: names with `..` that climb
 * out, and paths through a symbolic link, are refused; an existing non-directory is replaced.
 */
async function extractTo(body: Readable, root: string, options: ExtractOptions): Promise<void> {
  const tarStream = await import('tar-stream')
  const extract = tarStream.extract()
  const base = resolve(root)
  // Directory modes and times are set last: a read-only directory must still take its children.
  const deferred: Array<{path: string; mode: number; mtime?: Date}> = []
  // Directories known to be real directories below `base` (not links).
  const safe = new Set<string>([base])
  let first = true

  const inside = (parts: string[], raw: string): string => {
    const target = resolve(base, ...parts)
    if (target === base || !target.startsWith(base + sep)) throw new UserInputError('BAD_ARCHIVE', `refusing to write ${raw} outside ${root}`)
    return target
  }
  const ensureParent = async (target: string, raw: string): Promise<void> => {
    const chain: string[] = []
    for (let dir = dirname(target); !safe.has(dir); dir = dirname(dir)) chain.unshift(dir)
    for (const dir of chain) {
      const info = await lstat(dir).catch(() => undefined)
      if (info?.isSymbolicLink()) throw new UserInputError('BAD_ARCHIVE', `refusing to write ${raw} through the symbolic link ${dir}`)
      if (info && !info.isDirectory()) await rm(dir, {force: true})
      if (!info?.isDirectory()) await mkdir(dir)
      safe.add(dir)
    }
  }
  // A file, link or symlink replaces what is there (never writes through a link); a directory
  // stays a directory.
  const clear = async (target: string, directory: boolean): Promise<boolean> => {
    const info = await lstat(target).catch(() => undefined)
    if (!info) return false
    if (directory && info.isDirectory()) return true
    await rm(target, {recursive: true, force: true})
    return false
  }

  const done = new Promise<void>((resolveAll, reject) => {
    extract.on('entry', (header, stream, next) => {
      void (async () => {
        const parts = entryParts(header.name, options.topAs)
        if (first) {
          first = false
          if (options.refuseDirectory && header.type === 'directory') throw new UserInputError('BAD_COPY', `cannot copy the directory ${options.what} onto a file`)
        }
        if (parts.length === 0) {
          stream.resume()
          return
        }
        const target = inside(parts, header.name)
        await ensureParent(target, header.name)
        if (header.type === 'directory') {
          if (!(await clear(target, true))) await mkdir(target)
          safe.add(target)
          deferred.push({path: target, mode: (header.mode ?? 0o755) & 0o7777, mtime: header.mtime})
          stream.resume()
        } else if (header.type === 'symlink') {
          await clear(target, false)
          await symlink(header.linkname ?? '', target)
          stream.resume()
        } else if (header.type === 'link') {
          const linkParts = entryParts(header.linkname ?? '', options.topAs)
          const existing = inside(linkParts, header.linkname ?? '')
          await clear(target, false)
          await link(existing, target)
          stream.resume()
        } else if (header.type === 'file' || header.type === 'contiguous-file') {
          await clear(target, false)
          await pipeline(stream, createWriteStream(target, {mode: (header.mode ?? 0o644) & 0o7777}))
          await chmod(target, (header.mode ?? 0o644) & 0o7777)
          if (header.mtime) await utimes(target, header.mtime, header.mtime)
        } else {
          stream.resume()
          return
        }
        if (options.keepOwner && header.uid !== undefined && header.gid !== undefined && process.getuid?.() === 0) await lchown(target, header.uid, header.gid).catch(() => undefined)
      })().then(
        () => next(),
        (error: unknown) => {
          stream.resume()
          body.on('error', () => undefined).destroy()
          extract.destroy()
          reject(error)
        },
      )
    })
    extract.on('finish', () => resolveAll())
    extract.on('error', reject)
    body.on('error', reject)
  })
  body.pipe(extract)
  await done
  for (const {path, mode, mtime} of deferred.reverse()) {
    await chmod(path, mode)
    if (mtime) await utimes(path, mtime, mtime).catch(() => undefined)
  }
}
