/**
 * Rules the JSON Schema cannot say, checked on ONE schema-valid Compose file: attributes that
 * exclude each other inside a service or a resource. Checks that need the whole merged project
 * (references to other services, networks, volumes; duplicate container names; cycles) belong to
 * the normaliser and the dependency graph.
 */
import {ComposeFileError, type ModelPath, type SourceFile} from '../source.js'

/** Stable error code for a file that is well-formed but self-contradictory. */
export const INVALID_ERROR_CODE = 'COMPOSE_INVALID'

type Mapping = Record<string, unknown>

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The integer a schema-valid integer field holds ("3" casts like docker compose does); undefined if unknown. */
export function asInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value
  if (typeof value === 'string' && /^[+-]?[0-9]+$/.test(value)) return Number(value)
  return undefined
}

/** The boolean a schema-valid boolean field holds (true/yes/y/on, false/no/n/off); undefined if unknown. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  if (/^(true|y|yes|on)$/i.test(value)) return true
  if (/^(false|n|no|off)$/i.test(value)) return false
  return undefined
}

/** IPv4 or IPv6 (brackets allowed). Avoids importing node:net, which costs ~5 ms at start-up. */
export function isIpAddress(text: string): boolean {
  const bare = text.replace(/^\[(.*)\]$/, '$1')
  const v4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/
  if (v4.test(bare)) return true
  if (!bare.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(bare)) return false
  try {
    // The WHATWG URL parser implements the full IPv6 grammar (:: compression, embedded IPv4).
    return new URL(`http://[${bare}]/`).hostname.length > 2
  } catch {
    return false
  }
}

/** Where a path of the model came from: one file, or (after merge) a lookup per path. */
export type SourceOf = SourceFile | ((path: ModelPath) => SourceFile | undefined)

class Checker {
  constructor(private readonly sourceOf: SourceOf) {}

  fail(path: ModelPath, message: string, hints?: string[]): never {
    const source = typeof this.sourceOf === 'function' ? this.sourceOf(path) : this.sourceOf
    throw new ComposeFileError(INVALID_ERROR_CODE, message, {source, file: source ? undefined : 'compose model', path}, hints)
  }

  service(name: string, service: Mapping): void {
    const at = (...rest: Array<string | number>): ModelPath => ['services', name, ...rest]
    const deploy = isMapping(service.deploy) ? service.deploy : undefined

    const scale = asInteger(service.scale)
    const replicas = asInteger(deploy?.replicas)
    if (scale !== undefined && scale < 0) this.fail(at('scale'), `scale must be 0 or more, got ${scale}`)
    if (replicas !== undefined && replicas < 0) this.fail(at('deploy', 'replicas'), `deploy.replicas must be 0 or more, got ${replicas}`)
    if (scale !== undefined && replicas !== undefined && scale !== replicas) {
      this.fail(at('scale'), `scale (${scale}) and deploy.replicas (${replicas}) disagree`, ['Set only one of them.'])
    }
    if (service.container_name !== undefined) {
      const count = scale ?? replicas
      if (count !== undefined && count > 1) {
        const field = scale === undefined ? 'deploy.replicas' : 'scale'
        this.fail(scale === undefined ? at('deploy', 'replicas') : at('scale'), `container_name "${String(service.container_name)}" cannot be used with ${field}: ${count}, container names must be unique`, [
          'Remove container_name to let Berth name each replica, or run one replica.',
        ])
      }
    }

    if (service.network_mode !== undefined && service.networks !== undefined) {
      this.fail(at('networks'), 'network_mode and networks cannot be used together', ['With network_mode the container joins no Compose network; remove one of them.'])
    }

    const build = service.build
    if (isMapping(build) && build.dockerfile !== undefined && build.dockerfile_inline !== undefined) {
      this.fail(at('build', 'dockerfile_inline'), 'build.dockerfile and build.dockerfile_inline cannot be used together')
    }

    const healthcheck = isMapping(service.healthcheck) ? service.healthcheck : undefined
    if (healthcheck && Array.isArray(healthcheck.test) && healthcheck.test.length > 0) {
      const first = healthcheck.test[0]
      if (first !== 'CMD' && first !== 'CMD-SHELL' && first !== 'NONE') {
        this.fail(at('healthcheck', 'test', 0), `healthcheck.test as a list must start with "CMD", "CMD-SHELL" or "NONE", got ${JSON.stringify(first)}`, [
          'Use a string for a shell command: test: curl -f http://localhost || exit 1',
        ])
      }
    }

    if (Array.isArray(service.ports)) {
      service.ports.forEach((port, i) => {
        if (isMapping(port) && typeof port.host_ip === 'string' && !port.host_ip.includes('$') && !isIpAddress(port.host_ip)) {
          this.fail(at('ports', i, 'host_ip'), `host_ip must be an IP address, got ${JSON.stringify(port.host_ip)}`)
        }
      })
    }

    const devices = (deploy?.resources as Mapping | undefined)?.reservations as Mapping | undefined
    if (isMapping(devices) && Array.isArray(devices.devices)) {
      devices.devices.forEach((device, i) => this.deviceRequest(device, at('deploy', 'resources', 'reservations', 'devices', i)))
    }
    if (Array.isArray(service.gpus)) {
      service.gpus.forEach((device, i) => this.deviceRequest(device, at('gpus', i)))
    }

    const develop = isMapping(service.develop) ? service.develop : undefined
    if (develop && Array.isArray(develop.watch)) {
      develop.watch.forEach((rule, i) => {
        if (!isMapping(rule)) return
        const action = String(rule.action)
        if (rule.target === undefined && action !== 'rebuild' && action !== 'restart') {
          this.fail(at('develop', 'watch', i), `develop.watch action "${action}" needs a target (the path in the container to sync to)`)
        }
        if (rule.exec !== undefined && action !== 'sync+exec') {
          this.fail(at('develop', 'watch', i, 'exec'), `develop.watch exec is only used with action "sync+exec", not "${action}"`)
        }
      })
    }
  }

  deviceRequest(device: unknown, path: ModelPath): void {
    if (isMapping(device) && device.count !== undefined && device.device_ids !== undefined) {
      this.fail([...path, 'device_ids'], 'count and device_ids cannot be used together in a device request')
    }
  }

  /** networks/volumes/secrets/configs entries: external excludes everything but name. */
  resource(kind: string, name: string, resource: Mapping, exclusive: string[]): void {
    const external = resource.external
    if (asBoolean(external) === true || isMapping(external)) {
      for (const key of Object.keys(resource)) {
        if (key === 'external' || key === 'name' || key.startsWith('x-')) continue
        this.fail([kind, name, key], `external ${singular(kind)} "${name}" cannot set "${key}": Berth does not create it, only "name" may be given`)
      }
    }
    const present = exclusive.filter((key) => resource[key] !== undefined)
    if (present.length > 1) {
      this.fail([kind, name, present[1]], `${present.join(' and ')} cannot be used together: a ${singular(kind)} takes its content from exactly one of ${exclusive.join(', ')}`)
    }
  }
}

function singular(kind: string): string {
  return kind.endsWith('s') ? kind.slice(0, -1) : kind
}

const EXCLUSIVE_SOURCES: Record<string, string[]> = {
  networks: [],
  volumes: [],
  secrets: ['file', 'environment'],
  configs: ['file', 'environment', 'content'],
}

/**
 * Throws the first rule violation in a schema-valid Compose model, in document order. Runs on each
 * file; the normaliser may run it again on the merged model (a base file's container_name and an
 * override's replicas only meet there), passing a per-path source lookup.
 */
export function checkSemantics(doc: Mapping, source: SourceOf): void {
  const checker = new Checker(source)
  if (isMapping(doc.services)) {
    for (const [name, service] of Object.entries(doc.services)) {
      if (isMapping(service)) checker.service(name, service)
    }
  }
  for (const [kind, exclusive] of Object.entries(EXCLUSIVE_SOURCES)) {
    const section = doc[kind]
    if (!isMapping(section)) continue
    for (const [name, resource] of Object.entries(section)) {
      if (isMapping(resource)) checker.resource(kind, name, resource, exclusive)
    }
  }
}
