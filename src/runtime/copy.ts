/**
 * `cp`: copy files between a service container and the host through the engine's archive API,
 * with `docker cp`'s naming rules:
 *
 * - into an existing directory, the source keeps its name;
 * - to a path that does not exist (its parent must), the source takes that name;
 * - a file may replace a file; a directory may not replace a file;
 * - `-` as the host side streams a tar archive to stdout / from stdin.
 *
 * Extraction on the host never writes outside the destination (no `..`, no absolute names).
 */
import {createReadStream, createWriteStream, existsSync, statSync} from 'node:fs'
import {chmod, chown, lstat, mkdir, readdir, readlink, symlink, utimes} from 'node:fs/promises'
import {basename, dirname, join, posix, relative, resolve, sep} from 'node:path'
import {pipeline} from 'node:stream/promises'
import type {Readable} from 'node:stream'
import type {EngineClient} from '../engine/client.js'
import {NotFoundError} from '../engine/errors.js'
import {UserInputError} from '../errors.js'
import {serviceContainer} from './exec.js'
import type {ProjectRef} from './select.js'

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

export interface CopyOptions {
  source: string
  destination: string
  index?: number
  /** -a: keep uid/gid. */
  archive?: boolean
  /** -L: follow a symbolic link at the source (host side). */
  followLink?: boolean
  stdin?: Readable
  stdout?: NodeJS.WritableStream
  signal?: AbortSignal
}

const DIR_BIT = 2 ** 31

export async function copy(engine: EngineClient, ref: ProjectRef, options: CopyOptions): Promise<void> {
  const from = parseCopyArg(options.source)
  const to = parseCopyArg(options.destination)
  if (from.service && to.service) throw new UserInputError('BAD_COPY', 'copying between containers is not supported: one side must be a host path')
  if (!from.service && !to.service) throw new UserInputError('BAD_COPY', 'one side must be SERVICE:PATH', {hints: ['berth cp web:/etc/hosts ./hosts', 'berth cp ./config.json web:/app/']})
  if (from.service) return copyFromContainer(engine, ref, from.service, from.path, to.path, options)
  return copyToContainer(engine, ref, to.service as string, from.path, to.path, options)
}

async function copyFromContainer(engine: EngineClient, ref: ProjectRef, service: string, src: string, dest: string, options: CopyOptions): Promise<void> {
  const container = await serviceContainer(engine, ref, service, options.index, options.signal)
  let archive: {body: Readable}
  try {
    archive = await engine.containers.getArchive(container.Id, src, {signal: options.signal})
  } catch (error) {
    if (error instanceof NotFoundError) throw new UserInputError('NO_SUCH_PATH', `${service}:${src}: no such file or directory in the container`)
    throw error
  }
  if (dest === '-') {
    await pipeline(archive.body, options.stdout ?? process.stdout)
    return
  }
  const target = resolve(dest)
  let directory: string
  let rename: string | undefined
  if (existsSync(target) && statSync(target).isDirectory()) {
    directory = target
  } else {
    directory = dirname(target)
    if (!existsSync(directory)) throw new UserInputError('NO_SUCH_PATH', `${dirname(dest)}: no such directory on the host`)
    rename = basename(target)
  }
  await extractTo(archive.body, directory, rename, posix.basename(src.replace(/\/+$/, '')) || '/', Boolean(options.archive), existsSync(target) && !statSync(target).isDirectory())
}

async function copyToContainer(engine: EngineClient, ref: ProjectRef, service: string, src: string, dest: string, options: CopyOptions): Promise<void> {
  const container = await serviceContainer(engine, ref, service, options.index, options.signal)
  if (src === '-') {
    await engine.containers.putArchive(container.Id, dest, (options.stdin ?? process.stdin) as Readable, {signal: options.signal, copyUIDGID: options.archive})
    return
  }
  const source = resolve(src)
  if (!existsSync(source)) throw new UserInputError('NO_SUCH_PATH', `${src}: no such file or directory on the host`)
  const sourceIsDir = statSync(source).isDirectory()
  let stat
  try {
    stat = await engine.containers.statPath(container.Id, dest, {signal: options.signal})
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error
  }
  let directory: string
  let name: string
  if (stat && Math.floor(stat.mode / DIR_BIT) % 2 === 1) {
    directory = dest
    name = basename(source)
  } else if (stat) {
    if (sourceIsDir) throw new UserInputError('BAD_COPY', `cannot copy directory ${src} onto the file ${service}:${dest}`)
    directory = posix.dirname(dest)
    name = posix.basename(dest)
  } else {
    directory = posix.dirname(dest)
    name = posix.basename(dest)
  }
  const tar = await packPath(source, name, Boolean(options.archive), Boolean(options.followLink))
  try {
    await engine.containers.putArchive(container.Id, directory, tar, {signal: options.signal, copyUIDGID: options.archive})
  } catch (error) {
    if (error instanceof NotFoundError) throw new UserInputError('NO_SUCH_PATH', `${service}:${directory}: no such directory in the container`)
    throw error
  }
}

/** A tar stream of a host file or directory tree, its top-level entry named `name`. */
async function packPath(source: string, name: string, keepOwner: boolean, followLink: boolean): Promise<Readable> {
  const tarStream = await import('tar-stream')
  const pack = tarStream.pack()
  const add = async (path: string, entryName: string, top: boolean): Promise<void> => {
    const info = top && followLink ? statSync(path) : await lstat(path)
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

/**
 * Extracts a tar stream into `directory`. The first path component (`topName` in the archive) is
 * renamed to `rename` when given. Nothing is written outside `directory`.
 */
async function extractTo(body: Readable, directory: string, rename: string | undefined, topName: string, keepOwner: boolean, replacingFile: boolean): Promise<void> {
  const tarStream = await import('tar-stream')
  const extract = tarStream.extract()
  const root = resolve(directory)
  const deferredTimes: Array<[string, Date]> = []
  let first = true
  const done = new Promise<void>((resolveAll, reject) => {
    extract.on('entry', (header, stream, next) => {
      const fail = (error: unknown) => {
        stream.resume()
        reject(error)
      }
      void (async () => {
        let name = header.name.replace(/^\.?\/+/, '')
        const parts = name.split('/').filter((p) => p !== '' && p !== '.')
        if (rename && parts.length > 0) parts[0] = rename
        name = parts.join('/')
        if (first) {
          first = false
          if (replacingFile && header.type === 'directory') throw new UserInputError('BAD_COPY', `cannot copy the directory ${topName} onto a file`)
        }
        const target = resolve(root, name)
        if (target !== root && !target.startsWith(root + sep)) throw new UserInputError('BAD_ARCHIVE', `refusing to write ${header.name} outside ${directory}`)
        if (relative(root, target) === '') {
          stream.resume()
          return
        }
        await mkdir(dirname(target), {recursive: true})
        if (header.type === 'directory') {
          await mkdir(target, {recursive: true})
          await chmod(target, (header.mode ?? 0o755) & 0o7777)
          if (header.mtime) deferredTimes.push([target, header.mtime])
          stream.resume()
        } else if (header.type === 'symlink') {
          await symlink(header.linkname ?? '', target).catch(async (error: NodeJS.ErrnoException) => {
            if (error.code !== 'EEXIST') throw error
          })
          stream.resume()
        } else if (header.type === 'file' || header.type === 'contiguous-file') {
          await pipeline(stream, createWriteStream(target, {mode: (header.mode ?? 0o644) & 0o7777}))
          await chmod(target, (header.mode ?? 0o644) & 0o7777)
          if (header.mtime) await utimes(target, header.mtime, header.mtime)
        } else {
          stream.resume()
          return
        }
        if (keepOwner && header.uid !== undefined && header.gid !== undefined && process.getuid?.() === 0) await chown(target, header.uid, header.gid).catch(() => undefined)
      })().then(() => next(), fail)
    })
    extract.on('finish', () => resolveAll())
    extract.on('error', reject)
  })
  body.pipe(extract)
  await done
  for (const [path, time] of deferredTimes.reverse()) await utimes(path, time, time).catch(() => undefined)
}
