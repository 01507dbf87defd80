/**
 * The part of the Kubernetes API the kube plugin needs, over undici: server-side apply (PATCH with
 * application/apply-patch+yaml, fieldManager=berth, force=true as `kubectl apply --server-side
 * --force-conflicts` sends it; dryRun=All for --dry-run), list by label selector and delete. TLS and
 * credentials come from kubeconfig (./kubeconfig.ts). Request bodies (secrets among them) are never
 * logged: the debug line has method, path and status only.
 */
import {fileURLToPath} from 'node:url'
import type {Dispatcher, Pool} from 'undici'
import {BerthError, CancelledError} from '../sdk/index.js'
import type {ClusterAccess} from './kubeconfig.js'

/** A failure the API answered with (its Status object's message and reason). */
export class KubeApiError extends BerthError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    hints: string[] = [],
  ) {
    super('KUBE_API_ERROR', message, {hints})
  }
}

type PoolClass = new (origin: string, options: Pool.Options) => Pool

interface Undici {
  Pool: PoolClass
  request(pool: Pool, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>
}

/** undici's Pool and request: the bundle `npm run build` makes for the engine client, else undici's own modules. */
async function loadUndici(): Promise<Undici> {
  try {
    const {loadBundle} = await import('../../code-cache.js')
    const bundle = fileURLToPath(new URL('../../engine/undici.cjs', import.meta.url))
    const {Pool, request} = loadBundle(bundle, bundle) as {Pool: PoolClass; request: (this: Pool, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>}
    return {Pool, request: (target, options) => request.call(target, options)}
  } catch {
    // no bundle (tests run the TypeScript sources)
  }
  const undici = await import('undici')
  return {Pool: undici.Pool, request: (target, options) => target.request(options)}
}

export interface KubeClientOptions {
  signal?: AbortSignal
  /** One line per request: method, path, status, milliseconds. */
  debug?: (line: string) => void
  /** Milliseconds one request may take (default 30 s). */
  timeoutMs?: number
}

export interface ApplyOptions {
  /** dryRun=All: the server checks and admits, and keeps nothing. */
  dryRun?: boolean
  fieldManager?: string
}

type Query = Record<string, string | undefined>

function encodeQuery(query: Query | undefined): string {
  const entries = Object.entries(query ?? {}).filter((e): e is [string, string] => e[1] !== undefined)
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE', 'ERR_SSL_WRONG_VERSION_NUMBER',
])

export class KubeClient {
  readonly #access: ClusterAccess
  readonly #options: KubeClientOptions
  #pool?: Promise<{pool: Pool; undici: Undici}>

  constructor(access: ClusterAccess, options: KubeClientOptions = {}) {
    this.#access = access
    this.#options = options
  }

  get server(): string {
    return this.#access.server
  }

  #connections(): Promise<{pool: Pool; undici: Undici}> {
    this.#pool ??= loadUndici().then((undici) => {
      const {tls} = this.#access
      const pool = new undici.Pool(new URL(this.#access.server).origin, {
        connections: 8,
        connect: {
          ...(tls.ca ? {ca: tls.ca} : {}),
          ...(tls.cert ? {cert: tls.cert, key: tls.key} : {}),
          rejectUnauthorized: !tls.insecure,
          ...(tls.servername ? {servername: tls.servername} : {}),
          timeout: 10_000,
        },
      })
      return {pool, undici}
    })
    return this.#pool
  }

  async close(): Promise<void> {
    if (!this.#pool) return
    const {pool} = await this.#pool
    await pool.close()
  }

  /** One call; answers 2xx as parsed JSON (or undefined), anything else as a KubeApiError. `allow` lists statuses that are not failures. */
  async request<T>(method: 'GET' | 'PATCH' | 'DELETE' | 'POST', path: string, options: {query?: Query; body?: string; contentType?: string; allow?: number[]} = {}): Promise<{status: number; body: T | undefined}> {
    const started = performance.now()
    const prefix = new URL(this.#access.server).pathname.replace(/\/+$/, '')
    const fullPath = prefix + path + encodeQuery(options.query)
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 30_000)
    const signal = this.#options.signal ? AbortSignal.any([this.#options.signal, timeout]) : timeout
    let res: Dispatcher.ResponseData
    try {
      const {pool, undici} = await this.#connections()
      res = await undici.request(pool, {
        method,
        path: fullPath,
        headers: {
          accept: 'application/json',
          'user-agent': 'berth',
          ...(this.#access.authorization ? {authorization: this.#access.authorization} : {}),
          ...(options.body !== undefined ? {'content-type': options.contentType ?? 'application/json'} : {}),
        },
        body: options.body,
        signal,
      })
    } catch (error) {
      this.#options.debug?.(`${method} ${path} ERR ${Math.round(performance.now() - started)}ms`)
      throw this.#translate(error, timeout.aborted)
    }
    const text = await res.body.text()
    this.#options.debug?.(`${method} ${path} ${res.statusCode} ${Math.round(performance.now() - started)}ms`)
    let body: unknown
    try {
      body = text === '' ? undefined : JSON.parse(text)
    } catch {
      body = undefined
    }
    if ((res.statusCode >= 200 && res.statusCode < 300) || options.allow?.includes(res.statusCode)) return {status: res.statusCode, body: body as T}
    throw this.#statusError(method, res.statusCode, body, text)
  }

  #statusError(method: string, status: number, body: unknown, text: string): KubeApiError {
    const s = (body && typeof body === 'object' ? body : {}) as {message?: string; reason?: string}
    const message = s.message ?? (text.trim().split('\n')[0]?.slice(0, 200) || `HTTP ${status}`)
    const reason = s.reason ?? String(status)
    if (status === 401) {
      return new KubeApiError(status, reason, `the Kubernetes API at ${this.server} did not accept the credentials of context ${this.#access.context} (401 Unauthorized)`, [`check the user of context ${this.#access.context} in ${this.#access.source}`])
    }
    if (status === 403) return new KubeApiError(status, reason, message, [`context ${this.#access.context} lacks the permission (RBAC) to ${method} this`])
    return new KubeApiError(status, reason, message)
  }

  #translate(error: unknown, timedOut: boolean): BerthError {
    if (error instanceof BerthError) return error
    const e = error as NodeJS.ErrnoException & {cause?: NodeJS.ErrnoException}
    if (this.#options.signal?.aborted) return new CancelledError()
    if (timedOut) return new BerthError('KUBE_TIMEOUT', `the Kubernetes API at ${this.server} did not answer in time`)
    const code = e.code ?? e.cause?.code
    if (code && TLS_CODES.has(code)) {
      return new BerthError('KUBE_TLS_FAILED', `TLS with the Kubernetes API at ${this.server} failed: ${e.message}`, {
        hints: [`the certificate-authority of the cluster of context ${this.#access.context} must have signed the server's certificate (or set insecure-skip-tls-verify, for a test cluster)`],
        cause: error,
      })
    }
    return new BerthError('KUBE_UNREACHABLE', `cannot reach the Kubernetes API at ${this.server}: ${code ?? e.message}`, {
      hints: [`is the cluster of context ${this.#access.context} (from ${this.#access.source}) running?`],
      cause: error,
    })
  }

  /** Server-side apply of one object at its path. */
  async apply<T>(path: string, object: object, options: ApplyOptions = {}): Promise<T> {
    const {body} = await this.request<T>('PATCH', path, {
      query: {fieldManager: options.fieldManager ?? 'berth', force: 'true', ...(options.dryRun ? {dryRun: 'All'} : {})},
      body: JSON.stringify(object),
      contentType: 'application/apply-patch+yaml',
    })
    return body as T
  }

  /** The items of a list call with a label selector. */
  async list<T>(path: string, labelSelector: string): Promise<T[]> {
    const {body} = await this.request<{items?: T[]}>('GET', path, {query: {labelSelector}})
    return body?.items ?? []
  }

  /** Deletes one object (in the background, as kubectl does); false when it was already gone. */
  async delete(path: string, options: {dryRun?: boolean} = {}): Promise<boolean> {
    const {status} = await this.request('DELETE', path, {query: {propagationPolicy: 'Background', ...(options.dryRun ? {dryRun: 'All'} : {})}, allow: [404]})
    return status !== 404
  }
}
