/**
 * The `local` target's door into the core runtime: one engine client per operation (found the
 * way every command finds it: DOCKER_HOST, contexts, the default socket), closed afterwards.
 * The engine client and runtime are imported only when the target runs.
 */
import type {EngineClient} from '../../engine/client.js'
import type {RuntimeEngine} from '../../runtime/engine-port.js'
import type {TargetContext} from '../sdk/index.js'

export async function withLocalEngine<T>(ctx: TargetContext, fn: (engine: RuntimeEngine, client: EngineClient) => Promise<T>): Promise<T> {
  const [{EngineClient}, {runtimeEngine}] = await Promise.all([import('../../engine/client.js'), import('../../runtime/engine-adapter.js')])
  const client = new EngineClient({signal: ctx.signal})
  try {
    return await fn(runtimeEngine(client, ctx.warn), client)
  } finally {
    await client.close()
  }
}

/** Shows the latest status of each resource as the task's output, e.g. "Container demo-web-1  Started". */
export function progressOutput(ctx: TargetContext): (event: {resource: string; status: string; detail?: string}) => void {
  const latest = new Map<string, string>()
  return (event) => {
    latest.set(event.resource, event.status)
    ctx.progress.output([...latest].map(([resource, status]) => `${resource}  ${status}`).join('\n'))
  }
}
