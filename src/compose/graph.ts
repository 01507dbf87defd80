/**
 * The dependency graph of a project's active services. An edge `a -> b` means "a needs b": b starts
 * first and stops last. Edges come from `depends_on`, `links`, `volumes_from` (`service` or
 * `service:mode`, not `container:x`), and `network_mode`/`ipc`/`pid`/`uts`/`cgroup` of the form
 * `service:x`.
 * A required dependency on a service that is not active is an error naming both services; a cycle
 * is an error that prints it (`a -> b -> c -> a`).
 */
import {UserInputError} from '../errors.js'
import {ComposeFileError, type SourceFile} from './source.js'
import type {Project, ServiceConfig} from './types.js'

export const GraphCodes = {
  cycle: 'COMPOSE_DEPENDENCY_CYCLE',
  unknownService: 'COMPOSE_UNKNOWN_SERVICE',
} as const

export interface GraphOptions {
  /** When given, errors name file:line:col of the offending reference. */
  sourceOf?: (path: ReadonlyArray<string | number>) => SourceFile | undefined
}

export interface Dependency {
  service: string
  /** The attribute that made the edge: depends_on, links, volumes_from, network_mode, ipc, pid. */
  via: string
  required: boolean
  /** Where the reference is, relative to the service (`['depends_on', 'db']`). */
  path?: Array<string | number>
}

export class ServiceGraph {
  private readonly deps = new Map<string, Dependency[]>()
  private readonly dependents = new Map<string, string[]>()

  constructor(readonly services: readonly string[]) {
    for (const s of services) {
      this.deps.set(s, [])
      this.dependents.set(s, [])
    }
  }

  /** @internal */
  addEdge(from: string, to: Dependency): void {
    const list = this.deps.get(from)!
    if (list.some((d) => d.service === to.service)) return
    list.push(to)
    this.dependents.get(to.service)!.push(from)
  }

  /** Services `name` needs, in declaration order. */
  dependenciesOf(name: string): string[] {
    return (this.deps.get(name) ?? []).map((d) => d.service)
  }

  edgesOf(name: string): readonly Dependency[] {
    return this.deps.get(name) ?? []
  }

  /** Services that need `name`. */
  dependentsOf(name: string): string[] {
    return [...(this.dependents.get(name) ?? [])].sort()
  }

  /** `name` and everything it needs, transitively (for `up web` starting web's dependencies). */
  withDependencies(names: Iterable<string>): Set<string> {
    return this.closure(names, (s) => this.dependenciesOf(s))
  }

  /** `name` and everything that needs it, transitively (for `stop db` stopping its dependents). */
  withDependents(names: Iterable<string>): Set<string> {
    return this.closure(names, (s) => this.dependentsOf(s))
  }

  private closure(names: Iterable<string>, next: (s: string) => string[]): Set<string> {
    const out = new Set<string>()
    const pending = [...names]
    while (pending.length > 0) {
      const s = pending.pop()!
      if (out.has(s) || !this.deps.has(s)) continue
      out.add(s)
      pending.push(...next(s))
    }
    return out
  }

  /**
   * Groups of services that may start in parallel: every service of a level depends only on
   * services of earlier levels. Names are sorted within a level.
   */
  levels(): string[][] {
    const remaining = new Map<string, number>()
    for (const s of this.services) remaining.set(s, this.deps.get(s)!.length)
    const out: string[][] = []
    let ready = this.services.filter((s) => remaining.get(s) === 0).sort()
    while (ready.length > 0) {
      out.push(ready)
      const next: string[] = []
      for (const s of ready) {
        for (const d of this.dependents.get(s)!) {
          const left = remaining.get(d)! - 1
          remaining.set(d, left)
          if (left === 0) next.push(d)
        }
      }
      ready = next.sort()
    }
    return out
  }

  /** Start order: dependencies first. */
  order(): string[] {
    return this.levels().flat()
  }

  /** Stop order: dependents first. */
  reverseLevels(): string[][] {
    return this.levels().reverse()
  }

  stopOrder(): string[] {
    return this.reverseLevels().flat()
  }

  /** The first cycle found (`[a, b, c, a]`), or undefined. */
  findCycle(): string[] | undefined {
    const state = new Map<string, 'visiting' | 'done'>()
    const stack: string[] = []
    const visit = (s: string): string[] | undefined => {
      state.set(s, 'visiting')
      stack.push(s)
      for (const d of this.dependenciesOf(s)) {
        if (state.get(d) === 'visiting') return [...stack.slice(stack.indexOf(d)), d]
        if (state.get(d) === undefined) {
          const found = visit(d)
          if (found) return found
        }
      }
      stack.pop()
      state.set(s, 'done')
      return undefined
    }
    for (const s of [...this.services].sort()) {
      if (state.get(s) === undefined) {
        const found = visit(s)
        if (found) return found
      }
    }
    return undefined
  }
}

/** Modes that may name another service as `service:<name>`. */
export const SERVICE_MODES = ['network_mode', 'ipc', 'pid', 'uts', 'cgroup'] as const

/**
 * Every service a service names, with the attribute that names it (first mention wins), in the
 * order docker compose reads them: depends_on, links, `service:x` modes, volumes_from.
 */
export function serviceReferences(service: ServiceConfig): Dependency[] {
  const out: Dependency[] = []
  const add = (name: string, via: string, path: Array<string | number>, required = true): void => {
    if (!out.some((d) => d.service === name)) out.push({service: name, via, required, path})
  }
  for (const [name, spec] of Object.entries(service.depends_on ?? {})) add(name, 'depends_on', ['depends_on', name], spec?.required !== false)
  if (Array.isArray(service.links)) service.links.forEach((link, i) => add(String(link).split(':')[0], 'links', ['links', i]))
  for (const mode of SERVICE_MODES) {
    const ref = service[mode]
    if (typeof ref === 'string' && ref.startsWith('service:')) add(ref.slice('service:'.length), mode, [mode])
  }
  if (Array.isArray(service.volumes_from)) {
    service.volumes_from.forEach((entry, i) => {
      const text = String(entry)
      if (!text.startsWith('container:')) add(text.split(':')[0], 'volumes_from', ['volumes_from', i])
    })
  }
  return out
}

/** The graph of `project.services`; errors on references to inactive services and on cycles. */
export function buildGraph(project: Pick<Project, 'services'> & Partial<Pick<Project, 'disabledServices'>>, options: GraphOptions = {}): ServiceGraph {
  const names = Object.keys(project.services)
  const graph = new ServiceGraph(names)
  const fail = (code: string, message: string, path: Array<string | number>, hints?: string[]): never => {
    const source = options.sourceOf?.(path)
    if (source) throw new ComposeFileError(code, message, {source, path}, hints)
    throw new UserInputError(code, message, {hints})
  }
  for (const name of names) {
    for (const ref of serviceReferences(project.services[name])) {
      if (!project.services[ref.service]) {
        if (!ref.required) continue
        const disabled = project.disabledServices?.[ref.service]
        const what = ref.via === 'depends_on' ? 'depends on' : `refers to (${ref.via})`
        if (disabled) {
          fail(GraphCodes.unknownService, `service "${name}" ${what} service "${ref.service}", which is not active`, ['services', name, ...(ref.path ?? [])],
            disabled.profiles?.length ? [`enable it with --profile ${disabled.profiles[0]}`] : undefined)
        }
        fail(GraphCodes.unknownService, `service "${name}" ${what} undefined service "${ref.service}"`, ['services', name, ...(ref.path ?? [])])
      }
      graph.addEdge(name, ref)
    }
  }
  const cycle = graph.findCycle()
  if (cycle) {
    const edge = graph.edgesOf(cycle[0]).find((d) => d.service === cycle[1])
    fail(GraphCodes.cycle, `dependency cycle: ${cycle.join(' -> ')}`, ['services', cycle[0], ...(edge?.path ?? [])],
      ['remove one of these dependencies'])
  }
  return graph
}
