/**
 * `config --resolve-image-digests` / `--lock-image-digests`: each service's image pinned to the
 * digest of its manifest, written `name:tag@sha256:...` as docker compose writes it (`:latest`
 * added to an image without a tag). The digest comes from the local image's RepoDigests when it
 * was pulled from or pushed to its registry (one list call, no network), else from the registry
 * through the engine (GET /distribution/{name}/json, as docker compose asks). An image that has
 * neither is one clear error.
 */
import type {EngineClient} from '../engine/client.js'
import {parseImageReference, type RegistryAuth} from '../engine/resources/images.js'
import type {ImageSummary} from '../engine/types.js'
import {BerthError} from '../errors.js'
import {findImage, normalizeImageRef, type ObservedImage} from './observe.js'

export interface DigestOptions {
  signal?: AbortSignal
  /** Registry credentials for an image (default: the docker CLI's config, as `pull` uses). */
  auth?: (image: string) => Promise<RegistryAuth | undefined>
}

/** `busybox` -> `busybox:latest@sha256:...`; an image already pinned stays as written. */
export function pinnedReference(image: string, digest: string): string {
  if (image.includes('@')) return image
  const ref = parseImageReference(image)
  return `${ref.tag === undefined ? `${image}:latest` : image}@${digest}`
}

/** The repository of a reference the way the engine's RepoDigests name it (`docker.io/library/` left out). */
function repositoryKey(ref: string): string {
  const normal = normalizeImageRef(ref)
  return parseImageReference(normal).repository
}

/**
 * The digest a local image's RepoDigests give for `image`: the one entry of the same repository
 * (none, or several that disagree, is undefined: the registry decides then).
 */
export function localDigest(images: ObservedImage[], image: string): string | undefined {
  const local = findImage(images, image)
  if (!local) return undefined
  const repository = repositoryKey(image)
  const digests = new Set(local.repoDigests.filter((d) => repositoryKey(d) === repository).map((d) => d.slice(d.indexOf('@') + 1)))
  return digests.size === 1 ? [...digests][0] : undefined
}

/**
 * Every distinct image of `images` (service -> image) pinned to a digest: service -> pinned image.
 * Throws one error naming the first image that cannot be pinned.
 */
export async function resolveImageDigests(engine: EngineClient, images: Record<string, string>, options: DigestOptions = {}): Promise<Record<string, string>> {
  const distinct = [...new Set(Object.values(images))].filter((image) => !image.includes('@'))
  const pinned = new Map<string, string>()
  if (distinct.length > 0) {
    const list: ImageSummary[] = await engine.images.list({digests: true, signal: options.signal})
    const local: ObservedImage[] = list.map((i) => ({id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], labels: i.Labels ?? {}}))
    const settled = await Promise.allSettled(
      distinct.map(async (image) => {
        const digest = localDigest(local, image) ?? (await registryDigest(engine, image, local, images, options))
        pinned.set(image, pinnedReference(image, digest))
      }),
    )
    // The first failure in service order, whichever answered first.
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    if (failed) throw failed.reason
  }
  return Object.fromEntries(Object.entries(images).map(([service, image]) => [service, pinned.get(image) ?? image]))
}

async function registryDigest(engine: EngineClient, image: string, local: ObservedImage[], images: Record<string, string>, options: DigestOptions): Promise<string> {
  let auth: RegistryAuth | undefined
  try {
    auth = options.auth ? await options.auth(image) : await (await import('../engine/registry-auth.js')).resolveRegistryAuth(image)
  } catch {
    auth = undefined
  }
  try {
    const answer = await engine.json<{Descriptor?: {digest?: string}}>({
      method: 'GET',
      path: `/distribution/${encodeURIComponent(image)}/json`,
      headers: auth ? {'x-registry-auth': Buffer.from(JSON.stringify(auth)).toString('base64url')} : undefined,
      signal: options.signal,
    })
    const digest = answer?.Descriptor?.digest
    if (digest) return digest
    throw new Error('the engine answered without a digest')
  } catch (error) {
    if (options.signal?.aborted) throw error
    const services = Object.keys(images).filter((s) => images[s] === image).sort()
    const why = findImage(local, image) ? 'the local image has no digest from its registry' : 'it is not here'
    const reason = oneLine(error)
    throw new BerthError('IMAGE_DIGEST_UNKNOWN', `cannot pin image "${image}" (service ${services.join(', ')}) to a digest: ${why}, and asking its registry failed: ${reason}`, {
      hints: [`pull it (\`berth pull ${services[0]}\`) or push it, then try again`],
      cause: error,
    })
  }
}

/** The first line of an error's message, without the engine's "Error response from daemon" prefix. */
function oneLine(error: unknown): string {
  const daemon = (error as {daemonMessage?: unknown}).daemonMessage
  const message = typeof daemon === 'string' && daemon !== '' ? daemon : error instanceof Error ? error.message : String(error)
  return message.split('\n')[0].replace(/^Error response from daemon:\s*/i, '')
}
