/**
 * Whole-project passes (rows of the rule table that look at more than one field): profiles,
 * references between services, the implicit dependencies that `links`, `volumes_from` and
 * `service:x` modes create, the implicit `default` network, references to top-level resources,
 * and pruning of resources no active service uses.
 */
import {serviceReferences} from '../graph.js'
import type {ModelPath} from '../source.js'
import type {ServiceConfig} from '../types.js'
import {NormalizeCodes, type Model, type Normalizer} from './context.js'
import {isRecord} from './walk.js'

type Service = Record<string, unknown>

function services(model: Model): Record<string, Service> {
  return isRecord(model.services) ? (model.services as Record<string, Service>) : {}
}

function active(model: Model, n: Normalizer): Array<[string, Service]> {
  return Object.entries(services(model)).filter(([name]) => !n.disabled.has(name))
}

/**
 * A service with `profiles` is active only when one of them is enabled (`*` enables all) or when
 * it is named explicitly; services an explicitly named service depends on come along.
 */
export function selectProfiles(model: Model, n: Normalizer): void {
  const enabled = new Set(n.ctx.profiles)
  const all = services(model)
  const explicit = new Set<string>()
  const pending = [...(n.ctx.explicitServices ?? [])]
  while (pending.length > 0) {
    const name = pending.pop()!
    if (explicit.has(name) || !all[name]) continue
    explicit.add(name)
    pending.push(...Object.keys(dependencyNames(all[name])))
  }
  for (const [name, service] of Object.entries(all)) {
    const profiles = Array.isArray(service.profiles) ? service.profiles.map(String) : []
    const on = profiles.length === 0 || enabled.has('*') || profiles.some((p) => enabled.has(p)) || explicit.has(name)
    if (!on) n.disabled.add(name)
  }
}

/** Every other service a service names, with the attribute that names it. */
function dependencyNames(service: Service): Record<string, {attribute: ModelPath; restart: boolean; required: boolean}> {
  const out: Record<string, {attribute: ModelPath; restart: boolean; required: boolean}> = {}
  for (const ref of serviceReferences(service as ServiceConfig)) {
    // compose restarts a dependent whose links or shared namespace go away, not one that copied volumes
    out[ref.service] = {attribute: ref.path ?? [], restart: ref.via !== 'volumes_from' && ref.via !== 'depends_on', required: ref.required}
  }
  return out
}

/**
 * References to other services must name an active one (a `required: false` dependency may be
 * missing); container names must be unique and cannot be combined with more than one replica.
 */
export function checkServiceReferences(model: Model, n: Normalizer): void {
  if (n.ctx.consistency === false) return
  const all = services(model)
  const containerNames = new Map<string, string>()
  for (const [name, service] of active(model, n)) {
    for (const [target, ref] of Object.entries(dependencyNames(service))) {
      const at = ['services', name, ...ref.attribute]
      const what = ref.attribute[0] === 'depends_on' ? 'depends on' : `refers to (${String(ref.attribute[0])})`
      if (!all[target]) {
        if (!ref.required) continue
        throw n.error(NormalizeCodes.unknownService, at, `service "${name}" ${what} undefined service "${target}"`)
      }
      if (n.disabled.has(target)) {
        if (!ref.required) continue
        const profiles = Array.isArray(all[target].profiles) ? all[target].profiles.map(String) : []
        throw n.error(NormalizeCodes.unknownService, at, `service "${name}" ${what} service "${target}", which is not active (profiles: ${profiles.join(', ')})`,
          profiles.length > 0 ? [`enable it with --profile ${profiles[0]}`] : undefined)
      }
    }
    const containerName = service.container_name
    if (typeof containerName === 'string') {
      const other = containerNames.get(containerName)
      if (other !== undefined) {
        throw n.error(NormalizeCodes.containerName, ['services', name, 'container_name'], `services "${other}" and "${name}" both use container_name "${containerName}"`)
      }
      containerNames.set(containerName, name)
      const deploy = isRecord(service.deploy) ? service.deploy : {}
      const replicas = typeof service.scale === 'number' ? service.scale : typeof deploy.replicas === 'number' ? deploy.replicas : 1
      if (replicas > 1) {
        throw n.error(NormalizeCodes.containerName, ['services', name, 'container_name'], `service "${name}" sets container_name "${containerName}" and ${replicas} replicas; a container name must be unique`,
          ['remove container_name, or run one replica'])
      }
    }
  }
}

/** `links`, `service:x` modes and `volumes_from` make the named service a dependency. */
export function addImplicitDependencies(model: Model): void {
  for (const service of Object.values(services(model))) {
    const dependsOn: Record<string, unknown> = isRecord(service.depends_on) ? service.depends_on : {}
    for (const [target, ref] of Object.entries(dependencyNames(service))) {
      if (dependsOn[target] !== undefined) continue
      dependsOn[target] = ref.restart ? {condition: 'service_started', restart: true, required: true} : {condition: 'service_started', required: true}
    }
    if (Object.keys(dependsOn).length > 0) service.depends_on = dependsOn
  }
}

/** A service with neither `networks` nor `network_mode` joins `default`, declared when used. */
export function attachDefaultNetwork(model: Model): void {
  let used = false
  for (const service of Object.values(services(model))) {
    if (service.network_mode !== undefined || service.provider !== undefined) {
      if (isRecord(service.networks) && Object.keys(service.networks).length === 0) delete service.networks
      continue
    }
    if (!isRecord(service.networks) || Object.keys(service.networks).length === 0) {
      service.networks = {default: null}
      used = true
    } else if (Object.hasOwn(service.networks, 'default')) {
      used = true
    }
  }
  const networks = isRecord(model.networks) ? model.networks : {}
  if (used && !Object.hasOwn(networks, 'default')) networks.default = null
  if (Object.keys(networks).length > 0) model.networks = networks
}

/** What an active service uses of each top-level section. */
function usedResources(model: Model, n: Normalizer): Record<'networks' | 'volumes' | 'secrets' | 'configs', Map<string, ModelPath>> {
  const used = {networks: new Map<string, ModelPath>(), volumes: new Map<string, ModelPath>(), secrets: new Map<string, ModelPath>(), configs: new Map<string, ModelPath>()}
  for (const [name, service] of active(model, n)) {
    const base = ['services', name]
    if (isRecord(service.networks)) for (const net of Object.keys(service.networks)) used.networks.set(net, [...base, 'networks', net])
    if (Array.isArray(service.volumes)) {
      service.volumes.forEach((v, i) => {
        if (isRecord(v) && v.type === 'volume' && typeof v.source === 'string' && v.source !== '') used.volumes.set(v.source, [...base, 'volumes', i])
      })
    }
    for (const kind of ['secrets', 'configs'] as const) {
      const refs = service[kind]
      if (Array.isArray(refs)) refs.forEach((r, i) => isRecord(r) && typeof r.source === 'string' && used[kind].set(r.source, [...base, kind, i]))
    }
    const build = service.build
    if (isRecord(build) && Array.isArray(build.secrets)) {
      build.secrets.forEach((r, i) => isRecord(r) && typeof r.source === 'string' && used.secrets.set(r.source, [...base, 'build', 'secrets', i]))
    }
  }
  return used
}

/** A network, named volume, secret or config an active service uses must be declared. */
export function checkResourceReferences(model: Model, n: Normalizer): void {
  if (n.ctx.consistency === false) return
  const used = usedResources(model, n)
  const singular = {networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config'} as const
  for (const kind of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    const declared = isRecord(model[kind]) ? model[kind] : {}
    for (const [name, at] of used[kind]) {
      if (!Object.hasOwn(declared, name)) {
        throw n.error(NormalizeCodes.undefinedResource, at, `service "${String(at[1])}" refers to undefined ${singular[kind]} "${name}"`,
          [`declare it under the top-level \`${kind}:\` key`])
      }
    }
  }
}

/** Drop networks, volumes, secrets and configs no active service uses (docker compose's default). */
export function pruneUnusedResources(model: Model, n: Normalizer): void {
  if (n.ctx.allResources) return
  const used = usedResources(model, n)
  for (const kind of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    const section = model[kind]
    if (!isRecord(section)) continue
    for (const key of Object.keys(section)) if (!used[kind].has(key)) delete section[key]
    if (Object.keys(section).length === 0) delete model[kind]
  }
}

/** Service-level values that have a deploy twin must agree with it (as docker compose requires). */
const DEPLOY_TWINS: Array<[string, string[]]> = [
  ['cpus', ['limits', 'cpus']],
  ['mem_limit', ['limits', 'memory']],
  ['mem_reservation', ['reservations', 'memory']],
  ['pids_limit', ['limits', 'pids']],
]

/**
 * Per-service consistency docker compose checks on the merged model: a value set both on the
 * service and under `deploy.resources` must be the same, and no two mounts (`volumes`, `tmpfs`)
 * may share a target.
 */
export function checkServiceConsistency(model: Model, n: Normalizer): void {
  if (n.ctx.consistency === false) return
  for (const [name, service] of active(model, n)) {
    const resources = isRecord(service.deploy) && isRecord(service.deploy.resources) ? service.deploy.resources : {}
    for (const [field, [section, key]] of DEPLOY_TWINS) {
      const own = service[field]
      const twin = isRecord(resources[section]) ? resources[section][key] : undefined
      if (own !== undefined && twin !== undefined && Number(own) !== Number(twin)) {
        throw n.error(NormalizeCodes.value, ['services', name, field], `service "${name}": ${field} (${String(own)}) and deploy.resources.${section}.${key} (${String(twin)}) differ`,
          ['set only one of them'])
      }
    }
    const mounts = new Map<string, ModelPath>()
    const mount = (target: string, at: ModelPath): void => {
      const other = mounts.get(target)
      if (other) {
        throw n.error(NormalizeCodes.volume, at, `service "${name}" mounts ${target} twice (also at ${other.slice(2).map(String).join('.')})`)
      }
      mounts.set(target, at)
    }
    if (Array.isArray(service.tmpfs)) service.tmpfs.forEach((t, i) => mount(String(t).split(':')[0], ['services', name, 'tmpfs', i]))
    if (Array.isArray(service.volumes)) {
      service.volumes.forEach((v, i) => isRecord(v) && typeof v.target === 'string' && mount(v.target, ['services', name, 'volumes', i]))
    }
  }
}
