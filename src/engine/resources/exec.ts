/**
 * Exec instances: create in a running container, start (attached over a hijacked connection, or
 * detached), inspect for the exit code, resize the TTY.
 */
import {EXEC_CREATE_FIELDS} from '../api-version.js'
import type {EngineClient} from '../client.js'
import type {StatusMeanings} from '../errors.js'
import type {HijackedStream} from '../hijack.js'
import type {ExecCreateBody, ExecInspect} from '../types.js'
import {enc, type CommonOptions} from './containers.js'

export const EXEC_MEANINGS = {
  create: {404: 'no such container', 409: 'container is paused or not running', 500: 'cannot create exec'},
  start: {404: 'no such exec instance', 409: 'container is paused or stopped', 500: 'cannot start exec'},
  inspect: {404: 'no such exec instance'},
} as const satisfies Record<string, StatusMeanings>

export class Exec {
  constructor(private readonly engine: EngineClient) {}

  /** Creates an exec instance in container `id`; returns its id. */
  async create(id: string, body: ExecCreateBody, options: CommonOptions = {}): Promise<{Id: string; dropped: string[]}> {
    const fitted = await this.engine.fitBody(body, EXEC_CREATE_FIELDS)
    const created = await this.engine.json<{Id: string}>({method: 'POST', path: `/containers/${enc(id)}/exec`, json: fitted.body, meanings: EXEC_MEANINGS.create, subject: {kind: 'container', ref: id}, signal: options.signal})
    return {Id: created.Id, dropped: fitted.dropped}
  }

  /**
   * Starts an exec instance attached: the hijacked socket carries stdin and output (raw with a
   * TTY, frames without). The exec ends when the socket ends; inspect() tells its exit code.
   */
  start(execId: string, options: CommonOptions & {tty?: boolean} = {}): Promise<HijackedStream> {
    return this.engine.hijack({path: `/exec/${enc(execId)}/start`, json: {Detach: false, Tty: options.tty ?? false}, meanings: EXEC_MEANINGS.start, subject: {kind: 'exec', ref: execId}, signal: options.signal})
  }

  /** Starts an exec instance in the background. */
  async startDetached(execId: string, options: CommonOptions & {tty?: boolean} = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/exec/${enc(execId)}/start`, json: {Detach: true, Tty: options.tty ?? false}, meanings: EXEC_MEANINGS.start, subject: {kind: 'exec', ref: execId}, signal: options.signal})
  }

  inspect(execId: string, options: CommonOptions = {}): Promise<ExecInspect> {
    return this.engine.json({method: 'GET', path: `/exec/${enc(execId)}/json`, meanings: EXEC_MEANINGS.inspect, subject: {kind: 'exec', ref: execId}, signal: options.signal})
  }

  async resize(execId: string, size: {rows: number; columns: number}, options: CommonOptions = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/exec/${enc(execId)}/resize`, query: {h: size.rows, w: size.columns}, meanings: EXEC_MEANINGS.start, subject: {kind: 'exec', ref: execId}, signal: options.signal})
  }
}
