/** Networks: /networks/*. */
import {NETWORK_CREATE_FIELDS} from '../api-version.js'
import {encodeFilters} from '../body.js'
import type {EngineClient} from '../client.js'
import type {StatusMeanings} from '../errors.js'
import type {EndpointSettings, Filters, NetworkCreateBody, NetworkInspect} from '../types.js'
import {enc, type CommonOptions} from './containers.js'

export const NETWORK_MEANINGS = {
  list: {400: 'bad filter'},
  create: {400: 'bad network configuration', 403: 'operation not supported for pre-defined networks', 404: 'plugin not found', 409: 'network name already in use'},
  inspect: {404: 'no such network'},
  connect: {400: 'bad endpoint configuration', 403: 'operation not supported for swarm scoped networks', 404: 'no such network or container'},
  remove: {403: 'operation not supported for pre-defined networks', 404: 'no such network', 409: 'network has active endpoints'},
} as const satisfies Record<string, StatusMeanings>

export class Networks {
  constructor(private readonly engine: EngineClient) {}

  list(options: CommonOptions & {filters?: Filters} = {}): Promise<NetworkInspect[]> {
    return this.engine.json({method: 'GET', path: '/networks', query: {filters: encodeFilters(options.filters)}, meanings: NETWORK_MEANINGS.list, signal: options.signal})
  }

  async create(body: NetworkCreateBody, options: CommonOptions = {}): Promise<{Id: string; Warning?: string; dropped: string[]}> {
    const fitted = await this.engine.fitBody(body, NETWORK_CREATE_FIELDS)
    // CheckDuplicate makes engines before 1.44 refuse a second network of the same name.
    const json = (await this.engine.supports('networkCheckDuplicateIgnored')) ? fitted.body : {CheckDuplicate: true, ...fitted.body}
    const created = await this.engine.json<{Id: string; Warning?: string}>({method: 'POST', path: '/networks/create', json, meanings: NETWORK_MEANINGS.create, subject: {kind: 'network', ref: body.Name}, signal: options.signal})
    return {...created, dropped: fitted.dropped}
  }

  inspect(id: string, options: CommonOptions & {verbose?: boolean; scope?: string} = {}): Promise<NetworkInspect> {
    return this.engine.json({method: 'GET', path: `/networks/${enc(id)}`, query: {verbose: options.verbose, scope: options.scope}, meanings: NETWORK_MEANINGS.inspect, subject: {kind: 'network', ref: id}, signal: options.signal})
  }

  /** Connects a container, with aliases, a fixed address or links in `endpoint`. */
  async connect(network: string, container: string, endpoint: EndpointSettings = {}, options: CommonOptions = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/networks/${enc(network)}/connect`, json: {Container: container, EndpointConfig: endpoint}, meanings: NETWORK_MEANINGS.connect, subject: {kind: 'network', ref: network}, signal: options.signal})
  }

  async disconnect(network: string, container: string, options: CommonOptions & {force?: boolean} = {}): Promise<void> {
    await this.engine.send({method: 'POST', path: `/networks/${enc(network)}/disconnect`, json: {Container: container, Force: options.force ?? false}, meanings: NETWORK_MEANINGS.connect, subject: {kind: 'network', ref: network}, signal: options.signal})
  }

  async remove(id: string, options: CommonOptions = {}): Promise<void> {
    await this.engine.send({method: 'DELETE', path: `/networks/${enc(id)}`, meanings: NETWORK_MEANINGS.remove, subject: {kind: 'network', ref: id}, signal: options.signal})
  }
}
