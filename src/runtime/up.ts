/**
 * `up`: converge, then either return (-d), wait until everything is running/healthy (--wait), or
 * stay attached: stream every container's logs through the multiplexer until all stop, stop the
 * project on Ctrl-C (a second Ctrl-C kills), and with --abort-on-container-exit stop everything
 * when the first container exits (--abort-on-container-failure: exits with a non-zero code).
 */
import type {Project} from '../compose/types.js'
import type {EngineClient} from '../engine/client.js'
import type {EngineEvent} from '../engine/types.js'
import {parallel} from './apply.js'
import {converge, type ConvergeOptions, type ConvergeOutcome} from './converge.js'
import type {RuntimeEngine} from './engine-port.js'
import {LABEL} from './labels.js'
import {exitCodeOf, projectLogs} from './project-logs.js'

export type UpOptions = ConvergeOptions

export {waitForReady} from './ready.js'

export async function up(engine: RuntimeEngine, project: Project, options: UpOptions = {}): Promise<ConvergeOutcome> {
  return converge(engine, project, options)
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
  /** Stop everything when the first container exits with a non-zero code. */
  abortOnContainerFailure?: boolean
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
  let interrupted = false

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
    interrupted = true
    if (count === 1) {
      options.notice('Gracefully stopping... (press Ctrl+C again to force)')
      stopping = stopAll(false)
    } else {
      options.notice('Killing...')
      stopping = stopAll(true)
    }
  })

  let events: (AsyncIterable<EngineEvent> & {destroy(): void}) | undefined
  const aborting = options.abortOnContainerExit || options.abortOnContainerFailure || options.exitCodeFrom !== undefined
  const onExit = (service: string | undefined, name: string, code: number) => {
    if (!aborting || !service || (!options.services.includes(service) && service !== options.exitCodeFrom)) return
    if (options.exitCodeFrom === service) exitCode = code
    // Containers stopped by Ctrl-C (or by an abort already under way) do not start another one.
    if (exitFromFirst !== undefined || interrupted) return
    const failed = code !== 0
    if (options.abortOnContainerExit || (options.abortOnContainerFailure && failed)) {
      exitFromFirst = code
      const why = options.abortOnContainerExit ? 'exit' : 'failure'
      options.notice(`Aborting on container ${why}... (${name} exited with code ${code})`)
      stopping ??= stopAll(false)
    }
  }
  if (aborting) {
    const label = [`${LABEL.project}=${project.name}`, `${LABEL.oneoff}=False`]
    events = await client.system.events({filters: {type: ['container'], event: ['die'], label}, signal: logsAbort.signal})
    // A container can exit between its start and this subscription: the listing tells of those.
    const exitedBefore = (await engine.listContainers({all: true, filters: {label, status: ['exited', 'dead']}})).filter((c) => c.State === 'exited' || c.State === 'dead')
    const seen = new Set<string>()
    for (const c of exitedBefore) {
      seen.add(c.Id)
      onExit(c.Labels[LABEL.service], (c.Names?.[0] ?? c.Id).replace(/^\//, ''), Number(exitCodeOf(c.Status)) || 0)
    }
    void (async () => {
      try {
        for await (const event of events!) {
          // Its exit was in the listing already.
          if (seen.delete(event.Actor.ID)) continue
          onExit(event.Actor.Attributes[LABEL.service], event.Actor.Attributes.name, Number(event.Actor.Attributes.exitCode ?? 0))
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
      announceExited: true,
      // The logs also see exits the event stream below can miss (see projectLogs' reconcile).
      onExit: (exit) => onExit(exit.service, exit.container, exit.code),
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
