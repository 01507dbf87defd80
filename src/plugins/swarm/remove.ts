/**
 * `stack rm`: everything labelled with the stack's namespace — services first, then secrets,
 * configs and networks, as the docker CLI removes them. A network whose last tasks are still
 * shutting down is retried for a while instead of failing the removal.
 */
import {stackFilter, type SwarmApi} from './api.js'
import {BerthError} from '../sdk/index.js'

export interface RemoveOptions {
  signal?: AbortSignal
  report(line: string): void
  warn(message: string): void
  /** How long a network in use may be retried, ms (default 30 s). */
  networkRetryMs?: number
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    }, {once: true})
  })

function byName<T>(name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0)
}

/** Removes one stack; returns false when nothing of it was found. Failures are collected, not thrown one by one. */
export async function removeStack(api: SwarmApi, stack: string, options: RemoveOptions): Promise<{found: boolean; failures: string[]}> {
  const {signal} = options
  const filter = stackFilter(stack)
  const [services, secrets, configs, networks] = await Promise.all([
    api.services(filter, {signal}),
    api.fileObjects('secrets', filter, {signal}),
    api.fileObjects('configs', filter, {signal}),
    api.networks(filter, {signal}),
  ])
  if (services.length + secrets.length + configs.length + networks.length === 0) return {found: false, failures: []}
  const failures: string[] = []
  const attempt = async (what: string, fn: () => Promise<void>) => {
    options.report(`Removing ${what}`)
    try {
      await fn()
    } catch (error) {
      failures.push(`failed to remove ${what}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  for (const s of services.sort(byName((x) => x.Spec.Name))) await attempt(`service ${s.Spec.Name}`, () => api.removeService(s.ID, {signal}))
  for (const s of secrets.sort(byName((x) => x.Spec.Name))) await attempt(`secret ${s.Spec.Name}`, () => api.removeFileObject('secrets', s.ID, {signal}))
  for (const c of configs.sort(byName((x) => x.Spec.Name))) await attempt(`config ${c.Spec.Name}`, () => api.removeFileObject('configs', c.ID, {signal}))
  const deadline = Date.now() + (options.networkRetryMs ?? 30_000)
  for (const n of networks.sort(byName((x) => x.Name))) {
    await attempt(`network ${n.Name}`, async () => {
      for (;;) {
        try {
          return await api.removeNetwork(n.Id, {signal})
        } catch (error) {
          const inUse = error instanceof BerthError && /active endpoints|in use/i.test(error.message)
          if (!inUse || Date.now() > deadline || signal?.aborted) throw error
          await sleep(250, signal)
        }
      }
    })
  }
  return {found: true, failures}
}
