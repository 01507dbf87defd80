/** The engine itself: ping, version, info and the events stream. */
import type {Readable} from 'node:stream'
import {encodeFilters} from '../body.js'
import type {EngineClient} from '../client.js'
import {JsonLinesDecoder} from '../streams/json-lines.js'
import type {EngineEvent, Filters, SystemInfo, VersionInfo} from '../types.js'
import type {CommonOptions} from './containers.js'

export class System {
  constructor(private readonly engine: EngineClient) {}

  /** Resolves when the engine answers; rejects with EngineUnreachableError when it does not. */
  ping(options: CommonOptions = {}): Promise<void> {
    return this.engine.ping(options.signal)
  }

  version(options: CommonOptions = {}): Promise<VersionInfo> {
    return this.engine.json({method: 'GET', path: '/version', signal: options.signal})
  }

  info(options: CommonOptions = {}): Promise<SystemInfo> {
    return this.engine.json({method: 'GET', path: '/info', signal: options.signal})
  }

  /**
   * The engine's events as an object stream, from `since` (unix seconds) until `until` or until the
   * signal aborts. Filter by `{type: ['container'], label: ['com.docker.compose.project=demo']}`.
   */
  async events(options: CommonOptions & {since?: number | string; until?: number | string; filters?: Filters} = {}): Promise<Readable & AsyncIterable<EngineEvent>> {
    const res = await this.engine.stream({method: 'GET', path: '/events', query: {since: options.since, until: options.until, filters: encodeFilters(options.filters)}, signal: options.signal})
    const decoder = new JsonLinesDecoder()
    res.body.once('error', (error) => decoder.destroy(error))
    decoder.once('close', () => res.body.destroy())
    return res.body.pipe(decoder)
  }
}
