/**
 * --wait (up, start): every container of the chosen services running, and healthy when it has a
 * healthcheck; a container that exited with code 0 counts as done, any other exit (or unhealthy)
 * is an error carrying the last lines of its log.
 */
import type {EngineClient} from '../engine/client.js'
import {BerthError} from '../errors.js'
import {parallel} from './apply.js'
import {runtimeEngine} from './engine-adapter.js'
import type {RuntimeEngine} from './engine-port.js'
import type {ProgressSink} from './progress-events.js'
import {nameOf, projectContainers, serviceOf} from './select.js'

export interface ReadyOptions {
  timeoutMs?: number
  signal?: AbortSignal
  progress?: ProgressSink
}

/** --wait: every container of the selection running (and healthy when it has a healthcheck). */
export async function waitForReady(engine: RuntimeEngine, containers: Record<string, Array<{id: string; name: string}>>, options: ReadyOptions): Promise<void> {
  const deadline = options.timeoutMs ? Date.now() + options.timeoutMs : Infinity
  const all = Object.entries(containers).flatMap(([service, list]) => list.map((c) => ({...c, service})))
  await parallel(all, 8, async (c) => {
    for (;;) {
      if (options.signal?.aborted) return
      const info = await engine.inspectContainer(c.id)
      const s = info.State
      const health = s.Health?.Status
      if (s.Status === 'running' && (health === undefined || health === 'none' || health === 'healthy')) {
        options.progress?.({resource: `Container ${c.name}`, status: health === 'healthy' ? 'Healthy' : 'Running'})
        return
      }
      if (s.Status === 'exited' && s.ExitCode === 0) {
        options.progress?.({resource: `Container ${c.name}`, status: 'Exited'})
        return
      }
      if (s.Status === 'exited' || s.Status === 'dead' || health === 'unhealthy') {
        const logs = await engine.containerLogTail(c.id, 10).catch(() => '')
        throw new BerthError('NOT_READY', `service "${c.service}": ${c.name} ${health === 'unhealthy' ? 'is unhealthy' : `exited with code ${s.ExitCode}`}`, {
          context: logs ? logs.trimEnd().split('\n').map((l) => `  | ${l}`).join('\n') : undefined,
        })
      }
      if (Date.now() > deadline) throw new BerthError('WAIT_TIMEOUT', `service "${c.service}": ${c.name} is not ready after the --wait-timeout (${s.Status}${health ? `, ${health}` : ''})`)
      options.progress?.({resource: `Container ${c.name}`, status: 'Waiting'})
      await new Promise((r) => setTimeout(r, 250))
    }
  })
}

/**
 * start --wait: the project's containers of these services (all when none are named), as they are
 * now, until ready. Calls onRows with their progress rows first; resolves with how many there were.
 */
export async function waitForServices(engine: EngineClient, project: string, services: readonly string[], options: ReadyOptions & {onRows?: (rows: string[]) => void}): Promise<number> {
  const list = await projectContainers(engine, project, {all: true, services, signal: options.signal})
  const containers: Record<string, Array<{id: string; name: string}>> = {}
  for (const c of list) (containers[serviceOf(c)] ??= []).push({id: c.Id, name: nameOf(c)})
  options.onRows?.(list.map((c) => `Container ${nameOf(c)}`))
  await waitForReady(runtimeEngine(engine), containers, options)
  return list.length
}
