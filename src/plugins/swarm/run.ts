/**
 * A stack deploy from a loaded Project, shared by `berth stack deploy` and `berth deploy --target
 * swarm`: convert and check everything (stack name, fields, secret and config contents) before the
 * first engine call, then deploy, then — unless detached — wait for the services to converge.
 */
import type {Project} from '../sdk/index.js'
import {BerthError} from '../sdk/index.js'
import {stackFilter, type SwarmApi} from './api.js'
import {convertStack} from './convert/stack.js'
import {deployStack, type DeployResult, type ResolveImage} from './deploy.js'
import {readFileObjects} from './files.js'
import {removeStack} from './remove.js'
import {localDigestResolver, registryAuthHeader, withSwarm} from './session.js'

export interface StackDeployOptions {
  prune?: boolean
  resolveImage?: ResolveImage
  withRegistryAuth?: boolean
  /** Wait until every created or updated service runs its desired tasks. */
  wait?: boolean
  signal?: AbortSignal
  report(line: string): void
  warn(message: string): void
  debug?(message: string): void
}

export async function runStackDeploy(project: Project, stack: string, options: StackDeployOptions): Promise<DeployResult> {
  const plan = convertStack(project, stack)
  const env = project.environment
  const [secrets, configs] = await Promise.all([
    readFileObjects('secret', plan.secrets, env, project.workingDir),
    readFileObjects('config', plan.configs, env, project.workingDir),
  ])
  for (const line of plan.warnings) options.warn(line)
  return withSwarm(
    async (api) => {
      const result = await deployStack(api, plan, {secrets, configs}, {
        ...options,
        resolveDigest: localDigestResolver(api.engine, options.signal),
        registryAuth: registryAuthHeader,
      })
      if (options.wait) await waitForServices(api, stack, [...result.created, ...result.updated], options)
      return result
    },
    {signal: options.signal},
  )
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until each named service runs as many tasks as it wants (or its update failed). */
export async function waitForServices(api: SwarmApi, stack: string, names: string[], options: Pick<StackDeployOptions, 'signal' | 'report'>): Promise<void> {
  const pending = new Set(names)
  while (pending.size > 0 && !options.signal?.aborted) {
    const services = await api.services(stackFilter(stack), {status: true, signal: options.signal})
    for (const s of services) {
      if (!pending.has(s.Spec.Name)) continue
      const update = (s as {UpdateStatus?: {State?: string; Message?: string}}).UpdateStatus
      if (update?.State === 'paused' || update?.State === 'rollback_completed' || update?.State === 'rollback_paused') {
        throw new BerthError('STACK_SERVICE_FAILED', `service ${s.Spec.Name} did not converge: update ${update.State.replace('_', ' ')}${update.Message ? ` (${update.Message})` : ''}`)
      }
      const status = s.ServiceStatus
      const settled = update?.State === undefined || update.State === 'completed'
      const job = s.Spec.Mode.ReplicatedJob !== undefined || s.Spec.Mode.GlobalJob !== undefined
      if (status && settled && (job ? status.RunningTasks === 0 && (status.CompletedTasks ?? 0) > 0 : status.RunningTasks === status.DesiredTasks)) {
        options.report(`Service ${s.Spec.Name} converged (${status.RunningTasks}/${status.DesiredTasks} running)`)
        pending.delete(s.Spec.Name)
      }
    }
    if (pending.size > 0) await sleep(500)
  }
}

export interface StackRemoveOptions {
  signal?: AbortSignal
  report(line: string): void
  warn(message: string): void
}

/** Removes each stack; a stack with nothing in it is a warning, failures end in one error. */
export async function runStackRemove(stacks: string[], options: StackRemoveOptions): Promise<void> {
  await withSwarm(async (api) => {
    const failures: string[] = []
    for (const stack of stacks) {
      const result = await removeStack(api, stack, options)
      if (!result.found) options.warn(`Nothing found in stack: ${stack}`)
      failures.push(...result.failures)
    }
    if (failures.length > 0) {
      throw new BerthError('STACK_REMOVE_FAILED', failures[0]!, {hints: failures.length > 1 ? [`and ${failures.length - 1} more: ${failures.slice(1).join('; ')}`] : []})
    }
  }, {signal: options.signal})
}
