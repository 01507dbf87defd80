/**
 * Content hashes of context files, remembered by (path, size, mtime, inode) in the user's cache
 * directory ($XDG_CACHE_HOME/berth, else ~/.cache/berth), so an unchanged context is not re-read.
 * A `touch` re-hashes the file once; the hash is unchanged, so the build cache still hits.
 */
import {createHash} from 'node:crypto'
import {createReadStream, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {ContextEntry} from './walk.js'
import {readJsonFile, writeJsonAtomically} from '../json-file.js'

type Row = [size: number, mtimeMs: number, ino: number, hash: string]

export function userCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'berth')
}

/** One file per build context, so a build loads only the hashes of its own context. */
export function hashCacheFileFor(contextDir: string): string {
  const id = createHash('sha256').update(path.resolve(contextDir)).digest('hex').slice(0, 32)
  return path.join(userCacheDir(), 'build-hashes', `${id}.json`)
}

export class StatCache {
  private rows = new Map<string, Row>()
  private dirty = false
  /** Files read and hashed in this run (for measurements). */
  hashedFiles = 0
  hashedBytes = 0

  private constructor(private readonly file: string | undefined) {}

  /** Loads the cache; a missing or corrupt file is an empty cache. `file: undefined` keeps it in memory. */
  static async load(file: string | undefined): Promise<StatCache> {
    const cache = new StatCache(file)
    // first run or unreadable: start empty
    const data = file ? await readJsonFile(file) : undefined
    if (data && typeof data === 'object') cache.rows = new Map(Object.entries(data as Record<string, Row>))
    return cache
  }

  /** sha256 of a file's content, from the cache when size, mtime and inode are unchanged. */
  async hash(entry: ContextEntry): Promise<string> {
    const row = this.rows.get(entry.abs)
    if (row && row[0] === entry.size && row[1] === entry.mtimeMs && row[2] === entry.ino) return row[3]
    const hash = await hashFile(entry.abs, entry.size)
    this.hashedFiles++
    this.hashedBytes += entry.size
    this.rows.set(entry.abs, [entry.size, entry.mtimeMs, entry.ino, hash])
    this.dirty = true
    return hash
  }

  /** Writes the cache atomically when something changed; failures are ignored (it is only a cache). */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return
    try {
      await writeJsonAtomically(this.file, Object.fromEntries(this.rows))
      this.dirty = false
    } catch {
      // read-only home, full disk: the next build re-hashes
    }
  }
}

async function hashFile(file: string, size: number): Promise<string> {
  const h = createHash('sha256')
  if (size < 1 << 20) {
    h.update(await fs.readFile(file))
    return h.digest('hex')
  }
  for await (const chunk of createReadStream(file, {highWaterMark: 1 << 20})) h.update(chunk as Buffer)
  return h.digest('hex')
}
