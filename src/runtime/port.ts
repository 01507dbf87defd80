/**
 * `port SERVICE PRIVATE_PORT`: the public address a container port is published on, from the
 * container list (no inspect): `0.0.0.0:8080`. IPv4 bindings are preferred, as compose prints one.
 */
import type {EngineClient} from '../engine/client.js'
import {UserInputError} from '../errors.js'
import {serviceContainer} from './exec.js'
import type {ProjectRef} from './select.js'

export interface PortOptions {
  service: string
  privatePort: number
  protocol?: string
  index?: number
  signal?: AbortSignal
}

export async function publicPort(engine: EngineClient, ref: ProjectRef, options: PortOptions): Promise<string> {
  const protocol = (options.protocol ?? 'tcp').toLowerCase()
  const container = await serviceContainer(engine, ref, options.service, options.index, options.signal)
  const bindings = (container.Ports ?? []).filter((p) => p.PrivatePort === options.privatePort && p.Type === protocol && p.PublicPort)
  if (bindings.length === 0) {
    throw new UserInputError('NO_SUCH_PORT', `service "${options.service}" does not publish port ${options.privatePort}/${protocol}`)
  }
  const best = bindings.find((b) => b.IP && !b.IP.includes(':')) ?? bindings[0]
  const ip = best.IP ?? '0.0.0.0'
  return `${ip.includes(':') ? `[${ip}]` : ip}:${best.PublicPort}`
}
