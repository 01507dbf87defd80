/**
 * The swarm half of the Engine API a stack needs — services, tasks, nodes, secrets, configs and
 * the overlay networks — over the core EngineClient. "This node is not a swarm manager" becomes
 * one clear user error. Bodies (secret data included) are never logged: the transport logs only
 * method, path and status.
 */
import type {EngineClient} from '../../engine/client.js'
import {EngineServerError} from '../../engine/errors.js'
import {UserInputError} from '../sdk/index.js'
import type {FileObject, FileObjectCreate, Network, NetworkCreate, Service, ServiceSpec, SwarmNode, Task} from './types.js'

export class NotSwarmManagerError extends UserInputError {
  constructor() {
    super('NOT_SWARM_MANAGER', 'this node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again', {
      hints: ['or point DOCKER_HOST (or --context) at a manager of the swarm'],
    })
  }
}

function filters(f: Record<string, string[]>): string {
  return JSON.stringify(f)
}

export const stackFilter = (stack: string) => ({label: [`com.docker.stack.namespace=${stack}`]})

export interface RequestOptions {
  signal?: AbortSignal
}

export class SwarmApi {
  constructor(readonly engine: EngineClient) {}

  /** Throws NotSwarmManagerError unless the engine is a manager of an active swarm. */
  async checkManager(options: RequestOptions = {}): Promise<void> {
    const info = await this.engine.json<{Swarm?: {ControlAvailable?: boolean; LocalNodeState?: string}}>({method: 'GET', path: '/info', signal: options.signal})
    if (!info.Swarm?.ControlAvailable) throw new NotSwarmManagerError()
  }

  async #json<T>(req: Parameters<EngineClient['json']>[0]): Promise<T> {
    try {
      return await this.engine.json<T>(req)
    } catch (error) {
      throw translate(error)
    }
  }

  async #send(req: Parameters<EngineClient['send']>[0]): Promise<number> {
    try {
      return await this.engine.send(req)
    } catch (error) {
      throw translate(error)
    }
  }

  services(filter: Record<string, string[]>, options: RequestOptions & {status?: boolean} = {}): Promise<Service[]> {
    return this.#json({method: 'GET', path: '/services', query: {filters: filters(filter), status: options.status || undefined}, signal: options.signal})
  }

  async createService(spec: ServiceSpec, options: RequestOptions & {auth?: string} = {}): Promise<{ID: string; Warnings?: string[] | null}> {
    return this.#json({method: 'POST', path: '/services/create', json: spec, headers: options.auth ? {'x-registry-auth': options.auth} : undefined, signal: options.signal})
  }

  async updateService(id: string, version: number, spec: ServiceSpec, options: RequestOptions & {auth?: string} = {}): Promise<{Warnings?: string[] | null}> {
    const answer = await this.#json<{Warnings?: string[] | null} | undefined>({
      method: 'POST',
      path: `/services/${encodeURIComponent(id)}/update`,
      query: {version},
      json: spec,
      headers: options.auth ? {'x-registry-auth': options.auth} : undefined,
      signal: options.signal,
    })
    return answer ?? {}
  }

  async removeService(id: string, options: RequestOptions = {}): Promise<void> {
    await this.#send({method: 'DELETE', path: `/services/${encodeURIComponent(id)}`, signal: options.signal})
  }

  tasks(filter: Record<string, string[]>, options: RequestOptions = {}): Promise<Task[]> {
    return this.#json({method: 'GET', path: '/tasks', query: {filters: filters(filter)}, signal: options.signal})
  }

  nodes(options: RequestOptions = {}): Promise<SwarmNode[]> {
    return this.#json({method: 'GET', path: '/nodes', signal: options.signal})
  }

  networks(filter: Record<string, string[]>, options: RequestOptions = {}): Promise<Network[]> {
    return this.#json({method: 'GET', path: '/networks', query: {filters: filters(filter)}, signal: options.signal})
  }

  /** The network of exactly this name or ID, or undefined. */
  async network(name: string, options: RequestOptions = {}): Promise<Network | undefined> {
    try {
      return await this.engine.json<Network>({method: 'GET', path: `/networks/${encodeURIComponent(name)}`, signal: options.signal})
    } catch (error) {
      if (error instanceof EngineServerError && error.status === 404) return undefined
      throw translate(error)
    }
  }

  async createNetwork(body: NetworkCreate, options: RequestOptions = {}): Promise<{Id: string}> {
    // Before API 1.44 only CheckDuplicate stops a second network of the same name.
    const json = (await this.engine.supports('networkCheckDuplicateIgnored')) ? body : {...body, CheckDuplicate: true}
    return this.#json({method: 'POST', path: '/networks/create', json, signal: options.signal})
  }

  async removeNetwork(id: string, options: RequestOptions = {}): Promise<void> {
    await this.#send({method: 'DELETE', path: `/networks/${encodeURIComponent(id)}`, signal: options.signal})
  }

  /** Secrets (or configs) of exactly these names (the engine's name filter matches prefixes). */
  async fileObjects(kind: 'secrets' | 'configs', filter: Record<string, string[]>, options: RequestOptions = {}): Promise<FileObject[]> {
    return this.#json({method: 'GET', path: `/${kind}`, query: {filters: filters(filter)}, signal: options.signal})
  }

  async createFileObject(kind: 'secrets' | 'configs', body: FileObjectCreate, options: RequestOptions = {}): Promise<{ID: string}> {
    return this.#json({method: 'POST', path: `/${kind}/create`, json: body, signal: options.signal})
  }

  async updateFileObject(kind: 'secrets' | 'configs', id: string, version: number, body: FileObjectCreate, options: RequestOptions = {}): Promise<void> {
    await this.#send({method: 'POST', path: `/${kind}/${encodeURIComponent(id)}/update`, query: {version}, json: body, signal: options.signal})
  }

  async removeFileObject(kind: 'secrets' | 'configs', id: string, options: RequestOptions = {}): Promise<void> {
    await this.#send({method: 'DELETE', path: `/${kind}/${encodeURIComponent(id)}`, signal: options.signal})
  }
}

/** The engine's 503 "not a swarm manager" as the user error; anything else unchanged. */
export function translate(error: unknown): unknown {
  if (error instanceof EngineServerError && error.status === 503 && /not a swarm manager|swarm/i.test(error.daemonMessage ?? '')) return new NotSwarmManagerError()
  return error
}
