/**
 * Planned entries -> a tar (tar-stream's pack) for PUT /containers/{id}/archive at `/`: names
 * relative to the root, modes as planned, owners after --chown, mtimes from the context, symlinks
 * as links. ADD's local tars are unpacked into their destination (plain or gzip), their hard links
 * moving with the entries they name. Small files are read a window ahead of the writer so the disk
 * is never idle while the previous ones are framed; a small copy is read synchronously and packed
 * into one buffer while the engine creates the container.
 */
import {createReadStream, promises as fs, readFileSync} from 'node:fs'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {createGunzip} from 'node:zlib'
import type {Header, Pack} from 'tar-stream'
import {BerthError, UnsupportedError} from '../../errors.js'
import {loadTarStream} from '../load-tar-stream.js'
import type {PlannedEntry} from './select.js'

export interface Owner {
  uid: number
  gid: number
}

/** One entry as the builder describes it; `tarHeader` turns it into tar-stream's header. */
export interface EntryHeader {
  /** Path inside the archive (a leading `/` is dropped; a directory's gets a trailing `/`). */
  name: string
  type: 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo'
  mode: number
  uid: number
  gid: number
  mtimeMs: number
  /** Bytes of content that follow (files only). */
  size?: number
  /** Target of a symlink or hard link. */
  linkname?: string
  devmajor?: number
  devminor?: number
}

/** tar-stream's header, with the PAX records it writes after `path` and `linkpath`. */
type TarHeader = Partial<Header> & {name: string; pax?: Record<string, string> | null}

/** The largest id tar-stream writes in a ustar field (six octal digits); above, a PAX record. */
const MAX_USTAR_ID = 0o777777

export function tarHeader(h: EntryHeader): TarHeader {
  const name = h.name.replace(/^\/+/, '')
  const bigIds = h.uid > MAX_USTAR_ID || h.gid > MAX_USTAR_ID
  return {
    name: h.type === 'directory' && !name.endsWith('/') ? `${name}/` : name,
    type: h.type,
    // tar-stream takes a mode of 0 as "none" and writes 0644/0755; a file-type bit (masked off
    // when the header is written) keeps it 0, as `--chmod=000` asks.
    mode: h.mode & 0o7777 || 0o100000,
    uid: h.uid,
    gid: h.gid,
    size: h.type === 'file' ? (h.size ?? 0) : 0,
    mtime: new Date(h.mtimeMs),
    ...(h.linkname !== undefined ? {linkname: h.linkname} : {}),
    ...(h.devmajor !== undefined ? {devmajor: h.devmajor, devminor: h.devminor} : {}),
    ...(bigIds ? {pax: {uid: String(h.uid), gid: String(h.gid)}} : {}),
  }
}

/** A whole tar of a few entries with their content, in one buffer. */
export async function tarBuffer(items: Array<{header: EntryHeader; body?: Buffer}>): Promise<Buffer> {
  const {pack} = await loadTarStream()
  const tar = pack()
  for (const {header, body} of items) {
    if (body) tar.entry({...tarHeader(header), size: body.length}, body)
    else tar.entry(tarHeader(header))
  }
  tar.finalize()
  return collect(tar as AsyncIterable<Buffer>)
}

/** The tar as a stream: files are read as it is consumed. */
export function packEntries(entries: PlannedEntry[], owner: Owner): Readable {
  return Readable.from(packed(entries, owner), {objectMode: false})
}

async function* packed(entries: PlannedEntry[], owner: Owner): AsyncGenerator<Buffer> {
  const {pack} = await loadTarStream()
  const tar = pack()
  void writeEntries(tar, entries, owner)
  yield* tar as AsyncIterable<Buffer>
}

/**
 * The whole tar in one buffer (for copies small enough to hold: see `packedSize`). Small files are
 * read synchronously: for a few MB that is several times faster than a thread-pool round trip per
 * open, stat, read and close, and the caller runs it while it waits for the engine anyway. Every
 * entry is handed to tar-stream at once (it frames them in order), without a wait per entry.
 */
export async function packToBuffer(entries: PlannedEntry[], owner: Owner): Promise<Buffer> {
  if (!entries.every((e) => !e.extract && (e.type !== 'file' || e.content || e.source!.size < SMALL_FILE))) {
    return collect(packEntries(entries, owner))
  }
  const {pack} = await loadTarStream()
  const tar = pack()
  for (const e of entries) {
    const body = e.type === 'file' ? (e.content ?? readFileSync(e.source!.abs)) : undefined
    if (body) tar.entry(entryHeader(e, owner, body), body)
    else tar.entry(entryHeader(e, owner))
  }
  tar.finalize()
  return collect(tar as AsyncIterable<Buffer>)
}

/** About how many bytes the tar of `entries` takes (content as walked, plus headers). */
export function packedSize(entries: PlannedEntry[]): number {
  let bytes = 1024
  for (const e of entries) bytes += 512 + (e.content?.length ?? (e.type === 'file' ? (e.source?.size ?? 0) : 0)) + 511
  return bytes
}

const READ_AHEAD = 16
const SMALL_FILE = 1 << 20

async function collect(tar: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of tar) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** Writes every entry in order, then ends the tar; a failure ends it with that error. */
async function writeEntries(tar: Pack, entries: PlannedEntry[], owner: Owner): Promise<void> {
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
  try {
    for (let i = 0; i < entries.length; i++) {
      readAhead(i)
      const prefetched = reads.get(i)
      reads.delete(i)
      await writeEntry(tar, entries[i], owner, prefetched ? await prefetched : undefined)
    }
    tar.finalize()
  } catch (error) {
    tar.destroy(error as Error)
  }
}

function entryHeader(e: PlannedEntry, owner: Owner, body?: Buffer, size = body?.length): TarHeader {
  return tarHeader({
    name: e.dest,
    type: e.type === 'dir' ? 'directory' : e.type === 'symlink' ? 'symlink' : 'file',
    mode: e.mode,
    uid: owner.uid,
    gid: owner.gid,
    mtimeMs: e.mtimeMs,
    size,
    ...(e.type === 'symlink' ? {linkname: e.linkTarget ?? ''} : {}),
  })
}

/** Hands one entry to tar-stream; resolves when it is written (so a stream holds one at a time). */
function add(tar: Pack, header: TarHeader, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve())
    if (body) tar.entry(header, body, done)
    else tar.entry(header, done)
  })
}

async function writeEntry(tar: Pack, e: PlannedEntry, owner: Owner, body?: Buffer): Promise<void> {
  if (e.type === 'file' && !body && !e.content) {
    if (e.extract && (await unpackInto(tar, e))) return
    // Size from a fresh stat: the file may have changed since the walk.
    const st = await fs.stat(e.source!.abs)
    if (st.size >= SMALL_FILE) return writeStreamed(tar, e, owner, st.size)
    body = await fs.readFile(e.source!.abs)
  }
  const content = e.type === 'file' ? (body ?? e.content) : undefined
  return add(tar, entryHeader(e, owner, content), content)
}

/** A large file in chunks; exactly `size` bytes, as its header promised. */
async function writeStreamed(tar: Pack, e: PlannedEntry, owner: Owner, size: number): Promise<void> {
  const source = e.source!
  const sink = tar.entry(entryHeader(e, owner, undefined, size))
  await pipeline(async function* () {
    let written = 0
    for await (const chunk of createReadStream(source.abs, {end: size - 1})) {
      written += (chunk as Buffer).length
      yield chunk as Buffer
    }
    // Ending the entry short would be tar-stream's "Size mismatch"; say what happened instead.
    if (written < size) throw new BerthError('BUILD_FILE_CHANGED', `${source.rel} became shorter while it was being copied; run the build again`)
  }, sink)
}

const TYPES: Partial<Record<string, EntryHeader['type']>> = {
  file: 'file', 'contiguous-file': 'file', link: 'link', symlink: 'symlink', directory: 'directory',
  'character-device': 'character-device', 'block-device': 'block-device', fifo: 'fifo',
}

/** The entry type of a header tar-stream read (a plain file when none); undefined for others. */
export function entryType(type: Header['type'] | undefined): EntryHeader['type'] | undefined {
  return TYPES[type ?? 'file']
}

/**
 * A local tar's entries re-rooted under `e.dest` (their owners kept, as docker does); false when
 * the file is not a tar after all.
 */
async function unpackInto(tar: Pack, e: PlannedEntry): Promise<boolean> {
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
  const {extract} = await loadTarStream()
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
    const h: TarHeader = entry.header as TarHeader
    const type = entryType(h.type)
    if (!type) {
      entry.resume()
      continue
    }
    // The source's own PAX records are not carried over (its `path` would undo the re-rooting);
    // its ids are, as numbers, and written again as records when they need them.
    const header = tarHeader({
      name: reroot(h.name),
      type,
      mode: h.mode ?? 0o644,
      uid: h.pax?.uid ? Number(h.pax.uid) : (h.uid ?? 0),
      gid: h.pax?.gid ? Number(h.pax.gid) : (h.gid ?? 0),
      size: h.size ?? 0,
      mtimeMs: h.mtime ? h.mtime.getTime() : 0,
      // A hard link names another entry of the same archive: it moves with it.
      linkname: type === 'link' && h.linkname ? reroot(h.linkname) : (h.linkname ?? undefined),
      devmajor: h.devmajor,
      devminor: h.devminor,
    })
    await new Promise<void>((resolve, reject) => {
      const sink = tar.entry(header, (error) => (error ? reject(error) : resolve()))
      entry.pipe(sink)
    })
  }
  return true
}
