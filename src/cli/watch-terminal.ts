/**
 * `watch` and `up --watch` on the terminal: watch messages and exec hooks' output on stdout (hooks'
 * stderr on stderr), warnings through `warn`, and each rebuild's build and recreate shown as
 * progress rows of their own. Resolves when `signal` fires.
 */
import type {Project} from '../compose/types.js'
import type {EngineClient} from '../engine/client.js'
import type {RuntimeEngine} from '../runtime/engine-port.js'
import type {ProgressMode} from './progress.js'

export interface WatchOnTerminalOptions {
  client: EngineClient
  engine: RuntimeEngine
  project: Project
  services: readonly string[]
  progress: string
  prune?: boolean
  warn: (message: string) => void
  signal: AbortSignal
}

export async function watchOnTerminal(o: WatchOnTerminalOptions): Promise<void> {
  const [{watchProject}, {createProgress, rowsOf}] = await Promise.all([import('../runtime/watch/index.js'), import('./progress.js')])
  const mode = o.progress as ProgressMode
  let view = createProgress(mode)
  await watchProject({
    client: o.client,
    engine: o.engine,
    project: o.project,
    services: o.services,
    prune: o.prune,
    log: (line) => process.stdout.write(`${line}\n`),
    warn: o.warn,
    output: (chunk, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(chunk),
    progress: (event) => view.sink(event),
    onPlan: (plan, _phase, untouched) => view.begin([...rowsOf(plan), ...untouched]),
    onRebuildEnd: async () => {
      await view.end()
      view = createProgress(mode)
    },
    signal: o.signal,
  })
}
