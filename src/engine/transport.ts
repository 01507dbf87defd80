/**
 * HTTP to the engine over undici: one keep-alive pool per endpoint (unix socket, tcp, tcp+TLS),
 * time limits, cancellation, and the translation of failures into typed errors. Knows nothing of
 * the Engine API's resources; client.ts builds on it.
 */
import {Readable} from 'node:stream'
import {fileURLToPath} from 'node:url'
import type {Dispatcher, Pool} from 'undici'
import {BerthError, CancelledError} from '../errors.js'
import type {Endpoint} from './endpoint.js'
import {
  ConflictError,
  EngineServerError,
  EngineTimeoutError,
  EngineUnreachableError,
  NotFoundError,
  type EngineObjectKind,
  type StatusMeanings,
} from './errors.js'

export type QueryValue = string | number | boolean | undefined | null | readonly string[]

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD'
  /** The full path, version prefix included, without query. */
  path: string
  query?: Record<string, QueryValue>
  headers?: Record<string, string>
  /** A JSON value (serialised) or raw bytes/stream (sent as-is with `contentType`). */
  json?: unknown
  raw?: Buffer | Readable | AsyncIterable<Uint8Array>
  contentType?: string
  /** What each failure status means for this endpoint. */
  meanings?: StatusMeanings
  /** The object the request is about, to name it in NotFoundError. */
  subject?: {kind: EngineObjectKind; ref: string}
  /** Statuses besides 2xx that are not failures (304 "already started"). */
  accept?: readonly number[]
  signal?: AbortSignal
  /** Milliseconds until the whole call (headers and body) gives up; 0 for none (streams). */
  timeoutMs?: number
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Readable
}

export interface TransportOptions {
  /** Cancels every request (Ctrl-C). */
  signal?: AbortSignal
  /** Called with one line per request: method, path, status, duration. Never bodies or query values. */
  debug?: (line: string) => void
  /** Parallel connections to the engine. */
  connections?: number
}

export class Transport {
  readonly endpoint: Endpoint
  private pool?: Promise<{pool: Pool; undici: Undici}>
  private readonly options: TransportOptions

  constructor(endpoint: Endpoint, options: TransportOptions = {}) {
    this.endpoint = endpoint
    this.options = options
  }

  /** The connection pool, made on first use (loading undici costs start-up time). */
  private connections(): Promise<{pool: Pool; undici: Undici}> {
    this.pool ??= loadUndici().then((undici) => {
      const endpoint = this.endpoint
      const tls = endpoint.tls
      const pool = new undici.Pool(endpoint.origin, {
        connections: this.options.connections ?? 16,
        // Our own AbortSignal timers bound each call; undici's would cut long streams (logs -f, events).
        headersTimeout: 0,
        bodyTimeout: 0,
        keepAliveTimeout: 10_000,
        connect: {
          ...(endpoint.socketPath ? {socketPath: endpoint.socketPath} : {}),
          ...(tls ? {ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.verify} : {}),
          timeout: 10_000,
        },
      })
      return {pool, undici}
    })
    return this.pool
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const started = performance.now()
    const {signal, cleanup, timedOut} = this.combineSignals(req.signal, req.timeoutMs)
    let res: Dispatcher.ResponseData
    try {
      const {pool, undici} = await this.connections()
      res = await undici.request(pool, {
        origin: this.endpoint.origin,
        method: req.method,
        path: req.path + encodeQuery(req.query),
        headers: {...requestHeaders(req), ...req.headers},
        body: requestBody(req),
        signal,
      })
    } catch (error) {
      cleanup()
      this.log(req, 'ERR', started)
      throw this.translate(error, req, timedOut())
    }
    this.log(req, res.statusCode, started)
    const ok = (res.statusCode >= 200 && res.statusCode < 300) || (req.accept?.includes(res.statusCode) ?? false)
    if (!ok) {
      const text = await readLimited(res.body, 64 * 1024).catch(() => '')
      cleanup()
      throw statusError(req, res.statusCode, text)
    }
    return {status: res.statusCode, headers: res.headers, body: this.guardBody(res.body, req, cleanup, timedOut)}
  }

  /**
   * The response body, with failures while reading it (engine gone, abort, timeout) turned into
   * the same typed errors as failures before the answer. The body's own destroy hook does the
   * translation, so no extra stream sits between the socket and the reader (logs arrive as one
   * chunk per line; every hop costs).
   */
  private guardBody(body: Readable, req: HttpRequest, cleanup: () => void, timedOut: () => boolean): Readable {
    const target = body as unknown as {_destroy: (error: Error | null, callback: (error?: Error | null) => void) => void}
    const original = target._destroy
    target._destroy = (error, callback) => {
      cleanup()
      const translated = error && !(error instanceof BerthError) && !isLocalAbort(error) ? this.translate(error, req, timedOut()) : error
      original.call(body, translated, callback)
    }
    body.once('end', cleanup)
    return body
  }

  /** Translates a connection failure or abort into Berth's typed errors. */
  translate(error: unknown, req: Pick<HttpRequest, 'method' | 'path' | 'timeoutMs' | 'signal'>, timedOut: boolean): Error {
    if (timedOut) return new EngineTimeoutError(req.method, req.path, req.timeoutMs ?? 0)
    if (this.options.signal?.aborted || req.signal?.aborted) return new CancelledError()
    return unreachable(this.endpoint, error)
  }

  log(req: Pick<HttpRequest, 'method' | 'path'>, status: number | string, started: number): void {
    // at: when the call began, in ms since the process started (gaps between calls show up).
    this.options.debug?.(`engine: ${req.method} ${req.path} ${status} ${Math.round(performance.now() - started)}ms (at ${Math.round(started)}ms)`)
  }

  combineSignals(signal: AbortSignal | undefined, timeoutMs: number | undefined) {
    const signals: AbortSignal[] = []
    if (this.options.signal) signals.push(this.options.signal)
    if (signal) signals.push(signal)
    let timer: NodeJS.Timeout | undefined
    let fired = false
    if (timeoutMs && timeoutMs > 0) {
      const controller = new AbortController()
      timer = setTimeout(() => {
        fired = true
        controller.abort(new Error('timeout'))
      }, timeoutMs)
      timer.unref?.()
      signals.push(controller.signal)
    }
    return {
      signal: signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals),
      cleanup: () => timer && clearTimeout(timer),
      timedOut: () => fired,
    }
  }

  /**
   * Graceful close: requests in flight finish first. With none in flight the idle keep-alive
   * sockets are simply dropped: waiting for the engine to acknowledge their close kept every
   * command alive about 100 ms after its work was done.
   */
  async close(): Promise<void> {
    if (!this.pool) return
    const {pool} = await this.pool
    const stats = pool.stats
    if (stats.running === 0 && stats.pending === 0) await pool.destroy()
    else await pool.close()
  }

  /** Closes at once, failing requests in flight. */
  async destroy(): Promise<void> {
    if (this.pool) await (await this.pool).pool.destroy()
  }
}

type PoolClass = new (origin: string, options: Pool.Options) => Pool

interface Undici {
  Pool: PoolClass
  request(pool: Pool, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>
}

/**
 * The two parts of undici Berth uses: Pool and request. undici's index module also loads fetch,
 * WebSocket, caches and mocks (about 135 ms of CPU at start-up against 43 ms for these two), so
 * their own modules are loaded when they are there; the public entry point is the fallback.
 */
async function loadUndici(): Promise<Undici> {
  await keepHttpParserOnBaselineTier()
  try {
    // One file with V8's code cache (scripts/bundle-cli.mjs), made by `npm run build`.
    const {loadBundle} = await import('../code-cache.js')
    const bundle = fileURLToPath(new URL('./undici.cjs', import.meta.url))
    const {Pool, request} = loadBundle(bundle, bundle) as {Pool: PoolClass; request: (this: Pool, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>}
    return {Pool, request: (target, options) => request.call(target, options)}
  } catch {
    // no bundle (tests run the TypeScript sources): undici's own modules
  }
  const poolModule = 'undici/lib/dispatcher/pool.js'
  const requestModule = 'undici/lib/api/api-request.js'
  try {
    const [pool, api] = (await Promise.all([import(poolModule), import(requestModule)])) as [{default?: unknown}, {default?: unknown}]
    if (typeof pool.default === 'function' && typeof api.default === 'function') {
      const request = api.default as (this: Pool, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>
      return {Pool: pool.default as PoolClass, request: (target, options) => request.call(target, options)}
    }
  } catch {
    // a future undici laid out differently
  }
  const undici = await import('undici')
  return {Pool: undici.Pool, request: (target, options) => target.request(options)}
}

/** Before llhttp is compiled: see BERTH_V8_FLAGS in src/code-cache.ts. */
async function keepHttpParserOnBaselineTier(): Promise<void> {
  try {
    const {applyBerthV8Flags} = await import('../code-cache.js')
    applyBerthV8Flags()
  } catch {
    // no code-cache module: only the exit delay comes back
  }
}

export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) for (const item of value) params.append(key, item)
    else if (typeof value === 'boolean') params.append(key, value ? '1' : '0')
    else params.append(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

function requestHeaders(req: HttpRequest): Record<string, string> {
  if (req.json !== undefined) return {'content-type': 'application/json'}
  if (req.raw !== undefined) return {'content-type': req.contentType ?? 'application/octet-stream'}
  return {}
}

function requestBody(req: HttpRequest): string | Buffer | Readable | undefined {
  if (req.json !== undefined) return JSON.stringify(req.json)
  if (req.raw === undefined) return undefined
  if (Buffer.isBuffer(req.raw) || req.raw instanceof Readable) return req.raw
  return Readable.from(req.raw)
}

async function readLimited(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    if (size < limit) chunks.push(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, limit)
}

/** The daemon's `{"message": ...}`, or its plain-text body. */
export function daemonMessage(text: string): string | undefined {
  const trimmed = text.trim()
  if (!trimmed) return undefined
  try {
    const parsed = JSON.parse(trimmed) as {message?: unknown}
    if (typeof parsed.message === 'string') return parsed.message
  } catch {
    // not JSON: a plain-text error
  }
  return trimmed
}

export function statusError(req: Pick<HttpRequest, 'method' | 'path' | 'meanings' | 'subject'>, status: number, text: string): EngineServerError {
  const facts = {method: req.method, path: req.path, status, daemonMessage: daemonMessage(text), meaning: req.meanings?.[status]}
  if (status === 404 && req.subject) return new NotFoundError({...facts, ...req.subject})
  if (status === 409) return new ConflictError(facts)
  return new EngineServerError(facts)
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such socket',
  ECONNREFUSED: 'connection refused',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTSOCK: 'not a socket',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'unknown host',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'the engine closed the connection',
  UND_ERR_CLOSED: 'the engine closed the connection',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: certificate not trusted (self-signed in chain)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: certificate not trusted',
  CERT_HAS_EXPIRED: 'TLS: certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not match the host name',
  EPROTO: 'TLS handshake failed',
}

/** An EngineUnreachableError for a low-level failure (undici, net or tls error). */
export function unreachable(endpoint: Endpoint, error: unknown): EngineUnreachableError {
  const code = findCode(error)
  const reason = (code && REASONS[code]) ?? (code?.startsWith('ERR_SSL') ? `TLS: ${code}` : undefined) ?? (error instanceof Error ? error.message : String(error))
  const hints =
    code === 'EACCES' || code === 'EPERM'
      ? [`run as root, or add yourself to the socket's group: \`sudo usermod -aG docker $USER\` (then log in again)`]
      : reason.startsWith('TLS')
        ? ['check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and DOCKER_TLS_VERIFY']
        : undefined
  return new EngineUnreachableError(endpoint.host, reason, {cause: error, ...(hints ? {hints} : {})})
}

/** undici's error for a body its reader destroyed on purpose (not a failure of the engine). */
function isLocalAbort(error: Error): boolean {
  return (error as {code?: string}).code === 'UND_ERR_ABORTED' && !(error as {cause?: unknown}).cause
}

function findCode(error: unknown): string | undefined {
  let current: unknown = error
  let fallback: string | undefined
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as {code?: unknown}).code
    if (typeof code === 'string') {
      if (REASONS[code] && !code.startsWith('UND_ERR')) return code
      fallback ??= code
    }
    current = (current as {cause?: unknown}).cause
  }
  return fallback
}
