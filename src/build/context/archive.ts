/**
 * Planned entries -> a tar for PUT /containers/{id}/archive at `/`: names relative to the root,
 * modes as planned, owners after --chown, mtimes from the context, symlinks as links. ADD's local
 * tars are unpacked into their destination (plain or gzip). Headers come from tar.ts; small files
 * are read a window ahead of the writer so the disk is never idle while the previous ones are
 * framed. A small copy is packed into one buffer while the engine creates the container.
 */
import {createReadStream, promises as fs, readFileSync} from 'node:fs'
import {Readable} from 'node:stream'
import {createGunzip} from 'node:zlib'
import {BerthError, UnsupportedError} from '../../errors.js'
import type {PlannedEntry} from './select.js'
import {encodeHeader, endOfArchive, padding, type TarEntryType, type TarHeader} from './tar.js'

export interface Owner {
  uid: number
  gid: number
}

/** The tar as a stream: files are read as it is consumed. */
export function packEntries(entries: PlannedEntry[], owner: Owner): Readable {
  return Readable.from(tarChunks(entries, owner), {objectMode: false})
}

/**
 * The whole tar in one buffer (for copies small enough to hold: see `packedSize`). Small files are
 * read synchronously: for a few MB that is several times faster than a thread-pool round trip per
 * open, stat, read and close, and the caller runs it while it waits for the engine anyway.
 */
export async function packToBuffer(entries: PlannedEntry[], owner: Owner): Promise<Buffer> {
  const chunks: Buffer[] = []
  if (entries.every((e) => !e.extract && (e.type !== 'file' || e.content || e.source!.size < SMALL_FILE))) {
    for (const e of entries) {
      const body = e.type === 'file' && !e.content ? readFileSync(e.source!.abs) : undefined
      for (const chunk of syncChunks(e, owner, body)) chunks.push(chunk)
    }
    chunks.push(endOfArchive())
  } else {
    for await (const chunk of tarChunks(entries, owner)) chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

function syncChunks(e: PlannedEntry, owner: Owner, body: Buffer | undefined): Buffer[] {
  if (e.type === 'dir') return [header(e, owner)]
  if (e.type === 'symlink') return [header(e, owner, {linkname: e.linkTarget ?? ''})]
  const content = body ?? e.content!
  return [header(e, owner, {size: content.length}), content, padding(content.length)]
}

/** About how many bytes the tar of `entries` takes (content as walked, plus headers). */
export function packedSize(entries: PlannedEntry[]): number {
  let bytes = 1024
  for (const e of entries) bytes += 512 + (e.content?.length ?? (e.type === 'file' ? (e.source?.size ?? 0) : 0)) + 511
  return bytes
}

const READ_AHEAD = 16
const SMALL_FILE = 1 << 20

async function* tarChunks(entries: PlannedEntry[], owner: Owner): AsyncGenerator<Buffer> {
  const reads = new Map<number, Promise<Buffer>>()
  const readAhead = (from: number) => {
    for (let i = from; i < Math.min(entries.length, from + READ_AHEAD); i++) {
      const e = entries[i]
      if (!reads.has(i) && e.type === 'file' && !e.content && !e.extract && e.source!.size < SMALL_FILE) {
        const read = fs.readFile(e.source!.abs)
        read.catch(() => undefined)
        reads.set(i, read)
      }
    }
  }
  for (let i = 0; i < entries.length; i++) {
    readAhead(i)
    const prefetched = reads.get(i)
    reads.delete(i)
    yield* entryChunks(entries[i], owner, prefetched ? await prefetched : undefined)
  }
  yield endOfArchive()
}

function header(e: PlannedEntry, owner: Owner, extra: Partial<TarHeader> = {}): Buffer {
  return encodeHeader({
    name: e.dest.replace(/^\/+/, ''),
    type: e.type === 'dir' ? 'dir' : e.type === 'symlink' ? 'symlink' : 'file',
    mode: e.mode,
    uid: owner.uid,
    gid: owner.gid,
    mtimeMs: e.mtimeMs,
    ...extra,
  })
}

async function* entryChunks(e: PlannedEntry, owner: Owner, body?: Buffer): AsyncGenerator<Buffer> {
  if (e.type === 'file' && !body && !e.content) {
    if (e.extract && (yield* unpacked(e))) return
    // Size from a fresh stat: the file may have changed since the walk.
    const st = await fs.stat(e.source!.abs)
    if (st.size >= SMALL_FILE) return yield* streamed(e, owner, st.size)
    body = await fs.readFile(e.source!.abs)
  }
  yield* syncChunks(e, owner, body)
}

/** A large file in chunks; exactly `size` bytes, as its header promised. */
async function* streamed(e: PlannedEntry, owner: Owner, size: number): AsyncGenerator<Buffer> {
  yield header(e, owner, {size})
  let written = 0
  for await (const chunk of createReadStream(e.source!.abs)) {
    const b = chunk as Buffer
    const take = Math.min(b.length, size - written)
    if (take > 0) yield take === b.length ? b : b.subarray(0, take)
    written += take
    if (written >= size) break
  }
  if (written < size) throw new BerthError('BUILD_FILE_CHANGED', `${e.source!.rel} became shorter while it was being copied; run the build again`)
  yield padding(size)
}

const TYPES: Record<string, TarEntryType | undefined> = {
  file: 'file', 'contiguous-file': 'file', link: 'link', symlink: 'symlink', directory: 'dir',
  'character-device': 'char', 'block-device': 'block', fifo: 'fifo',
}

/**
 * A local tar's entries re-rooted under `e.dest` (their owners kept, as docker does); false when
 * the file is not a tar after all.
 */
async function* unpacked(e: PlannedEntry): AsyncGenerator<Buffer, boolean> {
  const file = e.source!.abs
  const handle = await fs.open(file, 'r')
  const magic = Buffer.alloc(262)
  try {
    await handle.read(magic, 0, 262, 0)
  } finally {
    await handle.close()
  }
  const gzip = magic[0] === 0x1f && magic[1] === 0x8b
  const plain = magic.toString('latin1', 257, 262) === 'ustar'
  if (magic.toString('latin1', 0, 3) === 'BZh' || magic.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    throw new UnsupportedError(`ADD ${e.source!.rel}: bzip2 and xz archives are not unpacked by this builder; use a .tar or .tar.gz`)
  }
  if (!gzip && !plain) return false
  const {extract} = await import('tar-stream')
  const input = extract()
  const source = createReadStream(file)
  source.on('error', (error) => input.destroy(error))
  if (gzip) {
    const gunzip = createGunzip()
    gunzip.on('error', (error) => input.destroy(error))
    source.pipe(gunzip).pipe(input)
  } else {
    source.pipe(input)
  }
  const base = e.dest.replace(/\/+$/, '')
  const reroot = (name: string) => `${base}/${name.replace(/^(\.\/)+|^\/+/, '')}`.replace(/\/+$/, '').replace(/^\/+/, '')
  for await (const entry of input) {
    const h = entry.header
    const type = TYPES[h.type ?? 'file']
    if (!type) {
      entry.resume()
      continue
    }
    yield encodeHeader({
      name: reroot(h.name),
      type,
      mode: h.mode ?? 0o644,
      uid: h.uid ?? 0,
      gid: h.gid ?? 0,
      size: type === 'file' ? (h.size ?? 0) : 0,
      mtimeMs: h.mtime ? h.mtime.getTime() : 0,
      // A hard link names another entry of the same archive: it moves with it.
      linkname: type === 'link' && h.linkname ? reroot(h.linkname) : (h.linkname ?? undefined),
      devmajor: h.devmajor,
      devminor: h.devminor,
    })
    let size = 0
    for await (const chunk of entry) {
      size += (chunk as Buffer).length
      yield chunk as Buffer
    }
    if (type === 'file') yield padding(size)
  }
  return true
}
