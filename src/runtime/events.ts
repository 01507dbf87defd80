/**
 * `events`: the project's container events as they happen (one-off containers left out), as text
 * lines like docker compose (`2026-11-22 15:00:00.123456 container start <id> (image=..., name=...)`)
 * or one JSON object per line with `--json`. Compose's own labels are left out of the attributes.
 */
import type {EngineClient} from '../engine/client.js'
import type {EngineEvent} from '../engine/types.js'
import {LABEL} from './labels.js'
import {engineTimestamp} from './project-logs.js'
import {checkServices, type ProjectRef} from './select.js'

export interface ProjectEvent {
  time: Date
  /** Nanoseconds, for the text format's microseconds. */
  timeNano: bigint
  service: string
  id: string
  action: string
  attributes: Record<string, string>
}

export function toProjectEvent(event: EngineEvent): ProjectEvent {
  const attributes: Record<string, string> = {}
  for (const [key, value] of Object.entries(event.Actor?.Attributes ?? {})) if (!key.startsWith('com.docker.compose.') && !key.startsWith('dev.berth.')) attributes[key] = value
  const timeNano = event.timeNano ? BigInt(event.timeNano) : BigInt(event.time) * 1_000_000_000n
  return {
    time: new Date(Number(timeNano / 1_000_000n)),
    timeNano,
    service: event.Actor?.Attributes?.[LABEL.service] ?? '',
    id: event.Actor?.ID ?? event.id ?? '',
    action: event.Action,
    attributes,
  }
}

/** `2006-01-02 15:04:05.000000 container <action> <id> (k=v, ...)` in local time, like Go's Format. */
export function formatEventText(e: ProjectEvent): string {
  const d = e.time
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  const micros = Number((e.timeNano / 1000n) % 1_000_000n)
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)}`
  const attrs = Object.entries(e.attributes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
  return `${stamp} container ${e.action} ${e.id} (${attrs})`
}

export function formatEventJson(e: ProjectEvent): string {
  return JSON.stringify({time: e.time.toISOString(), type: 'container', service: e.service, id: e.id, action: e.action, attributes: e.attributes})
}

export interface EventsOptions {
  services?: readonly string[]
  since?: string
  until?: string
  onEvent: (event: ProjectEvent) => void
  signal?: AbortSignal
}

/** Streams events until the signal fires (or `until` is reached). */
export async function projectEvents(engine: EngineClient, ref: ProjectRef, options: EventsOptions): Promise<void> {
  const services = options.services ?? []
  if (ref.project) checkServices(ref, services)
  const stream = await engine.system.events({
    filters: {type: ['container'], label: [`${LABEL.project}=${ref.name}`]},
    since: options.since ? engineTimestamp(options.since) : undefined,
    until: options.until ? engineTimestamp(options.until) : undefined,
    signal: options.signal,
  })
  try {
    for await (const event of stream as AsyncIterable<EngineEvent>) {
      if (event.Type !== 'container') continue
      const attrs = event.Actor?.Attributes ?? {}
      if ((attrs[LABEL.oneoff] ?? '').toLowerCase() === 'true') continue
      if (services.length > 0 && !services.includes(attrs[LABEL.service] ?? '')) continue
      options.onEvent(toProjectEvent(event))
    }
  } catch (error) {
    if (!options.signal?.aborted) throw error
  } finally {
    stream.destroy()
  }
}
