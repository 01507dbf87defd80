/**
 * `down`: remove what `up` made, in reverse dependency order: containers, then networks, then
 * (with -v) the project's named volumes and (with --rmi) images. Works from labels alone when no
 * Compose file is at hand (`down -p NAME`).
 */
import type {Project} from '../compose/types.js'
import {applyDown} from './apply.js'
import type {RuntimeEngine} from './engine-port.js'
import {observe} from './observe.js'
import {planDown, type DownPlanOptions, type Plan} from './plan.js'
import {silentProgress, type ProgressSink} from './progress-events.js'

export interface DownOptions extends DownPlanOptions {
  dryRun?: boolean
  timeout?: number
  signal?: AbortSignal
  progress?: ProgressSink
  warn?: (message: string) => void
  onPlan?: (plan: Plan) => void
}

export async function down(engine: RuntimeEngine, projectName: string, project: Project | undefined, options: DownOptions = {}): Promise<Plan> {
  const observed = await observe(engine, projectName, {images: options.rmi !== undefined})
  const plan = planDown(project, projectName, observed, options)
  if (options.dryRun) return plan
  for (const w of plan.warnings) options.warn?.(w)
  options.onPlan?.(plan)
  await applyDown({engine, progress: options.progress ?? silentProgress, signal: options.signal, timeout: options.timeout, volumes: options.volumes, project}, plan)
  return plan
}
