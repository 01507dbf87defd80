/**
 * What a project command needs before it acts: the project (loaded from its Compose files, or
 * known by name alone: `-p NAME` with no file works from labels like docker compose), an engine
 * client, and an AbortSignal wired to Ctrl-C. Commands import this lazily inside run().
 */
import type {LoadOptions} from '../compose/load.js'
import {EngineClient} from '../engine/client.js'
import {BerthError, CancelledError} from '../errors.js'
import type {ProjectRef} from './select.js'

export interface SessionOptions {
  /** Loader options from the shared project flags. */
  load: LoadOptions
  /** Services named on the command line (activates their profiles). */
  services?: string[]
  /** The command can work from labels alone when there is no Compose file (ps, logs, stop, ...). */
  labelsOnly?: boolean
  /** Needs the model (run, pull, push): a missing Compose file is an error even with -p. */
  requireProject?: boolean
  warn?: (line: string) => void
}

export interface Session {
  ref: ProjectRef
  engine: EngineClient
  signal: AbortSignal
  close(): Promise<void>
}

export async function projectRef(options: SessionOptions): Promise<ProjectRef> {
  const {loadProject} = await import('../compose/load.js')
  const warn = options.warn ?? ((line: string) => process.stderr.write(line + '\n'))
  const byName = options.load.projectName ?? (process.env.COMPOSE_PROJECT_NAME || undefined)
  try {
    const result = await loadProject({...options.load, explicitServices: options.services && options.services.length > 0 ? options.services : undefined})
    for (const message of result.warnings) warn(`warning: ${message}`)
    return {name: result.project?.name ?? result.name, project: result.project}
  } catch (error) {
    const noFile = error instanceof BerthError && error.code === 'COMPOSE_FILE_NOT_FOUND' && !options.load.files?.length
    if (noFile && byName && options.labelsOnly && !options.requireProject) {
      const {checkProjectName} = await import('../compose/resolve.js')
      return {name: checkProjectName(byName, options.load.projectName ? 'the -p option' : 'COMPOSE_PROJECT_NAME')}
    }
    throw error
  }
}

/** Loads the project, opens the engine, and turns Ctrl-C into cancellation. */
export async function openSession(options: SessionOptions): Promise<Session> {
  const ref = await projectRef(options)
  return {ref, ...openEngine()}
}

export function openEngine(): {engine: EngineClient; signal: AbortSignal; close(): Promise<void>} {
  const controller = new AbortController()
  let interrupts = 0
  const onInterrupt = () => {
    interrupts++
    if (interrupts === 1) controller.abort(new CancelledError())
    else process.exit(130)
  }
  process.on('SIGINT', onInterrupt)
  const engine = EngineClient.fromEnvironment({signal: controller.signal})
  return {
    engine,
    signal: controller.signal,
    async close() {
      process.off('SIGINT', onInterrupt)
      await engine.close().catch(() => undefined)
      if (controller.signal.aborted) throw new CancelledError()
    },
  }
}
