/**
 * depends_on conditions: wait until a dependency's containers are started, healthy, or exited 0.
 * A dependency that turns unhealthy, exits non-zero or dies stops `up` with an error naming the
 * service, its state and its last log lines.
 */
import {BerthError, CancelledError} from '../errors.js'
import type {ContainerInspect} from '../engine/types.js'
import type {RuntimeEngine} from './engine-port.js'

export type Condition = 'service_started' | 'service_healthy' | 'service_completed_successfully'

export class DependencyFailedError extends BerthError {
  constructor(message: string, logs: string, hints: string[] = []) {
    super('DEPENDENCY_FAILED', message, {context: logs ? indent(logs) : undefined, hints})
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `  | ${l}`)
    .join('\n')
}

export interface WaitOptions {
  /** The service that waits (named in errors). */
  dependent: string
  signal?: AbortSignal
  /** Give up after this long (ms); default: no limit other than the dependency's own state. */
  timeoutMs?: number
  /** Poll interval (ms). */
  intervalMs?: number
}

/** Why a container fails a condition for good, or undefined while it may still meet it. */
function verdict(condition: Condition, info: ContainerInspect): 'ok' | 'wait' | {failed: string} {
  const state = info.State
  switch (condition) {
    case 'service_started':
      return state.Status === 'created' ? 'wait' : 'ok'
    case 'service_healthy': {
      const health = state.Health?.Status
      if (state.Status === 'exited' || state.Status === 'dead') return {failed: `exited with code ${state.ExitCode}`}
      if (health === undefined || health === 'none') {
        const hc = info.Config.Healthcheck as {Test?: string[]} | undefined
        if (!hc || !hc.Test || hc.Test[0] === 'NONE') return {failed: 'has no healthcheck'}
      }
      if (health === 'healthy') return 'ok'
      if (health === 'unhealthy') return {failed: 'is unhealthy'}
      if (state.Restarting) return {failed: `is restarting (exit code ${state.ExitCode})`}
      return 'wait'
    }
    case 'service_completed_successfully':
      if (state.Status === 'exited' || state.Status === 'dead') return state.ExitCode === 0 ? 'ok' : {failed: `exited with code ${state.ExitCode}`}
      return 'wait'
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, {once: true})
  })

/** Waits until every container of the dependency meets the condition. */
export async function waitForCondition(engine: RuntimeEngine, dependency: string, containers: Array<{id: string; name: string}>, condition: Condition, options: WaitOptions): Promise<void> {
  const deadline = options.timeoutMs ? Date.now() + options.timeoutMs : Infinity
  const interval = options.intervalMs ?? 200
  const pending = new Map(containers.map((c) => [c.id, c.name]))
  while (pending.size > 0) {
    if (options.signal?.aborted) throw new CancelledError()
    const results = await Promise.all([...pending].map(async ([id, name]) => ({id, name, info: await engine.inspectContainer(id)})))
    for (const {id, name, info} of results) {
      const v = verdict(condition, info)
      if (v === 'ok') pending.delete(id)
      else if (v !== 'wait') {
        const logs = await engine.containerLogTail(id, 10).catch(() => '')
        const state = info.State.Health?.Status && info.State.Status === 'running' ? `${info.State.Status}, ${info.State.Health.Status}` : info.State.Status
        throw new DependencyFailedError(
          `dependency "${dependency}" of service "${options.dependent}" failed: ${name} ${v.failed} (state: ${state})${logs ? '; last log lines:' : ''}`,
          logs,
          v.failed === 'has no healthcheck' ? [`add a healthcheck to "${dependency}", or use condition: service_started`] : [`see all its output with \`berth logs ${dependency}\``],
        )
      }
    }
    if (pending.size === 0) return
    if (Date.now() > deadline) {
      throw new DependencyFailedError(`dependency "${dependency}" of service "${options.dependent}" did not become ${condition.replace('service_', '').replace('_', ' ')} in time (${[...pending.values()].join(', ')})`, '')
    }
    await sleep(interval, options.signal)
  }
}
