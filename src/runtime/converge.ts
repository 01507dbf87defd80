/**
 * Converge: observe -> plan -> apply, independent of any command verb. Images come first (pull,
 * build) because the container plan compares image IDs: after images change, the image list is
 * observed again and the container plan is made against what is now local.
 */
import type {Project} from '../compose/types.js'
import {applyImages, applyUp, type ImageApplyOptions, type UpResult} from './apply.js'
import {containerSpec} from './container-spec.js'
import {SecretFiles} from './secret-files.js'
import type {RuntimeEngine} from './engine-port.js'
import {observe, type ObservedState} from './observe.js'
import {planImages, planUp, serviceHashes, serviceImage, selectServices, type ImagePlanOptions, type Plan, type UpPlanOptions} from './plan.js'
import {silentProgress, type ProgressSink} from './progress-events.js'

export interface ConvergeOptions extends UpPlanOptions, Omit<ImagePlanOptions, 'services'>, ImageApplyOptions {
  /** Plan only; touch nothing. */
  dryRun?: boolean
  /** Stop timeout (seconds) for recreate and scale down. */
  timeout?: number
  waitTimeoutMs?: number
  concurrency?: number
  signal?: AbortSignal
  progress?: ProgressSink
  warn?: (message: string) => void
  /**
   * Called with each phase's plan just before it is applied (progress rows); for the resources
   * phase also the rows of containers that stay as they are (shown as Running).
   */
  onPlan?: (plan: Plan, phase: 'images' | 'resources', untouched: string[]) => void
}

export interface ConvergeOutcome {
  imagePlan: Plan
  plan: Plan
  /** Absent on --dry-run. */
  result?: UpResult
  observed: ObservedState
}

export async function converge(engine: RuntimeEngine, project: Project, options: ConvergeOptions = {}): Promise<ConvergeOutcome> {
  const progress = options.progress ?? silentProgress
  const warn = options.warn ?? (() => {})
  const selected = selectServices(project, options.services, options.noDeps)
  const [apiVersion, first] = await Promise.all([engine.apiVersion(), observe(engine, project.name)])
  let observed = first
  const imagePlan = planImages(project, observed, {services: selected, pull: options.pull, build: options.build, noBuild: options.noBuild})
  // Everything is planned and mapped before the first change (pulls and builds included).
  const initial = planUp(project, observed, options)
  preflight(project, initial, apiVersion)
  if (options.dryRun) return {imagePlan, plan: initial, observed}

  let plan = initial
  if (imagePlan.operations.length > 0) {
    options.onPlan?.(imagePlan, 'images', [])
    await applyImages({engine, project, progress, signal: options.signal, quietPull: options.quietPull, quietBuild: options.quietBuild}, imagePlan)
    observed = {...observed, images: (await observe(engine, project.name)).images}
    plan = planUp(project, observed, options)
  }
  for (const w of plan.warnings) warn(w)
  const touched = new Set(plan.operations.map((op) => ('name' in op ? op.name : '')))
  const untouched = observed.containers
    .filter((c) => selected.includes(c.service) && !c.oneoff && !touched.has(c.name) && (c.state === 'running' || c.state === 'restarting'))
    .map((c) => `Container ${c.name}`)
  options.onPlan?.(plan, 'resources', untouched)
  const result = await applyUp(
    {
      engine,
      project,
      observed,
      apiVersion,
      hashes: serviceHashes(project),
      progress,
      warn,
      signal: options.signal,
      timeout: options.timeout,
      concurrency: options.concurrency,
      waitTimeoutMs: options.waitTimeoutMs,
      selected,
    },
    plan,
  )
  return {imagePlan, plan, result, observed}
}

/**
 * Maps every container the plan will create before anything is created, so that a field the
 * engine cannot carry (or a secret whose variable is unset) fails before the first change.
 */
function preflight(project: Project, plan: Plan, apiVersion: string): void {
  const files = new SecretFiles(project)
  const hashes = serviceHashes(project)
  for (const op of plan.operations) {
    if (op.kind !== 'create-container' && op.kind !== 'recreate-container') continue
    const service = project.services[op.service]
    containerSpec({
      project,
      service,
      number: op.number,
      apiVersion,
      image: serviceImage(project, service),
      configHash: hashes[op.service].hash,
      configFields: hashes[op.service].fields,
      containerOf: (name) => (project.services[name] ? `<${name}>` : undefined),
      fileOf: (kind, name) => files.check(kind, name),
    })
  }
}
