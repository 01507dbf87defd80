/**
 * What can go wrong when talking to a Docker Engine, as types. Each resource module declares a
 * table of status code -> meaning for its endpoints (`{404: 'no such container'}`); the client turns
 * a failed response into one of these classes with the daemon's own message. Request bodies never
 * reach an error (they may hold secrets); paths are shown without their query string.
 */
import {BerthError, type BerthErrorOptions} from '../errors.js'

/** A kind of engine object, used to name what was not found or conflicted. */
export type EngineObjectKind = 'container' | 'image' | 'network' | 'volume' | 'exec' | 'plugin' | 'engine'

/** Status code -> what it means for one endpoint, e.g. `{404: 'no such container', 409: 'container is paused'}`. */
export type StatusMeanings = Partial<Record<number, string>>

export interface EngineRequestFacts {
  method: string
  /** The path without its query string. */
  path: string
  status: number
  /** The daemon's `message` field, when it sent one. */
  daemonMessage?: string
  /** The meaning of the status for this endpoint, from its table. */
  meaning?: string
}

/** The engine cannot be reached at all: no socket, connection refused, TLS failure, connection lost. */
export class EngineUnreachableError extends BerthError {
  readonly address: string
  readonly reason: string

  constructor(address: string, reason: string, options: BerthErrorOptions = {}) {
    super('ENGINE_UNREACHABLE', `cannot reach the Docker Engine at ${address}: ${reason}`, {
      hints: options.hints ?? [
        'start an engine: `sudo dockerd &` or `sudo systemctl start docker` (`npm run demo` sets one up)',
        'or point DOCKER_HOST (or DOCKER_CONTEXT) at a running engine',
      ],
      ...options,
    })
    this.address = address
    this.reason = reason
  }
}

/** The engine answered, but its API is older than Berth supports. */
export class EngineTooOldError extends BerthError {
  constructor(address: string, serverVersion: string, minimum: string) {
    super('ENGINE_TOO_OLD', `the Docker Engine at ${address} speaks API ${serverVersion}; Berth needs ${minimum} or newer (Docker 20.10+)`, {
      hints: ['upgrade the engine, or point DOCKER_HOST at a newer one'],
    })
  }
}

/** Any non-success answer from the engine. Subclasses name the common cases. */
export class EngineServerError extends BerthError {
  readonly status: number
  readonly method: string
  readonly path: string
  readonly daemonMessage?: string
  readonly meaning?: string

  constructor(facts: EngineRequestFacts, options: BerthErrorOptions & {code?: string} = {}) {
    super(options.code ?? 'ENGINE_ERROR', describe(facts), options)
    this.status = facts.status
    this.method = facts.method
    this.path = facts.path
    this.daemonMessage = facts.daemonMessage
    this.meaning = facts.meaning
  }
}

/** 404: the container, image, network, volume or exec instance does not exist. */
export class NotFoundError extends EngineServerError {
  readonly kind: EngineObjectKind
  readonly ref: string

  constructor(facts: EngineRequestFacts & {kind: EngineObjectKind; ref: string}, options: BerthErrorOptions = {}) {
    super(facts, {...options, code: 'ENGINE_NOT_FOUND'})
    this.kind = facts.kind
    this.ref = facts.ref
  }
}

/** 409: the name is taken, the object is in use, or it is in the wrong state. */
export class ConflictError extends EngineServerError {
  constructor(facts: EngineRequestFacts, options: BerthErrorOptions = {}) {
    super(facts, {...options, code: 'ENGINE_CONFLICT'})
  }
}

/** A JSON-lines progress stream (pull, push, load, import, build) ended with an `errorDetail`. */
export class EngineStreamError extends BerthError {
  readonly operation: string
  readonly detailCode?: number

  constructor(operation: string, message: string, detailCode?: number) {
    super('ENGINE_STREAM_ERROR', `${operation} failed: ${message}`)
    this.operation = operation
    this.detailCode = detailCode
  }
}

/** A request took longer than its time limit. */
export class EngineTimeoutError extends BerthError {
  constructor(method: string, path: string, ms: number) {
    super('ENGINE_TIMEOUT', `the Docker Engine did not answer ${method} ${path} within ${ms} ms`, {
      hints: ['the engine may be overloaded; retry, or raise the timeout'],
    })
  }
}

function describe(facts: EngineRequestFacts): string {
  const daemon = facts.daemonMessage?.trim()
  const meaning = facts.meaning
  if (daemon && meaning && !daemon.toLowerCase().includes(meaning.toLowerCase())) return `${meaning}: ${firstLine(daemon)}`
  if (daemon) return firstLine(daemon)
  if (meaning) return `${meaning} (${facts.method} ${facts.path} -> ${facts.status})`
  return `the Docker Engine answered ${facts.status} to ${facts.method} ${facts.path}`
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]
  return line.length > 500 ? `${line.slice(0, 500)}…` : line
}
