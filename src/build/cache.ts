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
import type {EngineClient} from '../engine/index.js'

export const CACHE_LABEL = 'dev.berth.build.cache-key'
const VERSION = 'berth-build-cache-v1'

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
