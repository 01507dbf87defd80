/**
 * Tar headers for what the builder uploads (PUT /containers/{id}/archive): POSIX ustar blocks,
 * preceded by a PAX extended header when a path, link target, id or size does not fit in its
 * ustar field. Plain buffers, no streams: framing a hundred small files costs a fraction of a
 * millisecond, where a stream library costs tens of milliseconds to load and to run.
 */
export const BLOCK = 512

export type TarEntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo'

export interface TarHeader {
  /** Path inside the archive, relative (no leading `/`); a directory's gets a trailing `/`. */
  name: string
  type: TarEntryType
  mode: number
  uid: number
  gid: number
  /** Bytes of content that follow (files only). */
  size?: number
  mtimeMs: number
  /** Target of a symlink or hard link. */
  linkname?: string
  devmajor?: number
  devminor?: number
}

const TYPEFLAG: Record<TarEntryType, string> = {file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6'}

/** The header block(s) of one entry: 512 bytes, or a PAX header and its records first. */
export function encodeHeader(h: TarHeader): Buffer {
  const name = h.type === 'dir' && !h.name.endsWith('/') ? `${h.name}/` : h.name
  const pax: Array<[string, string]> = []
  const split = splitName(name)
  if (!split) pax.push(['path', name])
  if (h.linkname !== undefined && Buffer.byteLength(h.linkname) > 100) pax.push(['linkpath', h.linkname])
  const size = h.type === 'file' ? (h.size ?? 0) : 0
  const numbers: Array<[string, number, number]> = [['uid', h.uid, 8], ['gid', h.gid, 8], ['size', size, 12]]
  for (const [key, value, width] of numbers) if (!fitsOctal(value, width)) pax.push([key, String(value)])
  const block = ustarBlock({
    name: split?.name ?? truncate(name, 100),
    prefix: split?.prefix ?? '',
    typeflag: TYPEFLAG[h.type],
    mode: h.mode & 0o7777,
    uid: fitsOctal(h.uid, 8) ? h.uid : 0,
    gid: fitsOctal(h.gid, 8) ? h.gid : 0,
    size: fitsOctal(size, 12) ? size : 0,
    mtime: seconds(h.mtimeMs),
    linkname: h.linkname === undefined ? '' : truncate(h.linkname, 100),
    devmajor: h.devmajor ?? 0,
    devminor: h.devminor ?? 0,
  })
  if (pax.length === 0) return block
  const records = Buffer.from(pax.map(([key, value]) => paxRecord(key, value)).join(''))
  const base = name.replace(/\/+$/, '').split('/').pop() ?? 'entry'
  const paxHeader = ustarBlock({
    name: truncate(`PaxHeaders/${base}`, 100),
    prefix: '',
    typeflag: 'x',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: records.length,
    mtime: seconds(h.mtimeMs),
    linkname: '',
    devmajor: 0,
    devminor: 0,
  })
  return Buffer.concat([paxHeader, records, padding(records.length), block])
}

/** Zero bytes up to the next block boundary after `size` bytes of content. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK
  return rest === 0 ? EMPTY : Buffer.alloc(BLOCK - rest)
}

/** The two zero blocks that end an archive. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(2 * BLOCK)
}

const EMPTY = Buffer.alloc(0)

interface UstarFields {
  name: string
  prefix: string
  typeflag: string
  mode: number
  uid: number
  gid: number
  size: number
  mtime: number
  linkname: string
  devmajor: number
  devminor: number
}

function ustarBlock(f: UstarFields): Buffer {
  const b = Buffer.alloc(BLOCK)
  b.write(f.name, 0, 100, 'utf8')
  writeOctal(b, 100, 8, f.mode)
  writeOctal(b, 108, 8, f.uid)
  writeOctal(b, 116, 8, f.gid)
  writeOctal(b, 124, 12, f.size)
  writeOctal(b, 136, 12, f.mtime)
  b.write(f.typeflag, 156, 1, 'latin1')
  b.write(f.linkname, 157, 100, 'utf8')
  b.write('ustar\u000000', 257, 8, 'latin1')
  writeOctal(b, 329, 8, f.devmajor)
  writeOctal(b, 337, 8, f.devminor)
  b.write(f.prefix, 345, 155, 'utf8')
  // The checksum counts its own field as eight spaces: six octal digits, NUL, space.
  b.fill(0x20, 148, 156)
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += b[i]
  b.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1')
  return b
}

/** `width - 1` octal digits and a NUL, as ustar numeric fields are written. */
function writeOctal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(`${Math.max(0, Math.floor(value)).toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'latin1')
}

function fitsOctal(value: number, width: number): boolean {
  return value >= 0 && value < 8 ** (width - 1)
}

function seconds(ms: number): number {
  return Math.max(0, Math.floor(ms / 1000))
}

/** ustar name/prefix split of a path (prefix up to 155 bytes, name up to 100), or undefined. */
export function splitName(path: string): {name: string; prefix: string} | undefined {
  if (Buffer.byteLength(path) <= 100) return {name: path, prefix: ''}
  // The name part keeps the trailing slash of a directory; split at an earlier slash.
  const end = path.endsWith('/') ? path.length - 1 : path.length
  for (let i = path.lastIndexOf('/', end - 1); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i)
    const name = path.slice(i + 1)
    if (Buffer.byteLength(name) > 100) return undefined
    if (Buffer.byteLength(prefix) <= 155) return {name, prefix}
  }
  return undefined
}

/** One PAX record: "<length> <key>=<value>\n", the length counting its own digits. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  const bytes = Buffer.byteLength(body)
  let length = bytes + String(bytes).length
  if (String(length).length !== String(bytes).length) length = bytes + String(length).length
  return `${length}${body}`
}

/** `text` when it fits in `max` bytes, else an ASCII placeholder (a PAX record carries the real value). */
function truncate(text: string, max: number): string {
  return Buffer.byteLength(text) <= max ? text : text.replace(/[^\x20-\x7e]/g, '_').slice(0, max)
}
