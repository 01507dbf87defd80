/**
 * Release stores: where the history of a release (a named, revisioned deployment, as charts make)
 * is kept for a target. A store keeps records by release name and revision; `put` is atomic (a
 * reader sees the old record or the new one, never half of one).
 *
 * Two stores come with the SDK: `MemoryReleaseStore` for tests and `FileReleaseStore`, one JSON
 * file per revision under a directory (Berth's data dir for the `local` target). A target may
 * bring its own (e.g. kept in the cluster) through `releaseStore()` in its definition.
 *
 * @example
 * ```ts
 * import {FileReleaseStore} from 'berth/sdk'
 *
 * const store = new FileReleaseStore('/home/me/.local/share/berth/releases/local')
 * await store.put({name: 'web', revision: 1, status: 'deployed', updatedAt: new Date().toISOString(), data: {values: {}}})
 * const latest = await store.get('web')          // revision 1
 * const history = await store.list('web')        // [revision 1]
 * await store.delete('web')                      // removes every revision; returns 1
 * ```
 */
import {randomBytes} from 'node:crypto'
import {mkdir, open, readdir, readFile, rename, rm, rmdir} from 'node:fs/promises'
import {join} from 'node:path'
import {BerthError, UserInputError} from '../../errors.js'

export interface ReleaseRecord<T = unknown> {
  /** Release name: lowercase letters, digits, '-' and '.', starting and ending alphanumeric, at most 53 characters. */
  name: string
  /** 1, 2, 3, ... */
  revision: number
  /** e.g. "deployed", "superseded", "failed", "uninstalled", "pending-install". */
  status: string
  /** ISO 8601 time of the last change. */
  updatedAt: string
  /** What the owner of the release needs to roll back to it (chart, values, rendered project...). */
  data: T
}

export interface ReleaseStore {
  /** One revision, or the highest revision when none is given; undefined when there is none. */
  get(name: string, revision?: number): Promise<ReleaseRecord | undefined>
  /** Every record of one release, or of all releases, by name then revision. */
  list(name?: string): Promise<ReleaseRecord[]>
  /** Create or replace one revision, atomically. */
  put(record: ReleaseRecord): Promise<void>
  /** Delete one revision, or all of a release's; returns how many records were deleted. */
  delete(name: string, revision?: number): Promise<number>
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/

export function checkReleaseName(name: string): void {
  if (typeof name !== 'string' || name.length > 53 || !NAME.test(name) || name.includes('..')) {
    throw new UserInputError('RELEASE_NAME_INVALID', `invalid release name "${name}"`, {
      hints: ['use lowercase letters, digits, "-" and ".", start and end with a letter or digit, at most 53 characters'],
    })
  }
}

function checkRecord(record: ReleaseRecord): void {
  checkReleaseName(record.name)
  if (!Number.isInteger(record.revision) || record.revision < 1) {
    throw new UserInputError('RELEASE_REVISION_INVALID', `release ${record.name}: revision must be a positive integer, got ${String(record.revision)}`)
  }
}

function byNameThenRevision(a: ReleaseRecord, b: ReleaseRecord): number {
  return a.name === b.name ? a.revision - b.revision : a.name < b.name ? -1 : 1
}

/** Records kept in memory (structured clones in and out, so callers cannot alias stored state). */
export class MemoryReleaseStore implements ReleaseStore {
  readonly #records = new Map<string, Map<number, ReleaseRecord>>()

  async get(name: string, revision?: number): Promise<ReleaseRecord | undefined> {
    const revisions = this.#records.get(name)
    if (!revisions || revisions.size === 0) return undefined
    const rev = revision ?? Math.max(...revisions.keys())
    const record = revisions.get(rev)
    return record === undefined ? undefined : structuredClone(record)
  }

  async list(name?: string): Promise<ReleaseRecord[]> {
    const out: ReleaseRecord[] = []
    for (const [key, revisions] of this.#records) {
      if (name !== undefined && key !== name) continue
      for (const record of revisions.values()) out.push(structuredClone(record))
    }
    return out.sort(byNameThenRevision)
  }

  async put(record: ReleaseRecord): Promise<void> {
    checkRecord(record)
    const copy = structuredClone(record)
    let revisions = this.#records.get(record.name)
    if (!revisions) this.#records.set(record.name, (revisions = new Map()))
    revisions.set(record.revision, copy)
  }

  async delete(name: string, revision?: number): Promise<number> {
    const revisions = this.#records.get(name)
    if (!revisions) return 0
    if (revision === undefined) {
      this.#records.delete(name)
      return revisions.size
    }
    const deleted = revisions.delete(revision) ? 1 : 0
    if (revisions.size === 0) this.#records.delete(name)
    return deleted
  }
}

/**
 * One JSON file per revision: `<dir>/<name>/<revision>.json`. A put writes a temporary file in the
 * same directory, flushes it to disk, then renames it over the old one, so a crash or Ctrl-C
 * leaves either the old record or the new one.
 */
export class FileReleaseStore implements ReleaseStore {
  constructor(readonly dir: string) {}

  #file(name: string, revision: number): string {
    return join(this.dir, name, `${revision}.json`)
  }

  async #revisions(name: string): Promise<number[]> {
    let entries: string[]
    try {
      entries = await readdir(join(this.dir, name))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    return entries
      .map((e) => /^(\d+)\.json$/.exec(e)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
  }

  async #read(name: string, revision: number): Promise<ReleaseRecord | undefined> {
    const file = this.#file(name, revision)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    try {
      return JSON.parse(text) as ReleaseRecord
    } catch (error) {
      throw new BerthError('RELEASE_RECORD_CORRUPT', `release record ${file} is not valid JSON`, {cause: error})
    }
  }

  async get(name: string, revision?: number): Promise<ReleaseRecord | undefined> {
    checkReleaseName(name)
    if (revision !== undefined) return this.#read(name, revision)
    const revisions = await this.#revisions(name)
    return revisions.length === 0 ? undefined : this.#read(name, revisions.at(-1)!)
  }

  async list(name?: string): Promise<ReleaseRecord[]> {
    let names: string[]
    if (name === undefined) {
      try {
        names = (await readdir(this.dir, {withFileTypes: true})).filter((d) => d.isDirectory() && NAME.test(d.name)).map((d) => d.name)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw error
      }
    } else {
      checkReleaseName(name)
      names = [name]
    }
    const out: ReleaseRecord[] = []
    for (const n of names) {
      for (const revision of await this.#revisions(n)) {
        const record = await this.#read(n, revision)
        if (record) out.push(record)
      }
    }
    return out.sort(byNameThenRevision)
  }

  async put(record: ReleaseRecord): Promise<void> {
    checkRecord(record)
    const file = this.#file(record.name, record.revision)
    await mkdir(join(this.dir, record.name), {recursive: true})
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    try {
      const handle = await open(temp, 'wx', 0o600)
      try {
        await handle.writeFile(JSON.stringify(record, null, 2) + '\n')
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, file)
    } catch (error) {
      await rm(temp, {force: true})
      throw error
    }
  }

  async delete(name: string, revision?: number): Promise<number> {
    checkReleaseName(name)
    const revisions = revision === undefined ? await this.#revisions(name) : [revision]
    let deleted = 0
    for (const rev of revisions) {
      try {
        await rm(this.#file(name, rev))
        deleted++
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
    try {
      await rmdir(join(this.dir, name))
    } catch {
      // not empty (other revisions, someone else's temp file) or already gone
    }
    return deleted
  }
}
