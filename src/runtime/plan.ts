/**
 * Plan: PURE functions from (project, observed state, options) to an ordered list of operations,
 * each with a human cause. `up --dry-run` prints a plan; apply.ts executes one. Nothing here
 * talks to the engine, so plans are pinned by golden-text tests.
 *
 *   #1 network:demo_default  create     not found
 *   #2 container:demo-web-1  recreate   config changed (environment.MODE)
 */
import type {Project, ServiceConfig} from '../compose/types.js'
import {BerthError, UserInputError} from '../errors.js'
import {changedFields, configHash, fieldHashes, formatFieldHashes, parseFieldHashes} from './config-hash.js'
import {networkEngineName, serviceNetworkKeys} from './container-spec.js'
import {containerName, LABEL, parseDependsOn} from './labels.js'
import {findImage, type ObservedContainer, type ObservedState} from './observe.js'
import {compareText} from './compare.js'

export type PullPolicy = 'always' | 'missing' | 'never'

export type Operation =
  | {kind: 'pull-image'; service: string; image: string; cause: string}
  | {kind: 'build-image'; service: string; image: string; cause: string}
  | {kind: 'create-network'; key: string; name: string; cause: string}
  | {kind: 'create-volume'; key: string; name: string; cause: string}
  | {kind: 'create-container'; service: string; number: number; name: string; start: boolean; cause: string}
  /** renewVolumes: fresh anonymous volumes instead of the old container's (-V). */
  | {kind: 'recreate-container'; service: string; number: number; name: string; container: ObservedContainer; start: boolean; cause: string; renewVolumes?: boolean}
  | {kind: 'start-container'; service: string; number: number; name: string; id: string; cause: string}
  /** A replacement an interrupted recreate left under its temporary name gets the proper one back. */
  | {kind: 'rename-container'; service: string; number: number; name: string; id: string; from: string; start: boolean; cause: string}
  | {kind: 'restart-container'; service: string; number: number; name: string; id: string; cause: string}
  | {kind: 'stop-container'; service: string; number: number; name: string; id: string; cause: string}
  | {kind: 'remove-container'; service: string; number: number; name: string; id: string; running: boolean; cause: string; level?: number}
  | {kind: 'remove-network'; key: string; name: string; cause: string}
  | {kind: 'remove-volume'; key: string; name: string; cause: string}
  | {kind: 'remove-image'; image: string; cause: string}

export interface Plan {
  operations: Operation[]
  /** Things the user should know that are not operations (orphans kept, ...). */
  warnings: string[]
}

export interface UpPlanOptions {
  /** Services named on the command line; empty = all. */
  services?: string[]
  noDeps?: boolean
  /** Recreate the named services (all when none are named) even when nothing changed. */
  forceRecreate?: boolean
  /** Recreate the dependencies of the named services even when nothing changed. */
  alwaysRecreateDeps?: boolean
  /** -V: recreate the named services with new anonymous volumes (every recreate gets new ones). */
  renewAnonVolumes?: boolean
  noRecreate?: boolean
  noStart?: boolean
  removeOrphans?: boolean
  scale?: Record<string, number>
}

// ------------------------------------------------------------ dependency order

/** Services grouped in levels: every service comes after all of its dependencies. */
export function dependencyLevels(services: Record<string, ServiceConfig>): string[][] {
  const names = Object.keys(services).sort()
  const deps = new Map(names.map((n) => [n, dependenciesOf(services[n]).filter((d) => d in services)]))
  const levels: string[][] = []
  const placed = new Set<string>()
  while (placed.size < names.length) {
    const level = names.filter((n) => !placed.has(n) && deps.get(n)!.every((d) => placed.has(d)))
    if (level.length === 0) {
      const cycle = names.filter((n) => !placed.has(n))
      throw new UserInputError('DEPENDENCY_CYCLE', `dependency cycle between services: ${cycle.join(', ')}`)
    }
    for (const n of level) placed.add(n)
    levels.push(level)
  }
  return levels
}

/** depends_on plus the implicit dependencies of `service:x` modes, volumes_from and links. */
export function dependenciesOf(service: ServiceConfig): string[] {
  return [...new Set([...Object.keys(service.depends_on ?? {}), ...namedServicesOf(service)])]
}

/** The services whose containers a container of `service` names when it is created (service: modes, volumes_from, links). */
export function namedServicesOf(service: ServiceConfig): string[] {
  const out = new Set<string>()
  for (const mode of [service.network_mode, service.pid, service.ipc]) if (mode?.startsWith('service:')) out.add(mode.slice(8))
  for (const v of service.volumes_from ?? []) if (!v.startsWith('container:')) out.add(v.split(':')[0])
  for (const l of service.links ?? []) out.add(l.split(':')[0])
  return [...out]
}

/** The services `up svc...` acts on: the named ones and (unless --no-deps) what they depend on. */
export function selectServices(project: Project, names: string[] | undefined, noDeps = false): string[] {
  if (!names || names.length === 0) return Object.keys(project.services)
  const out = new Set<string>()
  const visit = (name: string) => {
    if (out.has(name)) return
    const service = project.services[name]
    if (!service) {
      const hint = project.disabledServices[name] ? [`service "${name}" is in a profile; enable it with --profile`] : []
      throw new UserInputError('NO_SUCH_SERVICE', `no such service: ${name}`, {hints: hint})
    }
    out.add(name)
    if (!noDeps) for (const d of dependenciesOf(service)) if (project.services[d]) visit(d)
  }
  for (const n of names) visit(n)
  return [...out]
}

/** How many containers a service wants: --scale, then scale, then deploy.replicas, then 1. */
export function desiredScale(service: ServiceConfig, scale: Record<string, number> | undefined): number {
  if (scale && scale[service.name] !== undefined) return scale[service.name]
  if (typeof service.scale === 'number') return service.scale
  if (service.deploy?.mode === 'global') return 1
  if (typeof service.deploy?.replicas === 'number') return service.deploy.replicas
  return 1
}

/** The image a service runs: `image:`, else `<project>-<service>` for a build-only service. */
export function serviceImage(project: Project, service: ServiceConfig): string {
  return service.image ?? `${project.name}-${service.name}`
}

// ------------------------------------------------------------ images

export interface ImagePlanOptions {
  services?: string[]
  pull?: PullPolicy
  /** --build: build every service that has build:. */
  build?: boolean
  /** --no-build: never build; a missing image is an error. */
  noBuild?: boolean
}

/** Pulls and builds before anything else: what `up` needs to have every image locally. */
export function planImages(project: Project, observed: ObservedState, options: ImagePlanOptions): Plan {
  const operations: Operation[] = []
  const seen = new Set<string>()
  for (const name of options.services ?? Object.keys(project.services)) {
    const service = project.services[name]
    const image = serviceImage(project, service)
    const local = findImage(observed.images, image)
    const policy = service.pull_policy
    if (service.build && !options.noBuild) {
      if (seen.has(image)) continue
      if (options.build || policy === 'build') {
        seen.add(image)
        operations.push({kind: 'build-image', service: name, image, cause: options.build ? '--build' : 'pull_policy: build'})
        continue
      }
      if (!local) {
        seen.add(image)
        operations.push({kind: 'build-image', service: name, image, cause: 'not found locally'})
      }
      continue
    }
    if (service.build && options.noBuild && !service.image) {
      if (local) continue
      throw new BerthError('IMAGE_NOT_FOUND', `service "${name}": image "${image}" is not built and --no-build is set`, {hints: ['run `berth up --build` or `berth build`']})
    }
    if (!service.image) {
      throw new UserInputError('NO_IMAGE', `service "${name}" has neither image nor build`, {hints: ['add an image: or a build: to the service']})
    }
    const pull = options.pull ?? (policy === 'always' ? 'always' : policy === 'never' ? 'never' : 'missing')
    if (seen.has(image)) continue
    if (pull === 'always') {
      seen.add(image)
      operations.push({kind: 'pull-image', service: name, image, cause: options.pull ? '--pull always' : 'pull_policy: always'})
    } else if (!local) {
      if (pull === 'never') {
        throw new BerthError('IMAGE_NOT_FOUND', `service "${name}": image "${image}" is not present locally and pulling is off`, {
          hints: ['pull it with `berth pull`, or run `berth up --pull missing`'],
        })
      }
      seen.add(image)
      operations.push({kind: 'pull-image', service: name, image, cause: 'not found locally'})
    }
  }
  return {operations, warnings: []}
}

// ------------------------------------------------------------ up

export interface ServiceHash {
  hash: string
  fields: string
}

/** The config hash of every service (what the containers are labelled with). */
export function serviceHashes(project: Project): Record<string, ServiceHash> {
  const out: Record<string, ServiceHash> = {}
  for (const [name, service] of Object.entries(project.services)) {
    out[name] = {hash: configHash(service), fields: formatFieldHashes(fieldHashes(service))}
  }
  return out
}

/** Why a container must be recreated, or undefined when it matches. */
function recreateCause(container: ObservedContainer, want: ServiceHash, imageId: string | undefined): string | undefined {
  if (container.configHash !== want.hash) {
    const before = parseFieldHashes(container.configFields)
    if (!container.configHash) return 'no config hash label'
    if (!before) return 'config hash changed (created by another tool)'
    const fields = changedFields(before, parseFieldHashes(want.fields) ?? {})
    return fields.length > 0 ? `config changed (${fields.slice(0, 4).join(', ')}${fields.length > 4 ? ', ...' : ''})` : 'config hash changed'
  }
  const labelled = container.labels[LABEL.image] ?? container.imageId
  if (imageId && labelled && labelled !== imageId) return `image changed (${short(labelled)} -> ${short(imageId)})`
  return undefined
}

function short(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12)
}

export function planUp(project: Project, observed: ObservedState, options: UpPlanOptions = {}): Plan {
  const operations: Operation[] = []
  const warnings: string[] = []
  const selected = new Set(selectServices(project, options.services, options.noDeps))
  const services = Object.fromEntries(Object.entries(project.services).filter(([n]) => selected.has(n)))
  const levels = dependencyLevels(project.services).map((l) => l.filter((n) => selected.has(n)))
  const hashes = serviceHashes(project)
  // --force-recreate and -V act on the services named (all when none are); the dependencies they
  // pull in are recreated only when they changed, or with --always-recreate-deps.
  const named = new Set(options.services && options.services.length > 0 ? options.services : Object.keys(project.services))
  const forcedCause = (name: string): string | undefined => {
    if (!named.has(name)) return options.alwaysRecreateDeps ? '--always-recreate-deps' : undefined
    return options.forceRecreate ? '--force-recreate' : options.renewAnonVolumes ? '--renew-anon-volumes' : undefined
  }

  for (const [name, service] of Object.entries(services)) {
    const count = desiredScale(service, options.scale)
    if (service.container_name && count > 1) {
      throw new UserInputError('SCALE_WITH_NAME', `service "${name}" sets container_name "${service.container_name}", so it cannot have ${count} containers`)
    }
  }

  // Networks the selected services join.
  const networkKeys = new Set<string>()
  for (const service of Object.values(services)) for (const key of serviceNetworkKeys(service)) networkKeys.add(key)
  for (const key of [...networkKeys].sort()) {
    const def = project.networks[key]
    const name = networkEngineName(project, key)
    const existing = observed.networks.get(name)
    if (def?.external) {
      if (!existing) throw new BerthError('NETWORK_NOT_FOUND', `network "${name}" is declared external but does not exist`, {hints: [`create it with \`docker network create ${name}\``]})
      continue
    }
    if (!existing) {
      operations.push({kind: 'create-network', key, name, cause: 'not found'})
    } else if (existing.labels[LABEL.project] !== undefined && existing.labels[LABEL.project] !== project.name) {
      throw new BerthError('NETWORK_CLASH', `network "${name}" belongs to project "${existing.labels[LABEL.project]}"`, {hints: [`set a different name for network "${key}", or mark it external`]})
    } else if (existing.labels[LABEL.project] === undefined) {
      warnings.push(`network "${name}" exists but was not created by Compose; using it (set external: true to silence this)`)
    }
  }

  // Named volumes the selected services mount.
  const volumeKeys = new Set<string>()
  for (const service of Object.values(services)) {
    for (const v of service.volumes ?? []) if (v.type === 'volume' && v.source && project.volumes[v.source]) volumeKeys.add(v.source)
  }
  for (const key of [...volumeKeys].sort()) {
    const def = project.volumes[key]
    const existing = observed.volumes.get(def.name)
    if (def.external) {
      if (!existing) throw new BerthError('VOLUME_NOT_FOUND', `volume "${def.name}" is declared external but does not exist`, {hints: [`create it with \`docker volume create ${def.name}\``]})
      continue
    }
    if (!existing) operations.push({kind: 'create-volume', key, name: def.name, cause: 'not found'})
    else if (existing.labels[LABEL.project] !== undefined && existing.labels[LABEL.project] !== project.name) {
      warnings.push(`volume "${def.name}" belongs to project "${existing.labels[LABEL.project]}"; using it`)
    }
  }

  // Containers, service by service in dependency order.
  const recreated = new Set<string>()
  for (const level of levels) {
    for (const name of level) {
      const service = project.services[name]
      const want = hashes[name]
      const imageId = findImage(observed.images, serviceImage(project, service))?.id
      const current = observed.containers.filter((c) => c.service === name && !c.oneoff)
      const count = desiredScale(service, options.scale)
      const byNumber = new Map<number, ObservedContainer>()
      const extra: ObservedContainer[] = []
      const leftovers: ObservedContainer[] = []
      // A container under its proper name wins its number over a replacement an interrupted
      // recreate left under a temporary name; such a twin is removed.
      const proper = (c: ObservedContainer) => !isTemporaryName(c.name, containerName(project.name, service, c.number))
      for (const c of [...current].sort((a, b) => Number(proper(b)) - Number(proper(a)))) {
        if (c.number < 1) extra.push(c)
        else if (!byNumber.has(c.number)) byNumber.set(c.number, c)
        else if (!proper(c)) leftovers.push(c)
        else extra.push(c)
      }
      // Scale down: the highest numbers go first.
      const surplus = [...byNumber.values()].filter((c) => c.number > count).sort((a, b) => b.number - a.number)
      const isRunning = (c: ObservedContainer) => c.state === 'running' || c.state === 'restarting' || c.state === 'paused'
      for (const c of [...surplus, ...extra]) {
        operations.push({kind: 'remove-container', service: name, number: c.number, name: c.name, id: c.id, running: isRunning(c), cause: `scale ${name}: ${current.length} -> ${count}`})
      }
      for (const c of leftovers) {
        operations.push({kind: 'remove-container', service: name, number: c.number, name: c.name, id: c.id, running: isRunning(c), cause: 'left over from an interrupted recreate'})
      }
      const forcedBy = dependencyRecreated(service, recreated)
      for (let n = 1; n <= count; n++) {
        const c = byNumber.get(n)
        const cname = containerName(project.name, service, n)
        if (!c) {
          operations.push({kind: 'create-container', service: name, number: n, name: cname, start: !options.noStart, cause: current.length === 0 ? 'not found' : `scale ${name}: ${current.length} -> ${count}`})
          recreated.add(name)
          continue
        }
        let cause: string | undefined
        if (!options.noRecreate) {
          cause = forcedCause(name) ?? recreateCause(c, want, imageId) ?? forcedBy.recreate
        }
        if (cause) {
          const renew = options.renewAnonVolumes ? {renewVolumes: true} : {}
          operations.push({kind: 'recreate-container', service: name, number: n, name: cname, container: c, start: !options.noStart, cause, ...renew})
          recreated.add(name)
        } else if (c.name !== cname && isTemporaryName(c.name, cname)) {
          const start = !options.noStart && !isRunning(c)
          operations.push({kind: 'rename-container', service: name, number: n, name: cname, id: c.id, from: c.name, start, cause: `left as ${c.name} by an interrupted recreate${start ? ` (${c.state})` : ''}`})
        } else if (forcedBy.restart && (c.state === 'running' || c.state === 'restarting')) {
          operations.push({kind: 'restart-container', service: name, number: n, name: c.name, id: c.id, cause: forcedBy.restart})
        } else if (!options.noStart && c.state !== 'running' && c.state !== 'restarting' && c.state !== 'paused') {
          operations.push({kind: 'start-container', service: name, number: n, name: c.name, id: c.id, cause: c.state})
        }
      }
    }
  }

  // Orphans: containers of services the project no longer has.
  const known = new Set([...Object.keys(project.services), ...Object.keys(project.disabledServices)])
  const orphans = observed.containers.filter((c) => !c.oneoff && !known.has(c.service))
  if (orphans.length > 0) {
    if (options.removeOrphans) {
      for (const c of orphans) {
        operations.push({kind: 'remove-container', service: c.service, number: c.number, name: c.name, id: c.id, running: c.state === 'running', cause: `orphan: service "${c.service}" is not in the project`})
      }
    } else {
      warnings.push(`found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project; run with --remove-orphans to clean them up`)
    }
  }
  return {operations, warnings}
}

/**
 * The name a recreate gives the replacement until the old container is gone: the old container's
 * short ID, an underscore, the proper name (what docker compose uses, so each tool tidies up
 * after the other).
 */
export function temporaryName(oldId: string, name: string): string {
  return `${oldId.replace(/^sha256:/, '').slice(0, 12)}_${name}`
}

/** Whether `name` is a temporary name for `proper` (see temporaryName). */
export function isTemporaryName(name: string, proper: string): boolean {
  return name.length === proper.length + 13 && name.endsWith(`_${proper}`) && /^[0-9a-f]{12}_/.test(name)
}

/** A dependency that is (re)created forces a recreate (`service:x` modes) or a restart (restart: true). */
function dependencyRecreated(service: ServiceConfig, recreated: Set<string>): {recreate?: string; restart?: string} {
  for (const [field, mode] of [['network_mode', service.network_mode], ['pid', service.pid], ['ipc', service.ipc]] as const) {
    if (mode?.startsWith('service:') && recreated.has(mode.slice(8))) return {recreate: `${field}: service "${mode.slice(8)}" was recreated`}
  }
  for (const v of service.volumes_from ?? []) {
    const svc = v.split(':')[0]
    if (!v.startsWith('container:') && recreated.has(svc)) return {recreate: `volumes_from: service "${svc}" was recreated`}
  }
  for (const [dep, cfg] of Object.entries(service.depends_on ?? {})) {
    if (cfg.restart && recreated.has(dep)) return {restart: `dependency "${dep}" was recreated (restart: true)`}
  }
  return {}
}

// ------------------------------------------------------------ down

export interface DownPlanOptions {
  volumes?: boolean
  removeOrphans?: boolean
  rmi?: 'local' | 'all'
  /** Limit to these services (down SERVICE...). */
  services?: string[]
}

/**
 * Down in reverse dependency order. With a project the order comes from it; with labels alone
 * (`down -p NAME`, no file) from the containers' depends_on labels.
 */
export function planDown(project: Project | undefined, projectName: string, observed: ObservedState, options: DownPlanOptions = {}): Plan {
  const operations: Operation[] = []
  const warnings: string[] = []
  const known = project ? new Set([...Object.keys(project.services), ...Object.keys(project.disabledServices)]) : undefined
  const containers = observed.containers.filter((c) => !options.services || options.services.includes(c.service))
  const orphans = known ? containers.filter((c) => !known.has(c.service) && !c.oneoff) : []
  const removable = containers.filter((c) => !orphans.includes(c) || options.removeOrphans)
  if (orphans.length > 0 && !options.removeOrphans) {
    warnings.push(`found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project; run with --remove-orphans to remove them`)
  }

  // Reverse dependency order over what is observed.
  const graph: Record<string, ServiceConfig> = {}
  for (const c of removable) {
    if (graph[c.service]) continue
    const fromProject = project?.services[c.service] ?? project?.disabledServices[c.service]
    const deps = fromProject?.depends_on ?? Object.fromEntries(parseDependsOn(c.labels[LABEL.dependsOn]).map((d) => [d.service, {condition: d.condition as 'service_started', required: true}]))
    graph[c.service] = {name: c.service, depends_on: deps}
  }
  const levels = dependencyLevels(graph).reverse()
  for (const [index, level] of levels.entries()) {
    for (const service of level) {
      for (const c of removable.filter((x) => x.service === service).sort((a, b) => Number(a.oneoff) - Number(b.oneoff) || a.number - b.number)) {
        const cause = orphans.includes(c) ? `orphan: service "${c.service}" is not in the project` : 'down'
        operations.push({kind: 'remove-container', service: c.service, number: c.number, name: c.name, id: c.id, running: c.state === 'running' || c.state === 'restarting' || c.state === 'paused', cause, level: index})
      }
    }
  }
  if (options.services) return {operations, warnings}

  // Networks: the project's own (labelled), never external ones.
  const networks = [...observed.networks.values()].filter((n) => n.labels[LABEL.project] === projectName)
  const declaredNetworks = new Map<string, string>()
  if (project) for (const [key, def] of Object.entries(project.networks)) if (!def.external) declaredNetworks.set(def.name, key)
  for (const n of networks.sort((a, b) => compareText(a.name, b.name))) {
    const key = n.labels[LABEL.network] ?? declaredNetworks.get(n.name) ?? n.name
    if (project && project.networks[key]?.external) continue
    operations.push({kind: 'remove-network', key, name: n.name, cause: 'down'})
  }

  // Named volumes: only with -v; only the project's own, never external.
  if (options.volumes) {
    const volumes = [...observed.volumes.values()].filter((v) => v.labels[LABEL.project] === projectName)
    for (const v of volumes.sort((a, b) => compareText(a.name, b.name))) {
      const key = v.labels[LABEL.volume] ?? v.name
      if (project && project.volumes[key]?.external) continue
      operations.push({kind: 'remove-volume', key, name: v.name, cause: 'down -v'})
    }
  } else {
    const kept = [...observed.volumes.values()].filter((v) => v.labels[LABEL.project] === projectName)
    if (kept.length > 0) warnings.push(`kept volumes: ${kept.map((v) => v.name).sort().join(', ')} (remove them with down -v)`)
  }

  // Images with --rmi.
  if (options.rmi) {
    const images = new Set<string>()
    if (project) {
      for (const service of Object.values(project.services)) {
        if (options.rmi === 'all' || !service.image) images.add(serviceImage(project, service))
      }
    } else {
      for (const c of observed.containers) {
        if (options.rmi === 'all' || c.image === `${projectName}-${c.service}`) images.add(c.image)
      }
    }
    for (const image of [...images].sort()) {
      if (findImage(observed.images, image)) operations.push({kind: 'remove-image', image, cause: `--rmi ${options.rmi}`})
    }
  }
  return {operations, warnings}
}

// ------------------------------------------------------------ text

export function describe(op: Operation): {resource: string; action: string} {
  switch (op.kind) {
    case 'pull-image':
      return {resource: `image:${op.image}`, action: 'pull'}
    case 'build-image':
      return {resource: `image:${op.image}`, action: 'build'}
    case 'remove-image':
      return {resource: `image:${op.image}`, action: 'remove'}
    case 'create-network':
      return {resource: `network:${op.name}`, action: 'create'}
    case 'remove-network':
      return {resource: `network:${op.name}`, action: 'remove'}
    case 'create-volume':
      return {resource: `volume:${op.name}`, action: 'create'}
    case 'remove-volume':
      return {resource: `volume:${op.name}`, action: 'remove'}
    case 'create-container':
      return {resource: `container:${op.name}`, action: op.start ? 'create+start' : 'create'}
    case 'recreate-container':
      return {resource: `container:${op.name}`, action: `${op.start ? 'recreate' : 'recreate (no start)'}${op.renewVolumes ? ', new anonymous volumes' : ''}`}
    case 'start-container':
      return {resource: `container:${op.name}`, action: 'start'}
    case 'rename-container':
      return {resource: `container:${op.name}`, action: op.start ? 'rename+start' : 'rename'}
    case 'restart-container':
      return {resource: `container:${op.name}`, action: 'restart'}
    case 'stop-container':
      return {resource: `container:${op.name}`, action: 'stop'}
    case 'remove-container':
      return {resource: `container:${op.name}`, action: op.running ? 'stop+remove' : 'remove'}
  }
}

/** `#1 network:demo_default  create  not found`, columns aligned; warnings after. */
export function formatPlan(plan: Plan): string {
  if (plan.operations.length === 0) return ['nothing to do: everything is up to date', ...plan.warnings.map((w) => `warning: ${w}`)].join('\n') + '\n'
  const rows = plan.operations.map((op, i) => ({n: `#${i + 1}`, ...describe(op), cause: op.cause}))
  const wn = Math.max(...rows.map((r) => r.n.length))
  const wr = Math.max(...rows.map((r) => r.resource.length))
  const wa = Math.max(...rows.map((r) => r.action.length))
  const lines = rows.map((r) => `${r.n.padEnd(wn)} ${r.resource.padEnd(wr)}  ${r.action.padEnd(wa)}  ${r.cause}`)
  for (const w of plan.warnings) lines.push(`warning: ${w}`)
  return lines.join('\n') + '\n'
}
