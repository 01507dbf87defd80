/**
 * The Docker Engine client: finds the engine (endpoint.ts), negotiates the API version once,
 * prefixes every path with `/v<version>`, and offers the resource APIs as small modules:
 *
 *   const engine = EngineClient.fromEnvironment({signal})
 *   await engine.containers.list({all: true, filters: {label: ['com.docker.compose.project=demo']}})
 *
 * Every method takes an optional AbortSignal; the client-wide `signal` (Ctrl-C) cancels them all.
 */
import {CLIENT_MIN_API, compareApiVersions, negotiateApiVersion, apiSupports, dropUnsupportedFields, type ApiFeature, type VersionedField} from './api-version.js'
import {drain, headerValue, readJson} from './body.js'
import {discoverEndpoint, parseHost, type DiscoveryInput, type Endpoint} from './endpoint.js'
import {EngineServerError, EngineTooOldError} from './errors.js'
import type {HijackedStream} from './hijack.js'
import {Transport, type HttpRequest, type HttpResponse} from './transport.js'
import {Containers} from './resources/containers.js'
import {Exec} from './resources/exec.js'
import {Images} from './resources/images.js'
import {Networks} from './resources/networks.js'
import {Volumes} from './resources/volumes.js'
import {System} from './resources/system.js'

export interface EngineClientOptions {
  /** Where the engine is; found through the discovery chain when absent. */
  endpoint?: Endpoint
  /** Inputs for discovery (explicit host/context, env, home). */
  discovery?: DiscoveryInput
  /** Speak this API version instead of negotiating (DOCKER_API_VERSION does the same). */
  apiVersion?: string
  /** Cancels every request (wire it to Ctrl-C). */
  signal?: AbortSignal
  /** Time limit for ordinary calls, ms (default 120 s). Streams have none. */
  timeoutMs?: number
  /** Log one line per request to stderr (or to this function). Default: BERTH_DEBUG=1. */
  debug?: boolean | ((line: string) => void)
  /** Parallel connections (default 16). */
  connections?: number
}

/** A request as resource modules write it: the path without the version prefix. */
export type EngineRequest = Omit<HttpRequest, 'path' | 'timeoutMs'> & {path: string; timeoutMs?: number}

export class EngineClient {
  readonly endpoint: Endpoint
  readonly containers: Containers
  readonly exec: Exec
  readonly images: Images
  readonly networks: Networks
  readonly volumes: Volumes
  readonly system: System

  private readonly transport: Transport
  private readonly signal?: AbortSignal
  private readonly timeoutMs: number
  private readonly pinnedVersion?: string
  private version?: Promise<string>

  constructor(options: EngineClientOptions = {}) {
    this.endpoint = options.endpoint ?? discoverEndpoint(options.discovery)
    const debug = options.debug ?? process.env.BERTH_DEBUG === '1'
    this.transport = new Transport(this.endpoint, {
      signal: options.signal,
      connections: options.connections,
      debug: typeof debug === 'function' ? debug : debug ? (line) => process.stderr.write(line + '\n') : undefined,
    })
    this.signal = options.signal
    this.timeoutMs = options.timeoutMs ?? 120_000
    this.pinnedVersion = options.apiVersion ?? (process.env.DOCKER_API_VERSION || undefined)
    this.containers = new Containers(this)
    this.exec = new Exec(this)
    this.images = new Images(this)
    this.networks = new Networks(this)
    this.volumes = new Volumes(this)
    this.system = new System(this)
  }

  /** A client for the engine the environment points at (DOCKER_HOST, contexts, default socket). */
  static fromEnvironment(options: Omit<EngineClientOptions, 'endpoint'> = {}): EngineClient {
    return new EngineClient(options)
  }

  /** A client for one address, e.g. `unix:///tmp/x/docker.sock`. */
  static forHost(host: string, options: Omit<EngineClientOptions, 'endpoint'> = {}): EngineClient {
    return new EngineClient({...options, endpoint: parseHost(host, 'explicit')})
  }

  /** The API version this client speaks with the engine: negotiated once, on first use. */
  apiVersion(signal?: AbortSignal): Promise<string> {
    this.version ??= this.negotiate(signal).catch((error: unknown) => {
      this.version = undefined
      throw error
    })
    return this.version
  }

  /** Whether the negotiated API has a feature (call after apiVersion() resolved, or await it). */
  async supports(feature: ApiFeature): Promise<boolean> {
    return apiSupports(await this.apiVersion(), feature)
  }

  /** Drops request fields the negotiated version does not know; returns the dropped paths. */
  async fitBody<T>(body: T, fields: readonly VersionedField[]): Promise<{body: T; dropped: string[]}> {
    return dropUnsupportedFields(body, fields, await this.apiVersion())
  }

  /** Sends a versioned request; resolves with the open response (status checked). */
  async request(req: EngineRequest): Promise<HttpResponse> {
    const version = await this.apiVersion(req.signal)
    return this.transport.request({...req, path: `/v${version}${req.path}`, timeoutMs: req.timeoutMs ?? this.timeoutMs})
  }

  /** A request whose answer is JSON (or empty: then undefined). */
  async json<T>(req: EngineRequest): Promise<T> {
    const res = await this.request(req)
    return (await readJson(res.body)) as T
  }

  /** A request whose answer body does not matter; resolves with the status (204, 304, ...). */
  async send(req: EngineRequest): Promise<number> {
    const res = await this.request(req)
    await drain(res.body)
    return res.status
  }

  /** A request whose answer is a long stream (logs -f, events, pull): no time limit. */
  async stream(req: EngineRequest): Promise<HttpResponse> {
    return this.request({...req, timeoutMs: req.timeoutMs ?? 0})
  }

  /** A hijacked connection (attach, interactive exec). */
  async hijack(req: Pick<EngineRequest, 'path' | 'query' | 'json' | 'meanings' | 'subject' | 'signal'>): Promise<HijackedStream> {
    const version = await this.apiVersion(req.signal)
    const started = performance.now()
    const signals = [this.signal, req.signal].filter((s): s is AbortSignal => s !== undefined)
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0]
    try {
      // net/tls for hijacked connections load only for attach and interactive exec.
      const {hijack} = await import('./hijack.js')
      const stream = await hijack(this.endpoint, {...req, signal, path: `/v${version}${req.path}`})
      this.transport.log({method: 'POST', path: `/v${version}${req.path}`}, `${stream.status} (hijacked)`, started)
      return stream
    } catch (error) {
      this.transport.log({method: 'POST', path: `/v${version}${req.path}`}, error instanceof EngineServerError ? error.status : 'ERR', started)
      throw error
    }
  }

  /** Closes idle connections; requests in flight finish first. */
  /**
   * Pings the engine (unversioned GET /_ping). The first ping also settles the API version, so
   * `ping()` then any call costs one round trip, not two.
   */
  async ping(signal?: AbortSignal): Promise<void> {
    if (this.version || this.pinnedVersion) {
      await drain((await this.transport.request({method: 'GET', path: '/_ping', signal, timeoutMs: 30_000})).body)
      return
    }
    await this.apiVersion(signal)
  }

  /**
   * Closes the connections: calls in flight get `graceMs` to finish (default 2 s), then
   * everything still open (a followed log, an events stream) is cut.
   */
  async close(graceMs = 2000): Promise<void> {
    const closed = this.transport.close()
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs)
      timer.unref?.()
    })
    const outcome = await Promise.race([closed.then(() => 'closed' as const), late])
    clearTimeout(timer)
    if (outcome === 'late') await this.transport.destroy()
    await closed.catch(() => undefined)
  }

  /** Closes at once, failing requests in flight (streams end). */
  async destroy(): Promise<void> {
    await this.transport.destroy()
  }

  private async negotiate(signal?: AbortSignal): Promise<string> {
    if (this.pinnedVersion) return this.pinnedVersion.replace(/^v/, '')
    const res = await this.transport.request({method: 'GET', path: '/_ping', signal, timeoutMs: 30_000})
    await drain(res.body)
    let server = headerValue(res.headers['api-version'])
    if (!server) {
      const info = (await readJson((await this.transport.request({method: 'GET', path: '/version', signal, timeoutMs: 30_000})).body)) as {ApiVersion?: string}
      server = info.ApiVersion
    }
    if (server && compareApiVersions(server, CLIENT_MIN_API) < 0) throw new EngineTooOldError(this.endpoint.host, server, CLIENT_MIN_API)
    return negotiateApiVersion(server)
  }
}
