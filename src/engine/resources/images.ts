/**
 * Images: /images/*, /commit and /build. Pull, push, import, load and build answer with a JSON-lines
 * progress stream: each message goes to `onProgress`, and an `errorDetail` becomes an
 * EngineStreamError. Registry credentials travel only in the X-Registry-Auth header and are never
 * logged.
 */
import type {Readable} from 'node:stream'
import type {EngineClient} from '../client.js'
import {NotFoundError, type StatusMeanings} from '../errors.js'
import {encodeFilters} from '../body.js'
import {followProgress, type ProgressMessage, type ProgressResult} from '../streams/json-lines.js'
import type {ContainerCreateBody, Filters, ImageInspect, ImageSummary} from '../types.js'
import {enc, type CommonOptions} from './containers.js'

export const IMAGE_MEANINGS = {
  list: {400: 'bad filter'},
  inspect: {404: 'no such image'},
  pull: {404: 'image not found in the registry', 500: 'cannot pull image'},
  push: {404: 'no such image', 500: 'cannot push image'},
  tag: {400: 'bad image reference', 404: 'no such image', 409: 'conflict'},
  remove: {404: 'no such image', 409: 'image is in use'},
  import: {400: 'bad import parameters', 500: 'cannot import image'},
  commit: {404: 'no such container', 500: 'cannot commit container'},
  build: {400: 'bad build parameters', 500: 'cannot build image'},
} as const satisfies Record<string, StatusMeanings>

/** A tar archive: bytes, a Node stream, or any async iterable of chunks (a tar-stream pack). */
export type TarInput = Buffer | Readable | AsyncIterable<Uint8Array>

export interface RegistryAuth {
  username?: string
  password?: string
  /** An identity token from `docker login` instead of username/password. */
  identitytoken?: string
  serveraddress?: string
}

export interface ProgressOptions extends CommonOptions {
  onProgress?: (message: ProgressMessage) => void
}

export interface ImageReference {
  /** Repository with registry and path: `127.0.0.1:5000/team/app`. */
  repository: string
  tag?: string
  digest?: string
}

/** Splits `registry:port/name:tag@sha256:...` into repository, tag and digest. */
export function parseImageReference(ref: string): ImageReference {
  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  const slash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  if (colon > slash) return {repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest}
  return {repository: rest, digest}
}

/** A row of GET /images/{name}/history. */
export interface ImageHistoryItem {
  Id: string
  /** Unix seconds. */
  Created: number
  CreatedBy: string
  Tags: string[] | null
  Size: number
  Comment: string
}

export class Images {
  constructor(private readonly engine: EngineClient) {}

  list(options: CommonOptions & {all?: boolean; filters?: Filters; digests?: boolean} = {}): Promise<ImageSummary[]> {
    return this.engine.json({method: 'GET', path: '/images/json', query: {all: options.all, digests: options.digests, filters: encodeFilters(options.filters)}, meanings: IMAGE_MEANINGS.list, signal: options.signal})
  }

  inspect(name: string, options: CommonOptions = {}): Promise<ImageInspect> {
    return this.engine.json({method: 'GET', path: `/images/${enc(name)}/json`, meanings: IMAGE_MEANINGS.inspect, subject: {kind: 'image', ref: name}, signal: options.signal})
  }

  /** The image's history, newest step first (what `docker history` shows). */
  history(name: string, options: CommonOptions = {}): Promise<ImageHistoryItem[]> {
    return this.engine.json({method: 'GET', path: `/images/${enc(name)}/history`, meanings: IMAGE_MEANINGS.inspect, subject: {kind: 'image', ref: name}, signal: options.signal})
  }

  /** The image, or undefined when it is not there. */
  async find(name: string, options: CommonOptions = {}): Promise<ImageInspect | undefined> {
    try {
      return await this.inspect(name, options)
    } catch (error) {
      if (error instanceof NotFoundError) return undefined
      throw error
    }
  }

  /**
   * Pulls `name` (`busybox`, `busybox:1.36`, `host:5000/app@sha256:...`); `latest` when no tag.
   * Credentials come from `auth`, else from the docker config (credential helpers, `auths`).
   */
  async pull(name: string, options: ProgressOptions & {auth?: RegistryAuth | 'anonymous'; platform?: string} = {}): Promise<ProgressResult> {
    const ref = parseImageReference(name)
    const auth = await credentials(name, options.auth)
    const res = await this.engine.stream({
      method: 'POST',
      path: '/images/create',
      query: {fromImage: ref.digest ? `${ref.repository}@${ref.digest}` : ref.repository, tag: ref.digest ? undefined : (ref.tag ?? 'latest'), platform: options.platform},
      headers: authHeader(auth),
      meanings: IMAGE_MEANINGS.pull,
      subject: {kind: 'image', ref: name},
      signal: options.signal,
    })
    return followProgress(res.body, `pull ${name}`, options.onProgress)
  }

  /** Pushes `name` (all its tags when it has none) to its registry; credentials as for pull. */
  async push(name: string, options: ProgressOptions & {auth?: RegistryAuth | 'anonymous'} = {}): Promise<ProgressResult> {
    const ref = parseImageReference(name)
    const auth = await credentials(name, options.auth)
    const res = await this.engine.stream({
      method: 'POST',
      path: `/images/${enc(ref.repository)}/push`,
      query: {tag: ref.tag},
      headers: authHeader(auth ?? {}),
      meanings: IMAGE_MEANINGS.push,
      subject: {kind: 'image', ref: name},
      signal: options.signal,
    })
    return followProgress(res.body, `push ${name}`, options.onProgress)
  }

  /** Tags image `source` as `target` (`repo:tag`). */
  async tag(source: string, target: string, options: CommonOptions = {}): Promise<void> {
    const ref = parseImageReference(target)
    await this.engine.send({method: 'POST', path: `/images/${enc(source)}/tag`, query: {repo: ref.repository, tag: ref.tag ?? 'latest'}, meanings: IMAGE_MEANINGS.tag, subject: {kind: 'image', ref: source}, signal: options.signal})
  }

  async remove(name: string, options: CommonOptions & {force?: boolean; noprune?: boolean} = {}): Promise<{Untagged?: string; Deleted?: string}[]> {
    return this.engine.json({method: 'DELETE', path: `/images/${enc(name)}`, query: {force: options.force, noprune: options.noprune}, meanings: IMAGE_MEANINGS.remove, subject: {kind: 'image', ref: name}, signal: options.signal})
  }

  /**
   * Imports a root filesystem tar as an image (what `docker import` does). `changes` are Dockerfile
   * instructions applied to the config: `ENV PATH=/bin`, `CMD ["sh"]`, `WORKDIR /`.
   * Resolves with the new image id.
   */
  async import(tar: TarInput, options: ProgressOptions & {repository?: string; tag?: string; changes?: string[]; message?: string; platform?: string} = {}): Promise<string> {
    const res = await this.engine.stream({
      method: 'POST',
      path: '/images/create',
      query: {fromSrc: '-', repo: options.repository, tag: options.tag, changes: options.changes, message: options.message, platform: options.platform},
      raw: tar,
      contentType: 'application/x-tar',
      meanings: IMAGE_MEANINGS.import,
      signal: options.signal,
    })
    const result = await followProgress(res.body, `import ${options.repository ?? 'image'}`, options.onProgress)
    const id = result.messages.map((m) => m.status).find((s) => s?.startsWith('sha256:'))
    return id ?? ''
  }

  /** Loads images from a `docker save` tar. Resolves with the loaded references ("Loaded image: x"). */
  async load(tar: TarInput, options: ProgressOptions = {}): Promise<string[]> {
    const res = await this.engine.stream({method: 'POST', path: '/images/load', query: {quiet: false}, raw: tar, contentType: 'application/x-tar', meanings: IMAGE_MEANINGS.import, signal: options.signal})
    const result = await followProgress(res.body, 'load', options.onProgress)
    return result.messages.map((m) => m.stream?.trim()).filter((s): s is string => Boolean(s?.startsWith('Loaded image'))).map((s) => s.replace(/^Loaded image( ID)?: /, ''))
  }

  /** A `docker save` tar of the named images. */
  async save(names: string[], options: CommonOptions = {}): Promise<Readable> {
    const res = await this.engine.stream({method: 'GET', path: '/images/get', query: {names}, meanings: IMAGE_MEANINGS.inspect, subject: {kind: 'image', ref: names.join(' ')}, signal: options.signal})
    return res.body
  }

  /** Makes an image from a container's filesystem. Resolves with the new image id. */
  async commit(container: string, options: CommonOptions & {repository?: string; tag?: string; comment?: string; author?: string; pause?: boolean; changes?: string[]; config?: Partial<ContainerCreateBody>} = {}): Promise<string> {
    const result = await this.engine.json<{Id: string}>({
      method: 'POST',
      path: '/commit',
      query: {container, repo: options.repository, tag: options.tag, comment: options.comment, author: options.author, pause: options.pause, changes: options.changes},
      json: options.config ?? {},
      meanings: IMAGE_MEANINGS.commit,
      subject: {kind: 'container', ref: container},
      signal: options.signal,
    })
    return result.Id
  }

  /**
   * Builds an image with the engine's builder from a context tar (the runtime's fallback until
   * Berth's own builder handles a service). Resolves with the image id.
   */
  async build(context: TarInput, options: ProgressOptions & {tags?: string[]; dockerfile?: string; buildArgs?: Record<string, string>; labels?: Record<string, string>; target?: string; noCache?: boolean; pull?: boolean; networkMode?: string; platform?: string} = {}): Promise<string> {
    const res = await this.engine.stream({
      method: 'POST',
      path: '/build',
      query: {
        t: options.tags,
        dockerfile: options.dockerfile,
        buildargs: options.buildArgs ? JSON.stringify(options.buildArgs) : undefined,
        labels: options.labels ? JSON.stringify(options.labels) : undefined,
        target: options.target,
        nocache: options.noCache,
        pull: options.pull,
        networkmode: options.networkMode,
        platform: options.platform,
        rm: true,
        forcerm: true,
      },
      raw: context,
      contentType: 'application/x-tar',
      meanings: IMAGE_MEANINGS.build,
      signal: options.signal,
    })
    const result = await followProgress(res.body, `build ${options.tags?.[0] ?? ''}`.trim(), options.onProgress)
    const aux = result.aux.find((a) => typeof a.ID === 'string')
    if (aux) return aux.ID as string
    const built = result.messages.map((m) => m.stream?.match(/Successfully built ([0-9a-f]+)/)?.[1]).find(Boolean)
    return built ?? ''
  }
}

async function credentials(image: string, given: RegistryAuth | 'anonymous' | undefined): Promise<RegistryAuth | undefined> {
  if (given === 'anonymous') return undefined
  if (given) return given
  const {resolveRegistryAuth} = await import('../registry-auth.js')
  return resolveRegistryAuth(image)
}

/** The X-Registry-Auth header: base64url JSON of the credentials ("{}" when anonymous). */
function authHeader(auth: RegistryAuth | undefined): Record<string, string> | undefined {
  if (!auth) return undefined
  return {'x-registry-auth': Buffer.from(JSON.stringify(auth)).toString('base64url')}
}
