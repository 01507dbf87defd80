/**
 * Which containers a command acts on: one list call filtered by the project label (and oneoff,
 * and service names), plus the checks every command shares — a service name that does not exist
 * is one line naming it and the known services.
 *
 * A command works with a loaded Project when there is a Compose file, and from labels alone with
 * `-p NAME` and no file (like `docker compose -p NAME ps`).
 */
import type {Project} from '../compose/types.js'
import type {EngineClient} from '../engine/client.js'
import type {ContainerSummary} from '../engine/types.js'
import {UserInputError} from '../errors.js'
import {LABEL, parseDependsOn} from './labels.js'
import {compareText} from './compare.js'

/** What a command knows about the project it acts on. */
export interface ProjectRef {
  name: string
  /** The loaded model, when a Compose file was found; absent for `-p NAME` without a file. */
  project?: Project
}

export class NoSuchServiceError extends UserInputError {
  readonly service: string

  constructor(service: string, known: readonly string[]) {
    const list = known.length > 0 ? known.join(', ') : 'none'
    super('NO_SUCH_SERVICE', `no such service: ${service} (services: ${list})`)
    this.service = service
  }
}

/** A service has no container in the state the command needs (`exec` on a stopped service). */
export class NoContainerError extends UserInputError {
  constructor(message: string, hints: string[] = []) {
    super('NO_CONTAINER', message, {hints})
  }
}

/** Checks service names against the project (or, without a file, the services that have containers). */
export function checkServices(ref: ProjectRef, services: readonly string[], containers?: readonly ContainerSummary[]): void {
  if (services.length === 0) return
  const known = ref.project
    ? [...Object.keys(ref.project.services), ...Object.keys(ref.project.disabledServices)]
    : [...new Set((containers ?? []).map((c) => c.Labels?.[LABEL.service] ?? ''))].filter((s) => s !== '')
  if (!ref.project && !containers) return
  for (const service of services) {
    if (!known.includes(service)) throw new NoSuchServiceError(service, [...known].sort())
  }
}

export interface SelectOptions {
  /** Include stopped containers. */
  all?: boolean
  /** Include one-off (`run`) containers. */
  oneoff?: boolean
  /** Only these services. */
  services?: readonly string[]
  signal?: AbortSignal
}

/** The project's containers in ONE list call, sorted by service then container number. */
export async function projectContainers(engine: EngineClient, project: string, options: SelectOptions = {}): Promise<ContainerSummary[]> {
  const label = [`${LABEL.project}=${project}`]
  if (!options.oneoff) label.push(`${LABEL.oneoff}=False`)
  // One service can be filtered by the engine; several are filtered here (label filters AND).
  if (options.services?.length === 1) label.push(`${LABEL.service}=${options.services[0]}`)
  const list = await engine.containers.list({all: options.all ?? false, filters: {label}, signal: options.signal})
  const services = options.services && options.services.length > 1 ? new Set(options.services) : undefined
  return list
    .filter((c) => !services || services.has(c.Labels?.[LABEL.service] ?? ''))
    .sort((a, b) => compareText(a.Labels[LABEL.service] ?? '', b.Labels[LABEL.service] ?? '') || containerNumber(a) - containerNumber(b))
}

export function containerNumber(c: ContainerSummary): number {
  return Number(c.Labels?.[LABEL.containerNumber] ?? 0)
}

export function serviceOf(c: ContainerSummary): string {
  return c.Labels?.[LABEL.service] ?? ''
}

export function nameOf(c: ContainerSummary): string {
  const names = c.Names ?? []
  return (names.find((n) => n.lastIndexOf('/') === 0) ?? names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '')
}

/**
 * The services' dependencies: from the loaded project, else from the containers'
 * `com.docker.compose.depends_on` labels (so `-p NAME stop` still stops in the right order).
 */
export function dependencyMap(ref: ProjectRef, containers: readonly ContainerSummary[]): Map<string, string[]> {
  const deps = new Map<string, string[]>()
  if (ref.project) {
    for (const [name, service] of Object.entries(ref.project.services)) deps.set(name, Object.keys(service.depends_on ?? {}))
  }
  for (const c of containers) {
    const service = serviceOf(c)
    if (deps.has(service)) continue
    deps.set(service, parseDependsOn(c.Labels?.[LABEL.dependsOn]).map((d) => d.service))
  }
  return deps
}

export interface DependencyCondition {
  service: string
  condition: string
  required: boolean
}

/** Each service's dependencies with their conditions: from the project, else from the depends_on labels. */
export function dependencyConditions(ref: ProjectRef, containers: readonly ContainerSummary[]): Map<string, DependencyCondition[]> {
  const out = new Map<string, DependencyCondition[]>()
  if (ref.project) {
    for (const [name, service] of Object.entries(ref.project.services)) {
      out.set(name, Object.entries(service.depends_on ?? {}).map(([dep, d]) => ({service: dep, condition: d.condition, required: d.required !== false})))
    }
  }
  for (const c of containers) {
    const service = serviceOf(c)
    if (out.has(service)) continue
    out.set(service, parseDependsOn(c.Labels?.[LABEL.dependsOn]).map((d) => ({service: d.service, condition: d.condition, required: true})))
  }
  return out
}

/**
 * Services in levels: every service comes after all of its dependencies; services in one level
 * do not depend on each other and can be handled in parallel. A cycle (the loader rejects those)
 * falls back to one level per remaining service in name order.
 */
export function dependencyLevels(deps: ReadonlyMap<string, readonly string[]>): string[][] {
  const remaining = new Map([...deps].map(([service, on]) => [service, new Set(on.filter((d) => deps.has(d) && d !== service))]))
  const levels: string[][] = []
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, on]) => on.size === 0).map(([service]) => service).sort()
    const level = ready.length > 0 ? ready : [[...remaining.keys()].sort()[0]]
    for (const service of level) remaining.delete(service)
    for (const on of remaining.values()) for (const service of level) on.delete(service)
    levels.push(level)
  }
  return levels
}

/**
 * `restart SERVICE...`: the named services plus, transitively, every service that declares
 * `restart: true` on one of them (explicitly, or implicitly through links and `service:x`
 * namespaces): those must follow their dependency. From the project, else from the labels.
 */
export function withRestartDependents(ref: ProjectRef, containers: readonly ContainerSummary[], services: readonly string[]): string[] {
  const edges = new Map<string, string[]>()
  const add = (service: string, on: string[]) => {
    if (!edges.has(service)) edges.set(service, on)
  }
  if (ref.project) {
    for (const [name, service] of Object.entries(ref.project.services)) {
      add(name, Object.entries(service.depends_on ?? {}).filter(([, d]) => d.restart === true).map(([dep]) => dep))
    }
  }
  for (const c of containers) add(serviceOf(c), parseDependsOn(c.Labels?.[LABEL.dependsOn]).filter((d) => d.restart).map((d) => d.service))
  const out = new Set(services)
  for (let grew = true; grew; ) {
    grew = false
    for (const [service, on] of edges) {
      if (!out.has(service) && on.some((d) => out.has(d))) {
        out.add(service)
        grew = true
      }
    }
  }
  return [...out]
}

/** Containers of services the project does not define (none without a loaded project). */
export function orphanContainers(ref: ProjectRef, containers: readonly ContainerSummary[]): ContainerSummary[] {
  const project = ref.project
  if (!project) return []
  return containers.filter((c) => !project.services[serviceOf(c)] && !project.disabledServices[serviceOf(c)])
}
