/**
 * What up, create and scale share once their flags are checked: load the project (while the
 * engine client negotiates its API version), check the service names the flags mention, converge
 * with progress rows and Ctrl-C handling, print the plan on --dry-run, then hand over to the
 * command's own next step (up's --wait or attached logs). Heavy modules load inside the function.
 */
import type {Config} from '@oclif/core'
import type {Project} from '../compose/types.js'
import type {EngineClient} from '../engine/client.js'
import {UserInputError} from '../errors.js'
import type {ConvergeOptions, ConvergeOutcome} from '../runtime/converge.js'
import type {RuntimeEngine} from '../runtime/engine-port.js'
import type {Interrupts} from '../runtime/interrupts.js'
import type {ProgressMode, ProgressView} from './progress.js'
import type {ProjectFlagValues} from './project-flags.js'

export interface ConvergeInput {
  /** Services named on the command line (and, unless noDeps, what they depend on). */
  services: string[]
  /** Other service names the flags mention (--scale keys, --attach, ...): each must exist. */
  mentioned?: string[]
  progress: string
  dryRun?: boolean
  /**
   * Checks the loaded project before the first engine call (a throw changes nothing) and returns
   * the project to converge (up --watch builds the watched services again).
   */
  prepare?: (project: Project) => Project
  /** Convergence options; services, signal, progress, warn and onPlan are filled in here. */
  options: Omit<ConvergeOptions, 'services' | 'dryRun' | 'signal' | 'progress' | 'warn' | 'onPlan'>
}

export interface Converged {
  client: EngineClient
  engine: RuntimeEngine
  project: Project
  outcome: ConvergeOutcome
  view: ProgressView
  interrupts: Interrupts
  /** From now on a second Ctrl-C is the next step's to handle (up: kill the containers). */
  handOver(): void
}

/**
 * Converges; `next` runs after (not on --dry-run) and returns the process exit code. Resources
 * are released when both are done.
 */
export async function runConverge(config: Config, flags: ProjectFlagValues, input: ConvergeInput, next?: (c: Converged) => Promise<number | undefined>): Promise<void> {
  // While the project loads, the engine client negotiates its API version (a read-only ping):
  // the round trip overlaps the loader's work. Nothing that changes the engine happens before
  // the whole project has loaded and every container has been mapped (see converge).
  const clientReady = import('../engine/index.js').then(({EngineClient}) => {
    const c = EngineClient.fromEnvironment()
    c.apiVersion().catch(() => {})
    return c
  })
  clientReady.catch(() => {})
  let project: Project | undefined
  try {
    const {loadProjectFromFlags} = await import('./project-flags.js')
    project = (await loadProjectFromFlags(flags, config, {explicitServices: input.services.length > 0 ? input.services : undefined})).project
    if (!project) throw new UserInputError('NO_PROJECT', 'the Compose file did not produce a project')
    for (const name of input.mentioned ?? []) {
      if (!project.services[name]) throw new UserInputError('NO_SUCH_SERVICE', `no such service: ${name}`, {hints: [`services: ${Object.keys(project.services).sort().join(', ')}`]})
    }
    if (input.prepare) project = input.prepare(project)
  } catch (error) {
    await (await clientReady.catch(() => undefined))?.destroy().catch(() => {})
    throw error
  }

  // Only what a detached up needs; the log and wait machinery loads when it is used.
  const [client, {converge}, {runtimeEngine}, {formatPlan}, {createProgress, rowsOf}, {Interrupts}] = await Promise.all([
    clientReady,
    import('../runtime/converge.js'),
    import('../runtime/engine-adapter.js'),
    import('../runtime/plan.js'),
    import('./progress.js'),
    import('../runtime/interrupts.js'),
  ])
  const interrupts = new Interrupts().install()
  const view = createProgress(input.progress as ProgressMode)
  const warn = (m: string) => view.warn(m)
  const engine = runtimeEngine(client, warn)
  let exitCode: number | undefined
  try {
    // Until the next step takes over, a second Ctrl-C exits at once.
    let handedOver = false
    interrupts.onInterrupt((count) => {
      if (!handedOver && count >= 2) process.exit(130)
    })
    const outcome = await converge(engine, project, {
      ...input.options,
      services: input.services,
      dryRun: input.dryRun,
      signal: interrupts.signal,
      progress: view.sink,
      warn,
      onPlan: (plan, _phase, untouched) => view.begin([...rowsOf(plan), ...untouched]),
    })
    await view.end()
    if (input.dryRun) {
      process.stdout.write([outcome.imagePlan.operations.length > 0 ? formatPlan(outcome.imagePlan) : '', formatPlan(outcome.plan)].join(''))
      return
    }
    exitCode = await next?.({client, engine, project, outcome, view, interrupts, handOver: () => (handedOver = true)})
  } finally {
    await view.end().catch(() => {})
    interrupts.dispose()
    await client.close().catch(() => {})
  }
  if (exitCode) process.exitCode = exitCode
}
