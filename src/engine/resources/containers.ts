/**
 * Containers: /containers/*. One list call answers "what exists" for a whole project (filter by
 * label); no per-container inspect is needed for names, states, labels, ports or networks.
 */
import type {Readable} from 'node:stream'
import {CONTAINER_CREATE_FIELDS} from '../api-version.js'
import {drain, encodeFilters, headerValue} from '../body.js'
import type {EngineClient} from '../client.js'
import type {StatusMeanings} from '../errors.js'
import type {HijackedStream} from '../hijack.js'
import {outputDecoder, type OutputChunk} from '../streams/frames.js'
import type {ContainerCreateBody, ContainerInspect, ContainerSummary, Filters, PathStat, TopResult, WaitResult} from '../types.js'

const CONTAINER: StatusMeanings = {400: 'bad parameter', 404: 'no such container', 409: 'conflict', 500: 'engine error'}

export const CONTAINER_MEANINGS = {
  list: {400: 'bad filter'},
  create: {400: 'bad container configuration', 404: 'no such image', 409: 'container name already in use', 500: 'cannot create container'},
  inspect: CONTAINER,
  start: {...CONTAINER, 500: 'cannot start container'},
  stop: {...CONTAINER, 500: 'cannot stop container'},
  kill: {...CONTAINER, 409: 'container is not running'},
  pause: {...CONTAINER, 409: 'container is not running'},
  remove: {...CONTAINER, 409: 'container is in use'},
  attach: {...CONTAINER, 409: 'container is not running'},
  archive: {...CONTAINER, 400: 'bad path', 403: 'read-only path', 404: 'no such container or path'},
  rename: {...CONTAINER, 409: 'name already in use'},
} as const satisfies Record<string, StatusMeanings>

export type CommonOptions = {signal?: AbortSignal}

export interface ListContainersOptions extends CommonOptions {
  all?: boolean
  filters?: Filters
  limit?: number
  size?: boolean
}

export interface LogsOptions extends CommonOptions {
  follow?: boolean
  stdout?: boolean
  stderr?: boolean
  /** Unix seconds (or a timestamp the engine understands: "2026-11-22T10:00:00Z", "10m"). */
  since?: number | string
  until?: number | string
  timestamps?: boolean
  /** Lines from the end, or 'all'. */
  tail?: number | 'all'
  /** Whether the container has a TTY (raw output); looked up when absent. */
  tty?: boolean
}

export interface AttachOptions extends CommonOptions {
  stdin?: boolean
  stdout?: boolean
  stderr?: boolean
  /** Replay output written before attaching. */
  logs?: boolean
  detachKeys?: string
}

export type StartResult = 'started' | 'already-running'
export type StopResult = 'stopped' | 'already-stopped'

export class Containers {
  constructor(private readonly engine: EngineClient) {}

  list(options: ListContainersOptions = {}): Promise<ContainerSummary[]> {
    return this.engine.json({
      method: 'GET',
      path: '/containers/json',
      query: {all: options.all, limit: options.limit, size: options.size, filters: encodeFilters(options.filters)},
      meanings: CONTAINER_MEANINGS.list,
      signal: options.signal,
    })
  }

  /**
   * Creates a container. Fields the engine's API version does not know are dropped first and named
   * in `dropped`, so the caller can warn (e.g. "healthcheck start_interval needs Docker 25").
   */
  async create(body: ContainerCreateBody, options: CommonOptions & {name?: string; platform?: string} = {}): Promise<{Id: string; Warnings: string[]; dropped: string[]}> {
    const fitted = await this.engine.fitBody(body, CONTAINER_CREATE_FIELDS)
    const created = await this.engine.json<{Id: string; Warnings: string[] | null}>({
      method: 'POST',
      path: '/containers/create',
      query: {name: options.name, platform: options.platform},
      json: fitted.body,
      meanings: CONTAINER_MEANINGS.create,
      subject: {kind: 'image', ref: body.Image},
      signal: options.signal,
    })
    return {Id: created.Id, Warnings: created.Warnings ?? [], dropped: fitted.dropped}
  }

  inspect(id: string, options: CommonOptions & {size?: boolean} = {}): Promise<ContainerInspect> {
    return this.engine.json({method: 'GET', path: `/containers/${enc(id)}/json`, query: {size: options.size}, meanings: CONTAINER_MEANINGS.inspect, subject: {kind: 'container', ref: id}, signal: options.signal})
  }

  async start(id: string, options: CommonOptions & {detachKeys?: string} = {}): Promise<StartResult> {
    const status = await this.engine.send({method: 'POST', path: `/containers/${enc(id)}/start`, query: {detachKeys: options.detachKeys}, accept: [304], meanings: CONTAINER_MEANINGS.start, subject: {kind: 'container', ref: id}, signal: options.signal})
    return status === 304 ? 'already-running' : 'started'
  }

  /** Stops with SIGTERM (or the container's stop signal), then SIGKILL after `timeout` seconds. */
  async stop(id: string, options: CommonOptions & {timeout?: number; stopSignal?: string} = {}): Promise<StopResult> {
    const stopSignal = options.stopSignal && (await this.engine.supports('stopSignalParam')) ? options.stopSignal : undefined
    const status = await this.engine.send({
      method: 'POST',
      path: `/containers/${enc(id)}/stop`,
      query: {t: options.timeout, signal: stopSignal},
      accept: [304],
      meanings: CONTAINER_MEANINGS.stop,
      subject: {kind: 'container', ref: id},
      signal: options.signal,
      timeoutMs: graceTimeout(options.timeout),
    })
    return status === 304 ? 'already-stopped' : 'stopped'
  }

  async restart(id: string, options: CommonOptions & {timeout?: number} = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/containers/${enc(id)}/restart`, query: {t: options.timeout}, meanings: CONTAINER_MEANINGS.stop, subject: {kind: 'container', ref: id}, signal: options.signal, timeoutMs: graceTimeout(options.timeout)})
  }

  async kill(id: string, options: CommonOptions & {killSignal?: string} = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/containers/${enc(id)}/kill`, query: {signal: options.killSignal}, meanings: CONTAINER_MEANINGS.kill, subject: {kind: 'container', ref: id}, signal: options.signal})
  }

  async pause(id: string, options: CommonOptions = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/containers/${enc(id)}/pause`, meanings: CONTAINER_MEANINGS.pause, subject: {kind: 'container', ref: id}, signal: options.signal})
  }

  async unpause(id: string, options: CommonOptions = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/containers/${enc(id)}/unpause`, meanings: CONTAINER_MEANINGS.pause, subject: {kind: 'container', ref: id}, signal: options.signal})
  }

  /** Removes a container; `volumes` also removes its anonymous volumes, `force` kills it first. */
  async remove(id: string, options: CommonOptions & {force?: boolean; volumes?: boolean; link?: boolean} = {}): Promise<void> {
    await this.engine.send({method: 'DELETE', path: `/containers/${enc(id)}`, query: {force: options.force, v: options.volumes, link: options.link}, meanings: CONTAINER_MEANINGS.remove, subject: {kind: 'container', ref: id}, signal: options.signal})
  }

  async rename(id: string, name: string, options: CommonOptions = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/containers/${enc(id)}/rename`, query: {name}, meanings: CONTAINER_MEANINGS.rename, subject: {kind: 'container', ref: id}, signal: options.signal})
  }

  /** Waits until the container stops (`not-running`), next exits (`next-exit`) or is removed. */
  wait(id: string, options: CommonOptions & {condition?: 'not-running' | 'next-exit' | 'removed'} = {}): Promise<WaitResult> {
    return this.engine.json({method: 'POST', path: `/containers/${enc(id)}/wait`, query: {condition: options.condition}, meanings: CONTAINER_MEANINGS.inspect, subject: {kind: 'container', ref: id}, signal: options.signal, timeoutMs: 0})
  }

  /** The container's output as an object stream of `{stream, data}` chunks (frames decoded). */
  async logs(id: string, options: LogsOptions = {}): Promise<Readable & AsyncIterable<OutputChunk>> {
    const tty = options.tty ?? (await this.inspect(id, {signal: options.signal})).Config.Tty === true
    const res = await this.engine.stream({
      method: 'GET',
      path: `/containers/${enc(id)}/logs`,
      query: {
        follow: options.follow,
        stdout: options.stdout ?? true,
        stderr: options.stderr ?? true,
        since: options.since,
        until: options.until,
        timestamps: options.timestamps,
        tail: options.tail === undefined ? undefined : String(options.tail),
      },
      meanings: CONTAINER_MEANINGS.inspect,
      subject: {kind: 'container', ref: id},
      signal: options.signal,
    })
    const decoder = outputDecoder(tty)
    res.body.once('error', (error) => decoder.destroy(error))
    decoder.once('close', () => res.body.destroy())
    return res.body.pipe(decoder)
  }

  top(id: string, options: CommonOptions & {psArgs?: string} = {}): Promise<TopResult> {
    return this.engine.json({method: 'GET', path: `/containers/${enc(id)}/top`, query: {ps_args: options.psArgs}, meanings: {...CONTAINER, 409: 'container is not running'}, subject: {kind: 'container', ref: id}, signal: options.signal})
  }

  /** A tar stream of `path` in the container, with the path's stat. */
  async getArchive(id: string, path: string, options: CommonOptions = {}): Promise<{stat?: PathStat; body: Readable}> {
    const res = await this.engine.stream({method: 'GET', path: `/containers/${enc(id)}/archive`, query: {path}, meanings: CONTAINER_MEANINGS.archive, subject: {kind: 'container', ref: `${id}:${path}`}, signal: options.signal})
    return {stat: decodeStat(headerValue(res.headers['x-docker-container-path-stat'])), body: res.body}
  }

  /** The stat of a path in the container (HEAD on the archive endpoint). */
  async statPath(id: string, path: string, options: CommonOptions = {}): Promise<PathStat | undefined> {
    const res = await this.engine.request({method: 'HEAD', path: `/containers/${enc(id)}/archive`, query: {path}, meanings: CONTAINER_MEANINGS.archive, subject: {kind: 'container', ref: `${id}:${path}`}, signal: options.signal})
    await drain(res.body)
    return decodeStat(headerValue(res.headers['x-docker-container-path-stat']))
  }

  /** Extracts a tar stream into directory `path` of the container. */
  async putArchive(id: string, path: string, tar: Buffer | Readable | AsyncIterable<Uint8Array>, options: CommonOptions & {noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean} = {}): Promise<void> {
    await this.engine.send({
      method: 'PUT',
      path: `/containers/${enc(id)}/archive`,
      query: {path, noOverwriteDirNonDir: options.noOverwriteDirNonDir, copyUIDGID: options.copyUIDGID},
      raw: tar,
      contentType: 'application/x-tar',
      meanings: CONTAINER_MEANINGS.archive,
      subject: {kind: 'container', ref: `${id}:${path}`},
      signal: options.signal,
      timeoutMs: 0,
    })
  }

  /**
   * Attaches to a running (or about to start) container over a hijacked connection. The socket
   * carries stdin one way and output the other: raw with a TTY, frames without (pipe it through
   * `outputDecoder(tty)`). `socket.end()` closes the container's stdin.
   */
  attach(id: string, options: AttachOptions = {}): Promise<HijackedStream> {
    return this.engine.hijack({
      path: `/containers/${enc(id)}/attach`,
      query: {stream: true, stdin: options.stdin, stdout: options.stdout ?? true, stderr: options.stderr ?? true, logs: options.logs, detachKeys: options.detachKeys},
      meanings: CONTAINER_MEANINGS.attach,
      subject: {kind: 'container', ref: id},
      signal: options.signal,
    })
  }

  /** Resizes the container's TTY (on SIGWINCH). */
  async resize(id: string, size: {rows: number; columns: number}, options: CommonOptions = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/containers/${enc(id)}/resize`, query: {h: size.rows, w: size.columns}, meanings: CONTAINER_MEANINGS.attach, subject: {kind: 'container', ref: id}, signal: options.signal})
  }
}

export function enc(id: string): string {
  return encodeURIComponent(id)
}

function graceTimeout(seconds: number | undefined): number {
  // The engine answers after the grace period (default 10 s) plus the kill; leave room.
  return ((seconds ?? 10) + 60) * 1000
}

function decodeStat(header: string | undefined): PathStat | undefined {
  if (!header) return undefined
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat
  } catch {
    return undefined
  }
}
