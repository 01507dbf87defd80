/**
 * The layer cache lives in the engine: every image the builder commits carries the label
 * `dev.berth.build.cache-key=<key>`, so the cache survives restarts and is shared by everyone
 * using that engine. One image list call with a label filter answers every lookup of a build.
 *
 * A step's key chains the previous step's key (the first step chains the base image id), the
 * step's text after substitution, the build args in scope and, for COPY/ADD, the digest of exactly
 * the selected files. Equal keys therefore mean equal inputs all the way down to the base image.
 */
import {createHash} from 'node:crypto'
import path from 'node:path'
import type {EngineClient} from '../engine/index.js'
import {userCacheDir} from './context/stat-cache.js'
import {readJsonFile, writeJsonAtomically} from './json-file.js'

export const CACHE_LABEL = 'dev.berth.build.cache-key'
// v2: images of v1 could carry a RUN's arguments as Cmd (base image without CMD/ENTRYPOINT) and
// missed files a COPY wrote under a VOLUME path; their keys must not match any more.
const VERSION = 'berth-build-cache-v2'

export function stepKey(previous: string, text: string, args: string[], digest?: string): string {
  const h = createHash('sha256')
  h.update(JSON.stringify([VERSION, previous, text, args, digest ?? null]))
  return `sha256:${h.digest('hex')}`
}

/** key -> image id of every cache image on the engine. */
export async function loadCacheIndex(engine: EngineClient, signal?: AbortSignal): Promise<Map<string, string>> {
  const images = await engine.images.list({all: true, filters: {label: [CACHE_LABEL]}, signal})
  const index = new Map<string, string>()
  const created = new Map<string, number>()
  for (const image of images) {
    const key = image.Labels?.[CACHE_LABEL]
    // Several images can share a key (after --no-cache): the newest wins.
    if (key && (created.get(key) ?? -1) < image.Created) {
      index.set(key, image.Id)
      created.set(key, image.Created)
    }
  }
  return index
}

/**
 * What this machine built in a context: the key of every step it committed -> image id. Only a
 * hint: when the last step's key is there and the engine confirms the image still carries it (one
 * inspect), nothing is listed at all; otherwise the longest hinted prefix is where the steps start
 * while the engine lists its cache images, and the list has the last word.
 */
export class KeyHints {
  private rows = new Map<string, string>()
  private dirty = false
  private newest?: string

  private constructor(private readonly file: string | undefined) {}

  static async load(file: string | undefined): Promise<KeyHints> {
    const hints = new KeyHints(file)
    // first build in this context, or unreadable: no hints
    const data = file ? await readJsonFile(file) : undefined
    if (data && typeof data === 'object') hints.rows = new Map(Object.entries(data).filter((row): row is [string, string] => typeof row[1] === 'string'))
    hints.newest = [...hints.rows.keys()].at(-1)
    return hints
  }

  get size(): number {
    return this.rows.size
  }

  get(key: string): string | undefined {
    return this.rows.get(key)
  }

  /** Remembers key -> image id as the newest entry (a prefix every build reuses is not the first to go). */
  set(key: string, imageId: string): void {
    if (this.rows.get(key) === imageId && this.newest === key) return
    this.newest = key
    this.rows.delete(key)
    this.rows.set(key, imageId)
    // The newest entries are enough: a context has a handful of stages, targets and steps.
    for (const old of this.rows.keys()) {
      if (this.rows.size <= MAX_HINTS) break
      this.rows.delete(old)
    }
    this.dirty = true
  }

  async save(): Promise<void> {
    if (!this.file || !this.dirty) return
    try {
      await writeJsonAtomically(this.file, Object.fromEntries(this.rows))
      this.dirty = false
    } catch {
      // read-only home, full disk: the next build lists the cache images
    }
  }
}

const MAX_HINTS = 256

export function keyHintsFileFor(contextDir: string): string {
  const id = createHash('sha256').update(path.resolve(contextDir)).digest('hex').slice(0, 32)
  return path.join(userCacheDir(), 'build-keys', `${id}.json`)
}
