/**
 * `up`: converge, then either return (-d), wait until everything is running/healthy (--wait), or
 * stay attached: stream every container's logs through the multiplexer until all stop, stop the
 * project on Ctrl-C (a second Ctrl-C kills), and with --abort-on-container-exit stop everything
 * when the first container exits.
 */
import type {Project} from '../compose/types.js'
import type {EngineClient} from '../engine/client.js'
import type {EngineEvent} from '../engine/types.js'
import {BerthError} from '../errors.js'
import {parallel} from './apply.js'
import {converge, type ConvergeOptions, type ConvergeOutcome} from './converge.js'
import type {RuntimeEngine} from './engine-port.js'
import {LABEL} from './labels.js'
import {projectLogs} from './project-logs.js'
import type {ProgressSink} from './progress-events.js'

export type UpOptions = ConvergeOptions

export async function up(engine: RuntimeEngine, project: Project, options: UpOptions = {}): Promise<ConvergeOutcome> {
  return converge(engine, project, options)
}

/** --wait: every container of the selection running (and healthy when it has a healthcheck). */
export async function waitForReady(engine: RuntimeEngine, containers: Record<string, Array<{id: string; name: string}>>, options: {timeoutMs?: number; signal?: AbortSignal; progress?: ProgressSink}): Promise<void> {
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

export interface AttachedOptions {
  project: Project
  /** Services whose logs are shown (--attach / --no-attach applied). */
  services: string[]
  color: boolean
  prefix: boolean
  timestamps?: boolean
  out: NodeJS.WritableStream
  /** Stop everything when the first container exits. */
  abortOnContainerExit?: boolean
  /** The exit code of `up` is this service's container exit code. */
  exitCodeFrom?: string
  timeout?: number
  /** Called once with a line to print (Gracefully stopping..., Aborting...). */
  notice: (line: string) => void
  /** Ctrl-C: first press stops gracefully, the second kills. */
  interrupts: {onInterrupt(handler: (count: number) => void): void}
}

/** Attached `up`: logs until everything stops; returns the process exit code. */
export async function attached(client: EngineClient, engine: RuntimeEngine, options: AttachedOptions): Promise<number> {
  const {project} = options
  const logsAbort = new AbortController()
  let stopping: Promise<void> | undefined
  let exitCode = 0
  let exitFromFirst: number | undefined

  const stopAll = async (kill: boolean) => {
    const list = await engine.listContainers({all: false, filters: {label: [`${LABEL.project}=${project.name}`, `${LABEL.oneoff}=False`]}})
    await parallel(list, 8, async (c) => {
      try {
        if (kill) await engine.killContainer(c.Id)
        else await engine.stopContainer(c.Id, options.timeout)
      } catch {
        // Already gone or stopped.
      }
    })
  }
  options.interrupts.onInterrupt((count) => {
    if (count === 1) {
      options.notice('Gracefully stopping... (press Ctrl+C again to force)')
      stopping = stopAll(false)
    } else {
      options.notice('Killing...')
      stopping = stopAll(true)
    }
  })

  let events: (AsyncIterable<EngineEvent> & {destroy(): void}) | undefined
  if (options.abortOnContainerExit || options.exitCodeFrom) {
    events = await client.system.events({filters: {type: ['container'], event: ['die'], label: [`${LABEL.project}=${project.name}`, `${LABEL.oneoff}=False`]}, signal: logsAbort.signal})
    void (async () => {
      try {
        for await (const event of events!) {
          const service = event.Actor.Attributes[LABEL.service]
          if (!options.services.includes(service) && service !== options.exitCodeFrom) continue
          const code = Number(event.Actor.Attributes.exitCode ?? 0)
          if (options.exitCodeFrom === service) exitCode = code
          if (exitFromFirst === undefined && options.abortOnContainerExit) {
            exitFromFirst = code
            options.notice(`Aborting on container exit... (${event.Actor.Attributes.name} exited with code ${code})`)
            stopping ??= stopAll(false)
          }
        }
      } catch {
        // The stream ends when logs end.
      }
    })()
  }

  try {
    if (options.services.length === 0) {
      // Nothing to show (every service has attach: false): wait until the project stops.
      while (!logsAbort.signal.aborted) {
        const running = await engine.listContainers({all: false, filters: {label: [`${LABEL.project}=${project.name}`, `${LABEL.oneoff}=False`]}})
        if (running.length === 0) break
        await new Promise((r) => setTimeout(r, 500))
      }
    } else await projectLogs(client, {name: project.name, project}, {
      services: options.services,
      follow: true,
      color: options.color,
      prefix: options.prefix,
      timestamps: options.timestamps,
      out: options.out,
      signal: logsAbort.signal,
    })
  } finally {
    logsAbort.abort()
    events?.destroy()
  }
  if (stopping) await stopping
  if (options.exitCodeFrom) {
    const list = await engine.listContainers({all: true, filters: {label: [`${LABEL.project}=${project.name}`, `${LABEL.service}=${options.exitCodeFrom}`, `${LABEL.oneoff}=False`]}})
    if (list[0]) exitCode = (await engine.inspectContainer(list[0].Id)).State.ExitCode
    return exitCode
  }
  return exitFromFirst !== undefined && exitFromFirst !== 0 ? exitFromFirst : 0
}
