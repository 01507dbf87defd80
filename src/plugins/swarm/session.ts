/**
 * What every stack command does around its work: an engine client found the way every Berth
 * command finds it (DOCKER_HOST, contexts, the default socket), Ctrl-C wired to cancel it, and the
 * two lookups a deploy needs from the engine besides the swarm API — an image's digest from the
 * local image (no registry is asked) and registry credentials for --with-registry-auth.
 */
import type {EngineClient} from '../../engine/client.js'
import {SwarmApi} from './api.js'

export async function withSwarm<T>(fn: (api: SwarmApi) => Promise<T>, options: {signal?: AbortSignal} = {}): Promise<T> {
  const {EngineClient} = await import('../../engine/client.js')
  const client = new EngineClient({signal: options.signal})
  try {
    return await fn(new SwarmApi(client))
  } finally {
    await client.close()
  }
}

/**
 * `image` pinned to the digest its local copy got from its registry (`name:tag@sha256:...`), or
 * undefined when the engine has no such digest (an image built or imported here).
 */
export function localDigestResolver(engine: EngineClient, signal?: AbortSignal): (image: string) => Promise<string | undefined> {
  let local: Promise<Array<{id: string; repoTags: string[]; repoDigests: string[]; labels: Record<string, string>}>> | undefined
  return async (image) => {
    const {localDigest, pinnedReference} = await import('../../runtime/image-digests.js')
    local ??= engine.images.list({digests: true, signal}).then((list) => list.map((i) => ({id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], labels: i.Labels ?? {}})))
    const digest = localDigest(await local, image)
    return digest ? pinnedReference(image, digest) : undefined
  }
}

/** The X-Registry-Auth header value for `image`'s registry, from the docker CLI's config; undefined when there are no credentials. */
export async function registryAuthHeader(image: string): Promise<string | undefined> {
  const {resolveRegistryAuth} = await import('../../engine/registry-auth.js')
  const auth = await resolveRegistryAuth(image)
  return auth ? Buffer.from(JSON.stringify(auth)).toString('base64url') : undefined
}

export {interruptSignal} from '../../runtime/interrupts.js'
