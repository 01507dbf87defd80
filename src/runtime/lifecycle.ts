/**
 * start, stop, restart, kill, rm, pause, unpause: one list call for the project's containers,
 * then one engine call per container, in dependency order (stop and rm in reverse), parallel
 * within a level. Each finished step is reported as `Container <name>  <Status>` like compose.
 * planLifecycle is the --dry-run: the same selection, returned as steps instead of done.
 */
import type {EngineClient} from '../engine/client.js'
import type {ContainerSummary} from '../engine/types.js'
import type {DryRunStep} from './dry-run.js'
import {runtimeEngine} from './engine-adapter.js'
import {LABEL, parseDependsOn} from './labels.js'
import type {ProgressStatus} from './progress-events.js'
import {
  NoContainerError,
  checkServices,
  dependencyConditions,
  dependencyLevels,
  dependencyMap,
  nameOf,
  orphanContainers,
  projectContainers,
  serviceOf,
  withRestartDependents,
  type DependencyCondition,
  type ProjectRef,
} from './select.js'
import {waitForCondition, type Condition} from './wait-conditions.js'

export type LifecycleVerb = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'rm'

/** One step's progress: `Container demo-web-1  Stopping` / `Stopped`. */
export interface LifecycleEvent {
  container: string
  service: string
  status: ProgressStatus
}

export interface LifecycleOptions {
  services?: readonly string[]
  /** stop/restart/rm -s: seconds before SIGKILL (the container's stop_grace_period when absent). */
  timeout?: number
  /** kill -s */
  killSignal?: string
  /** rm -v: also remove anonymous volumes. */
  volumes?: boolean
  /** rm -s: stop running containers first (otherwise rm only takes stopped ones). */
  stopFirst?: boolean
  /**
   * restart SERVICE...: also restart the services that declare `restart: true` on a named one,
   * after it (`restart --no-deps` leaves this off).
   */
  restartDependents?: boolean
  /** kill --remove-orphans: then remove the containers of services the Compose file does not define. */
  removeOrphans?: boolean
  report?: (event: LifecycleEvent) => void
  /** Called once with the names of the containers about to be acted on (progress rows). */
  onTargets?: (names: string[]) => void
  signal?: AbortSignal
}

interface VerbPlan {
  /** Which containers the verb acts on, from an `all: true` list. */
  select: (c: ContainerSummary) => boolean
  order: 'forward' | 'reverse' | 'none'
  doing: ProgressStatus
  done: ProgressStatus
}

const RUNNING = new Set(['running', 'restarting', 'paused'])

const VERBS: Record<LifecycleVerb, VerbPlan> = {
  start: {select: (c) => c.State === 'exited' || c.State === 'created', order: 'forward', doing: 'Starting', done: 'Started'},
  stop: {select: (c) => RUNNING.has(c.State), order: 'reverse', doing: 'Stopping', done: 'Stopped'},
  restart: {select: (c) => c.State !== 'removing' && c.State !== 'dead', order: 'forward', doing: 'Restarting', done: 'Started'},
  kill: {select: (c) => RUNNING.has(c.State), order: 'none', doing: 'Killing', done: 'Killed'},
  pause: {select: (c) => c.State === 'running', order: 'none', doing: 'Pausing', done: 'Paused'},
  unpause: {select: (c) => c.State === 'paused', order: 'none', doing: 'Unpausing', done: 'Unpaused'},
  rm: {select: (c) => !RUNNING.has(c.State), order: 'reverse', doing: 'Removing', done: 'Removed'},
}

/** What `rm` would remove (for its confirmation prompt), without touching anything. */
export async function removableContainers(engine: EngineClient, ref: ProjectRef, options: LifecycleOptions = {}): Promise<ContainerSummary[]> {
  const services = options.services ?? []
  const containers = await projectContainers(engine, ref.name, {all: true, services, signal: options.signal})
  checkServices(ref, services, ref.project ? undefined : containers)
  return containers.filter((c) => options.stopFirst || VERBS.rm.select(c))
}

/** What a verb acts on, from one list call. */
export interface LifecycleSelection {
  /** The containers of the services concerned, whatever their state. */
  all: ContainerSummary[]
  /** Those the verb acts on. */
  targets: ContainerSummary[]
  /** kill --remove-orphans: containers of services the Compose file does not define. */
  orphans: ContainerSummary[]
  /** The services named on the command line. */
  named: string[]
}

async function selectTargets(engine: EngineClient, ref: ProjectRef, verb: LifecycleVerb, options: LifecycleOptions): Promise<LifecycleSelection> {
  const named = [...(options.services ?? [])]
  const withDependents = verb === 'restart' && options.restartDependents === true && named.length > 0
  const removeOrphans = verb === 'kill' && options.removeOrphans === true
  // Dependents and orphans are found among all of the project's containers (still one list call).
  const listed = await projectContainers(engine, ref.name, {all: true, services: withDependents || removeOrphans ? [] : named, signal: options.signal})
  checkServices(ref, named, ref.project ? undefined : listed)
  const services = withDependents ? withRestartDependents(ref, listed, named) : named
  const all = services.length > 0 ? listed.filter((c) => services.includes(serviceOf(c))) : listed
  const orphans = removeOrphans ? orphanContainers(ref, listed) : []
  const targets = all.filter((c) => (verb === 'rm' && options.stopFirst ? true : VERBS[verb].select(c)))
  if (verb === 'start' && all.length === 0) {
    throw new NoContainerError(`project "${ref.name}" has no containers to start${services.length > 0 ? ` for ${services.join(', ')}` : ''}`, ['create them with `berth up -d`'])
  }
  return {all, targets, orphans, named}
}

/** Runs a verb on the project's containers; resolves with the containers it acted on. */
export async function runLifecycle(engine: EngineClient, ref: ProjectRef, verb: LifecycleVerb, options: LifecycleOptions = {}): Promise<ContainerSummary[]> {
  const {all, targets, orphans} = await selectTargets(engine, ref, verb, options)
  options.onTargets?.([...new Set([...targets, ...orphans].map(nameOf))])
  const report = options.report ?? (() => {})
  await runVerb(engine, ref, verb, all, targets, options, report)
  if (orphans.length === 0) return targets
  await Promise.all(orphans.map(async (c) => {
    const container = nameOf(c)
    report({container, service: serviceOf(c), status: 'Removing'})
    await engine.containers.remove(c.Id, {force: true, signal: options.signal})
    report({container, service: serviceOf(c), status: 'Removed'})
  }))
  return [...new Set([...targets, ...orphans])]
}

/**
 * --dry-run: what runLifecycle would do, as steps in the order it would take them, found with the
 * same one list call and the same checks (an unknown service, `start` with no containers).
 */
export async function planLifecycle(engine: EngineClient, ref: ProjectRef, verb: LifecycleVerb, options: LifecycleOptions = {}): Promise<DryRunStep[]> {
  return lifecycleSteps(ref, verb, await selectTargets(engine, ref, verb, options), options)
}

/** The steps of a selection, in the verb's order: dependencies first (start, restart), dependents first (stop, rm), else as listed; orphans last. */
export function lifecycleSteps(ref: ProjectRef, verb: LifecycleVerb, selection: LifecycleSelection, options: Pick<LifecycleOptions, 'killSignal' | 'volumes' | 'stopFirst'> = {}): DryRunStep[] {
  const {all, targets, orphans, named} = selection
  const plan = VERBS[verb]
  let ordered = targets
  if (plan.order !== 'none') {
    const levels = dependencyLevels(dependencyMap(ref, all))
    if (plan.order === 'reverse') levels.reverse()
    const rank = new Map(levels.flat().map((service, i) => [service, i]))
    ordered = [...targets].sort((a, b) => (rank.get(serviceOf(a)) ?? rank.size) - (rank.get(serviceOf(b)) ?? rank.size))
  }
  const conditions = verb === 'start' ? dependencyConditions(ref, all) : new Map<string, DependencyCondition[]>()
  const steps = ordered.map((c): DryRunStep => {
    const service = serviceOf(c)
    const causes: string[] = [c.State]
    if (verb === 'restart' && named.length > 0 && !named.includes(service)) causes.push(`restart: true on ${restartedDependencies(ref, c, named).join(', ') || 'a restarted service'}`)
    for (const dep of conditions.get(service) ?? []) {
      if (dep.condition !== 'service_started' && all.some((d) => serviceOf(d) === dep.service)) causes.push(`after ${dep.service} ${CONDITION_WORDS[dep.condition] ?? dep.condition}`)
    }
    if (verb === 'rm' && options.volumes) causes.push('with its anonymous volumes')
    return {resource: `container:${nameOf(c)}`, action: actionOf(verb, c, options), cause: causes.join('; ')}
  })
  for (const c of orphans) steps.push({resource: `container:${nameOf(c)}`, action: 'remove', cause: `orphan: service "${serviceOf(c)}" is not in the Compose file`})
  return steps
}

const CONDITION_WORDS: Record<string, string> = {service_healthy: 'is healthy', service_completed_successfully: 'completed successfully'}

function actionOf(verb: LifecycleVerb, c: ContainerSummary, options: Pick<LifecycleOptions, 'killSignal' | 'stopFirst'>): string {
  if (verb === 'kill') return `kill ${options.killSignal ?? 'SIGKILL'}`
  if (verb === 'rm') return RUNNING.has(c.State) ? 'stop+remove' : 'remove'
  return verb
}

/** The named services a dependent is restarted for (`restart: true` on them), from the project, else its labels. */
function restartedDependencies(ref: ProjectRef, c: ContainerSummary, named: readonly string[]): string[] {
  const service = ref.project?.services[serviceOf(c)]
  const deps = service
    ? Object.entries(service.depends_on ?? {}).filter(([, d]) => d.restart === true).map(([dep]) => dep)
    : parseDependsOn(c.Labels?.[LABEL.dependsOn]).filter((d) => d.restart).map((d) => d.service)
  const direct = deps.filter((d) => named.includes(d))
  return direct.length > 0 ? direct : deps
}

/** The verb on its targets: all at once, or level by level in (reverse) dependency order. */
async function runVerb(
  engine: EngineClient,
  ref: ProjectRef,
  verb: LifecycleVerb,
  all: ContainerSummary[],
  targets: ContainerSummary[],
  options: LifecycleOptions,
  report: (event: LifecycleEvent) => void,
): Promise<void> {
  const plan = VERBS[verb]
  const act = async (c: ContainerSummary) => {
    const container = nameOf(c)
    const service = serviceOf(c)
    report({container, service, status: plan.doing})
    await perform(engine, verb, c, options)
    report({container, service, status: plan.done})
  }

  if (plan.order === 'none') {
    await Promise.all(targets.map(act))
    return
  }
  const levels = dependencyLevels(dependencyMap(ref, all))
  if (plan.order === 'reverse') levels.reverse()
  const conditions = verb === 'start' ? dependencyConditions(ref, all) : new Map()
  for (const level of levels) {
    await Promise.all(
      level.map(async (service) => {
        const mine = targets.filter((c) => serviceOf(c) === service)
        if (mine.length === 0) return
        // Like `up`: a dependency must be healthy / have completed before its dependents start.
        for (const dep of conditions.get(service) ?? []) {
          if (dep.condition === 'service_started') continue
          const depContainers = all.filter((c) => serviceOf(c) === dep.service).map((c) => ({id: c.Id, name: nameOf(c)}))
          if (depContainers.length === 0) continue
          await waitForCondition(runtimeEngine(engine), dep.service, depContainers, dep.condition as Condition, {dependent: service, signal: options.signal})
        }
        await Promise.all(mine.map(act))
      }),
    )
  }
}

async function perform(engine: EngineClient, verb: LifecycleVerb, c: ContainerSummary, options: LifecycleOptions): Promise<void> {
  const signal = options.signal
  switch (verb) {
    case 'start':
      await engine.containers.start(c.Id, {signal})
      return
    case 'stop':
      await engine.containers.stop(c.Id, {timeout: options.timeout, signal})
      return
    case 'restart':
      await engine.containers.restart(c.Id, {timeout: options.timeout, signal})
      return
    case 'kill':
      await engine.containers.kill(c.Id, {killSignal: options.killSignal, signal})
      return
    case 'pause':
      await engine.containers.pause(c.Id, {signal})
      return
    case 'unpause':
      await engine.containers.unpause(c.Id, {signal})
      return
    case 'rm':
      if (RUNNING.has(c.State)) await engine.containers.stop(c.Id, {timeout: options.timeout, signal})
      await engine.containers.remove(c.Id, {volumes: options.volumes, force: true, signal})
      return
  }
}
