/**
 * `logs` for a whole project: every selected container's log stream through one LogMultiplexer.
 * With `follow`, containers that start later are picked up from the engine's events stream (the
 * subscription opens before the list call, so none slips through), a container's death prints
 * `web-1 exited with code 0`, and the command ends when no container of the selection is running
 * any more and every stream has drained.
 */
import type {Readable} from 'node:stream'
import type {EngineClient} from '../engine/client.js'
import type {ContainerSummary, EngineEvent} from '../engine/types.js'
import {EngineUnreachableError} from '../engine/errors.js'
import {UserInputError} from '../errors.js'
import {LABEL} from './labels.js'
import {LogMultiplexer} from './logs.js'
import {NoContainerError, checkServices, containerNumber, nameOf, projectContainers, type ProjectRef} from './select.js'
import {durationToNanos} from './units.js'

/** `since` marker: after the container's previous run ended. */
const RESTARTED = 'restarted'

/** RFC 3339 with nanoseconds -> the engine's `seconds.nanoseconds`. */
export function unixNanos(time: string): string | undefined {
  const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time)
  const ms = match ? Date.parse(match[1] + match[3]) : Number.NaN
  if (!match || Number.isNaN(ms) || ms <= 0) return undefined
  return `${Math.floor(ms / 1000)}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}`
}

/** How often `logs -f` checks the containers it thinks are running against the engine's list. */
const RECONCILE_MS = 2000

/** How long `logs -f` waits after the last container stopped, for a restart's start event. */
const STOP_GRACE_MS = 2000

export interface ProjectLogsOptions {
  services?: readonly string[]
  /** Only the container with this number (container-number label) of the one service named. */
  index?: number
  follow?: boolean
  /** Lines from the end of each container's log. */
  tail?: number | 'all'
  /** A timestamp (RFC 3339 or unix seconds) or a relative duration ("10m", "1h30m"). */
  since?: string
  until?: string
  timestamps?: boolean
  color: boolean
  prefix: boolean
  out: NodeJS.WritableStream
  signal?: AbortSignal
  /**
   * With follow: a container that has already exited when the logs attach gets its `exited with
   * code N` line after its output, as if its exit had been seen (attached `up`: a container can
   * exit before the logs attach).
   */
  announceExited?: boolean
  /** With follow: how often the containers thought running are checked against the engine (ms). */
  reconcileMs?: number
  /** With follow: called once per container exit that is announced (attached `up` aborts on it). */
  onExit?: (exit: {id: string; service: string; container: string; code: number}) => void
  /**
   * With follow: how long to wait, once nothing runs, for a start (a restart's stop and start are
   * separate events) before ending. Default 2000 ms; 0 ends at once.
   */
  stopGraceMs?: number
}

/** What `logs` prefixes lines with: `web-1`, or the whole name for a `container_name`. */
export function logName(c: ContainerSummary): string {
  return shortName(nameOf(c), c.Labels ?? {})
}

/**
 * `web-1` for a container with the default name, also while a recreate's replacement still has its
 * temporary name (`<id>_demo-web-1`, renamed once it runs); the whole name for a `container_name`.
 */
function shortName(name: string, labels: Record<string, string>): string {
  const project = labels[LABEL.project] ?? ''
  const byDefault = `${project}-${labels[LABEL.service] ?? ''}-${labels[LABEL.containerNumber] ?? ''}`
  const final = /^[0-9a-f]{12}_(.+)$/.exec(name)?.[1] ?? name
  return final === byDefault ? final.slice(project.length + 1) : name
}

/**
 * The engine wants unix seconds for since/until; like the docker CLI, accept RFC 3339 dates and
 * durations relative to now too.
 */
export function engineTimestamp(value: string, nowMs = Date.now()): string {
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return text
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return ((nowMs - durationToNanos(text) / 1e6) / 1000).toFixed(3)
  const parsed = Date.parse(text)
  if (Number.isNaN(parsed)) throw new UserInputError('BAD_TIMESTAMP', `"${value}" is not a timestamp (use 2026-01-02T15:04:05Z, unix seconds, or a duration like 10m)`)
  return (parsed / 1000).toFixed(3)
}

export async function projectLogs(engine: EngineClient, ref: ProjectRef, options: ProjectLogsOptions): Promise<void> {
  const requested = options.services ?? []
  const index = options.index
  if (index !== undefined && new Set(requested).size !== 1) {
    throw new UserInputError('BAD_INDEX', '--index needs exactly one service', {hints: [`berth logs --index ${index} ${requested[0] ?? 'SERVICE'}`]})
  }
  const services = requested.length > 0 ? requested : ref.project ? Object.keys(ref.project.services) : []
  const abort = new AbortController()
  const onAbort = () => abort.abort()
  options.signal?.addEventListener('abort', onAbort, {once: true})
  const signal = abort.signal
  const since = options.since ? engineTimestamp(options.since) : undefined
  const until = options.until ? engineTimestamp(options.until) : undefined
  const mux = new LogMultiplexer({out: options.out, err: options.out, color: options.color, prefix: options.prefix})

  // Subscribe first, then list: a container starting in between is seen by one or the other.
  const events = options.follow
    ? await engine.system.events({
        filters: {type: ['container'], event: ['start', 'die'], label: [`${LABEL.project}=${ref.name}`, `${LABEL.oneoff}=False`]},
        signal,
      })
    : undefined
  try {
    const listed = await projectContainers(engine, ref.name, {all: true, services, signal})
    checkServices(ref, requested, ref.project ? undefined : listed)
    const containers = index === undefined ? listed : listed.filter((c) => containerNumber(c) === index)
    if (index !== undefined && containers.length === 0) {
      const numbers = listed.map(containerNumber)
      throw new NoContainerError(`service "${requested[0]}" has no container with index ${index} (${numbers.length > 0 ? `containers: ${numbers.join(', ')}` : 'it has no containers'})`)
    }
    for (const c of containers) mux.register(logName(c))

    const streaming = new Set<string>()
    const running = new Set(containers.filter((c) => c.State === 'running' || c.State === 'restarting').map((c) => c.Id))
    const known = new Map(containers.map((c) => [c.Id, {name: logName(c), container: nameOf(c), service: c.Labels?.[LABEL.service] ?? ''}]))
    const pumps = new Set<Promise<void>>()
    let wake: (() => void) | undefined
    const changed = () => wake?.()

    // A container restarted while its old stream is still draining: follow again once it ends.
    const seen = new Set<string>()
    const resume = new Map<string, {name: string; since: string | undefined}>()
    // Each exit is announced once, whether its event or the first listing told of it: keyed by the
    // container and how many starts of it were seen.
    const starts = new Map<string, number>()
    const announced = new Set<string>()
    const announce = (id: string, name: string, code: string) => {
      const key = `${id}:${starts.get(id) ?? 0}`
      if (announced.has(key)) return
      announced.add(key)
      mux.status(name, `${name} exited with code ${code}`)
      options.onExit?.({id, service: known.get(id)?.service ?? '', container: known.get(id)?.container ?? name, code: Number(code) || 0})
    }
    const follow = (id: string, name: string, logSince: string | undefined, onEnd?: () => void) => {
      if (streaming.has(id)) {
        resume.set(id, {name, since: logSince})
        return
      }
      streaming.add(id)
      seen.add(id)
      const pump = (async () => {
        const info = await engine.containers.inspect(id, {signal})
        const tty = info.Config.Tty === true
        // A restarted container: its output after its previous run ended (whose lines were shown).
        // Not StartedAt, as compose uses: the process may print before the engine records it.
        const from = logSince === RESTARTED ? unixNanos(info.State.FinishedAt) : logSince
        const res = await engine.stream({
          method: 'GET',
          path: `/containers/${encodeURIComponent(id)}/logs`,
          query: {stdout: true, stderr: true, follow: options.follow, timestamps: options.timestamps, since: from, until, tail: options.tail === undefined ? undefined : String(options.tail)},
          meanings: {404: 'no such container'},
          subject: {kind: 'container', ref: id},
          signal,
        })
        await mux.pump(name, res.body as Readable & AsyncIterable<Buffer>, tty)
        onEnd?.()
      })()
        .catch((error: unknown) => {
          if (!signal.aborted) throw error
        })
        .finally(() => {
          streaming.delete(id)
          pumps.delete(pump)
          const again = resume.get(id)
          resume.delete(id)
          if (again && !signal.aborted) follow(id, again.name, again.since)
          changed()
        })
      pumps.add(pump)
    }

    for (const c of containers) {
      const exited = options.announceExited && events && (c.State === 'exited' || c.State === 'dead')
      follow(c.Id, logName(c), since, exited ? () => announce(c.Id, logName(c), exitCodeOf(c.Status)) : undefined)
    }

    if (!events) {
      await Promise.all([...pumps])
      return
    }

    const watched = (attrs: Record<string, string>) =>
      (services.length === 0 || services.includes(attrs[LABEL.service] ?? '')) && (index === undefined || Number(attrs[LABEL.containerNumber]) === index)
    const eventLoop = (async () => {
      for await (const event of events as AsyncIterable<EngineEvent>) {
        const attrs = event.Actor?.Attributes ?? {}
        if (!watched(attrs)) continue
        const id = event.Actor.ID
        const name = logNameFromAttributes(attrs)
        if (!known.has(id)) known.set(id, {name, container: attrs.name ?? name, service: attrs[LABEL.service] ?? ''})
        if (event.Action === 'start') {
          starts.set(id, (starts.get(id) ?? 0) + 1)
          running.add(id)
          mux.register(name)
          follow(id, name, seen.has(id) ? RESTARTED : undefined)
        } else if (event.Action === 'die') {
          running.delete(id)
          announce(id, name, attrs.exitCode ?? '?')
          // A restart policy brings it back; keep waiting for it.
          try {
            const state = (await engine.containers.inspect(id, {signal})).State
            if (state.Restarting || state.Running) running.add(id)
          } catch {
            // Removed meanwhile: it is not running.
          }
        }
        changed()
      }
      if (!signal.aborted) throw new EngineUnreachableError(engine.endpoint.host, 'the event stream ended (did the engine stop?)')
    })().catch((error: unknown) => {
      if (!signal.aborted) throw error
    })

    // Wait until nothing of the selection runs and every stream drained. A stop that is part of a
    // restart (`berth restart`, a restart policy) is followed by a start within moments: wait a
    // short grace period for one before calling the project stopped.
    // The engine can list a container as running after it has sent that container's `die` (its
    // state view lags the event), and then the event is missed if it came before the subscription.
    // Every few seconds the containers thought running are checked against one list call.
    const reconcile = async () => {
      try {
        const live = new Set((await projectContainers(engine, ref.name, {services, signal})).map((c) => c.Id))
        for (const id of [...running]) {
          if (live.has(id)) continue
          const state = (await engine.containers.inspect(id, {signal}).catch(() => undefined))?.State
          if (state?.Running || state?.Restarting) continue
          running.delete(id)
          const name = known.get(id)?.name ?? id.slice(0, 12)
          announce(id, name, state ? String(state.ExitCode ?? '?') : '?')
        }
      } catch {
        // The event loop reports an unreachable engine.
      }
    }
    const settle = async (ms: number) => {
      const next = new Promise<void>((resolve) => {
        wake = resolve
      })
      const failed = Promise.race([...pumps, eventLoop]).then(() => undefined)
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms)
      })
      await Promise.race([next, failed, timeout])
      clearTimeout(timer)
    }
    for (;;) {
      while (!signal.aborted && (running.size > 0 || pumps.size > 0)) {
        await settle(options.reconcileMs ?? RECONCILE_MS)
        if (!signal.aborted && running.size > 0) await reconcile()
      }
      if (signal.aborted) break
      const deadline = Date.now() + (options.stopGraceMs ?? STOP_GRACE_MS)
      while (!signal.aborted && running.size === 0 && pumps.size === 0 && Date.now() < deadline) await settle(deadline - Date.now())
      if (running.size === 0 && pumps.size === 0) break
    }
    abort.abort()
    await eventLoop
    await Promise.allSettled([...pumps])
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    abort.abort()
    events?.destroy()
  }
}

/** The exit code in a container list's Status (`Exited (3) 2 seconds ago`). */
export function exitCodeOf(status: string | undefined): string {
  return /\((-?\d+)\)/.exec(status ?? '')?.[1] ?? '?'
}

function logNameFromAttributes(attrs: Record<string, string>): string {
  return shortName(attrs.name ?? '', attrs)
}

