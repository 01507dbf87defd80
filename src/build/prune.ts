/**
 * Removing cache images. Only untagged images without children and without containers can go,
 * so pruning walks from the leaves up: removing a leaf may make its parent a leaf.
 */
import {ConflictError, NotFoundError, type EngineClient, type ImageSummary} from '../engine/index.js'
import {UserInputError} from '../errors.js'
import {CACHE_LABEL} from './cache.js'

export interface PruneResult {
  removed: string[]
  reclaimedBytes: number
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?$/i.exec(text.trim())
  if (!m) throw new UserInputError('BAD_SIZE', `invalid size "${text}" (e.g. 500MB, 2GB)`)
  const unit = (m[2] ?? '').toLowerCase().replace(/i?b$/, '')
  const factor = {'': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12}[unit] ?? 1
  return Math.round(Number(m[1]) * factor)
}

export async function pruneBuildCache(engine: EngineClient, options: {all?: boolean; keepBytes?: number; signal?: AbortSignal} = {}): Promise<PruneResult> {
  const [images, containers] = await Promise.all([
    engine.images.list({all: true, signal: options.signal}),
    engine.containers.list({all: true, signal: options.signal}),
  ])
  const used = new Set(containers.map((c) => c.ImageID as string))
  const children = new Map<string, number>()
  for (const image of images) if (image.ParentId) children.set(image.ParentId, (children.get(image.ParentId) ?? 0) + 1)
  const byId = new Map(images.map((i) => [i.Id, i]))
  const isCache = (i: ImageSummary) => Boolean(i.Labels?.[CACHE_LABEL])
  const tagged = (i: ImageSummary) => (i.RepoTags ?? []).some((t) => t !== '<none>:<none>')
  let kept = 0
  if (options.keepBytes !== undefined) {
    // Keep the newest cache images while they fit.
    const newest = images.filter(isCache).sort((a, b) => b.Created - a.Created)
    const keep = new Set<string>()
    for (const image of newest) {
      if (kept + image.Size > options.keepBytes) break
      kept += image.Size
      keep.add(image.Id)
    }
    for (const id of keep) used.add(id)
  }
  const removed: string[] = []
  let reclaimed = 0
  let queue = images.filter((i) => isCache(i) && (options.all || !tagged(i)))
  for (;;) {
    const leaves = queue.filter((i) => !used.has(i.Id) && !children.get(i.Id))
    if (leaves.length === 0) break
    for (const image of leaves) {
      try {
        await engine.images.remove(image.Id, {force: options.all && tagged(image), signal: options.signal})
        removed.push(image.Id)
        reclaimed += Math.max(0, image.Size - (byId.get(image.ParentId)?.Size ?? 0))
        if (image.ParentId) children.set(image.ParentId, (children.get(image.ParentId) ?? 1) - 1)
      } catch (error) {
        if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) throw error
      }
    }
    const gone = new Set(leaves.map((l) => l.Id))
    queue = queue.filter((i) => !gone.has(i.Id))
  }
  return {removed, reclaimedBytes: reclaimed}
}
