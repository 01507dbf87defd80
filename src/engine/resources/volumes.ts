/** Volumes: /volumes/*. */
import {encodeFilters} from '../body.js'
import type {EngineClient} from '../client.js'
import type {StatusMeanings} from '../errors.js'
import type {Filters, Volume, VolumeCreateBody} from '../types.js'
import {enc, type CommonOptions} from './containers.js'

export const VOLUME_MEANINGS = {
  list: {400: 'bad filter'},
  create: {400: 'bad volume configuration', 409: 'volume exists with a different driver'},
  inspect: {404: 'no such volume'},
  remove: {404: 'no such volume', 409: 'volume is in use'},
} as const satisfies Record<string, StatusMeanings>

export class Volumes {
  constructor(private readonly engine: EngineClient) {}

  async list(options: CommonOptions & {filters?: Filters} = {}): Promise<Volume[]> {
    const result = await this.engine.json<{Volumes: Volume[] | null; Warnings: string[] | null}>({method: 'GET', path: '/volumes', query: {filters: encodeFilters(options.filters)}, meanings: VOLUME_MEANINGS.list, signal: options.signal})
    return result.Volumes ?? []
  }

  create(body: VolumeCreateBody, options: CommonOptions = {}): Promise<Volume> {
    return this.engine.json({method: 'POST', path: '/volumes/create', json: body, meanings: VOLUME_MEANINGS.create, subject: {kind: 'volume', ref: body.Name ?? ''}, signal: options.signal})
  }

  inspect(name: string, options: CommonOptions = {}): Promise<Volume> {
    return this.engine.json({method: 'GET', path: `/volumes/${enc(name)}`, meanings: VOLUME_MEANINGS.inspect, subject: {kind: 'volume', ref: name}, signal: options.signal})
  }

  async remove(name: string, options: CommonOptions & {force?: boolean} = {}): Promise<void> {
    await this.engine.send({method: 'DELETE', path: `/volumes/${enc(name)}`, query: {force: options.force}, meanings: VOLUME_MEANINGS.remove, subject: {kind: 'volume', ref: name}, signal: options.signal})
  }
}
