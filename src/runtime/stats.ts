/**
 * `stats`: the resource use of the project's containers (one-off ones too, as in docker compose),
 * in the docker CLI's columns and units: CPU % from two samples (the engine's `precpu_stats`, else
 * the previous sample of the stream), memory without the page cache, network and block I/O
 * totals, PIDs.
 *
 * `sampleStats` asks every container for one sample in parallel (`--no-stream`, about a second in
 * all); `watchStats` keeps one stats stream per running container, follows starts, stops and
 * removals through the engine's events, and hands over the rows once per round (when every running
 * container has a new sample, or at the latest every two seconds).
 */
import {EngineClient} from '../engine/client.js'
import type {ContainerSummary, EngineEvent} from '../engine/types.js'
import {containerStats, streamContainerStats, type CpuStats, type StatsSample} from '../engine/resources/stats.js'
import {NotFoundError} from '../engine/errors.js'
import {LABEL} from './labels.js'
import {checkServices, containerNumber, nameOf, projectContainers, serviceOf, type ProjectRef} from './select.js'
import {binarySize, decimalSize} from './go-units.js'
import type {FormatItem, FormatSchema} from './template-format.js'

/** One container's figures, as numbers. */
export interface StatsRow {
  /** The full container ID. */
  id: string
  name: string
  cpuPercent: number
  /** Memory in use without the page cache, bytes. */
  memory: number
  memoryLimit: number
  memoryPercent: number
  netRx: number
  netTx: number
  blockRead: number
  blockWrite: number
  pids: number
}

/** The row of a container that is not running (what docker shows for one: all zeros). */
export function idleRow(id: string, name: string): StatsRow {
  return {id, name, cpuPercent: 0, memory: 0, memoryLimit: 0, memoryPercent: 0, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 0}
}

/**
 * CPU % as the docker CLI computes it on Linux: the container's CPU time over the host's in the
 * same interval, times the number of CPUs. The interval is the engine's own (`precpu_stats`) when
 * it sent one, else the `previous` sample; without either it is 0.
 */
export function cpuPercent(sample: StatsSample, previous?: StatsSample): number {
  const now = sample.cpu_stats
  let before: CpuStats | undefined = sample.precpu_stats
  if (!before?.system_cpu_usage && previous?.cpu_stats?.system_cpu_usage) before = previous.cpu_stats
  if (!now || !before?.system_cpu_usage) return 0
  const cpuDelta = (now.cpu_usage?.total_usage ?? 0) - (before.cpu_usage?.total_usage ?? 0)
  const systemDelta = (now.system_cpu_usage ?? 0) - (before.system_cpu_usage ?? 0)
  const cpus = now.online_cpus || now.cpu_usage?.percpu_usage?.length || 0
  if (cpuDelta <= 0 || systemDelta <= 0) return 0
  return (cpuDelta / systemDelta) * cpus * 100
}

/** Memory in use without the inactive page cache (cgroup v1 `total_inactive_file`, v2 `inactive_file`). */
export function memoryUsage(memory: StatsSample['memory_stats']): number {
  const usage = memory?.usage ?? 0
  const stats = memory?.stats ?? {}
  if ('total_inactive_file' in stats && stats.total_inactive_file < usage) return usage - stats.total_inactive_file
  if ((stats.inactive_file ?? 0) < usage) return usage - (stats.inactive_file ?? 0)
  return usage
}

/** The figures of one sample; `previous` is the sample before it on the same stream. */
export function statsRow(sample: StatsSample, container: {id: string; name: string}, previous?: StatsSample): StatsRow {
  const memory = memoryUsage(sample.memory_stats)
  const memoryLimit = sample.memory_stats?.limit ?? 0
  let netRx = 0
  let netTx = 0
  for (const network of Object.values(sample.networks ?? {})) {
    netRx += network.rx_bytes ?? 0
    netTx += network.tx_bytes ?? 0
  }
  let blockRead = 0
  let blockWrite = 0
  for (const entry of sample.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = entry.op.toLowerCase()
    if (op === 'read') blockRead += entry.value
    else if (op === 'write') blockWrite += entry.value
  }
  return {
    id: sample.id || container.id,
    name: (sample.name ?? '').replace(/^\//, '') || container.name,
    cpuPercent: cpuPercent(sample, previous),
    memory,
    memoryLimit,
    memoryPercent: memoryLimit > 0 ? (memory / memoryLimit) * 100 : 0,
    netRx,
    netTx,
    blockRead,
    blockWrite,
    pids: sample.pids_stats?.current ?? 0,
  }
}

// --- formatting ----------------------------------------------------------------------------------

export const STATS_SCHEMA: FormatSchema = {
  headers: {
    Container: 'CONTAINER',
    ID: 'CONTAINER ID',
    Name: 'NAME',
    CPUPerc: 'CPU %',
    MemUsage: 'MEM USAGE / LIMIT',
    MemPerc: 'MEM %',
    NetIO: 'NET I/O',
    BlockIO: 'BLOCK I/O',
    PIDs: 'PIDS',
  },
  defaultTable: '{{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}',
}

/** A row's fields as the templates see them (`{{.CPUPerc}}` = `0.13%`). */
export function statsItem(row: StatsRow, options: {noTrunc?: boolean} = {}): FormatItem {
  return {
    fields: {
      BlockIO: `${decimalSize(row.blockRead)} / ${decimalSize(row.blockWrite)}`,
      CPUPerc: `${row.cpuPercent.toFixed(2)}%`,
      Container: row.id,
      ID: options.noTrunc ? row.id : row.id.slice(0, 12),
      MemPerc: `${row.memoryPercent.toFixed(2)}%`,
      MemUsage: `${binarySize(row.memory)} / ${binarySize(row.memoryLimit)}`,
      Name: row.name,
      NetIO: `${decimalSize(row.netRx)} / ${decimalSize(row.netTx)}`,
      PIDs: String(row.pids),
    },
  }
}

// --- collecting ----------------------------------------------------------------------------------

export interface StatsOptions {
  services?: readonly string[]
  /** Stopped containers too (shown with zeros). */
  all?: boolean
  signal?: AbortSignal
}

/** The containers `stats` shows: the project's (one-offs included), running unless `all`. */
export async function statsContainers(engine: EngineClient, ref: ProjectRef, options: StatsOptions): Promise<ContainerSummary[]> {
  const services = options.services ?? []
  if (ref.project) checkServices(ref, services)
  const containers = await projectContainers(engine, ref.name, {all: options.all, oneoff: true, services, signal: options.signal})
  if (!ref.project && services.length > 0 && containers.length === 0) {
    checkServices(ref, services, await projectContainers(engine, ref.name, {all: true, oneoff: true, signal: options.signal}))
  }
  return containers
    .map((c) => ({c, key: displayKey(serviceOf(c), isOneOff(c), containerNumber(c), nameOf(c))}))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map(({c}) => c)
}

function isOneOff(c: ContainerSummary): boolean {
  return (c.Labels?.[LABEL.oneoff] ?? '').toLowerCase() === 'true'
}

type DisplayKey = [service: string, oneoff: number, number: number, name: string]

/** Display order: by service, its numbered containers before its one-offs, then by number and name. */
function displayKey(service: string, oneoff: boolean, number: number, name: string): DisplayKey {
  return [service, oneoff ? 1 : 0, number, name]
}

function compareKeys(a: DisplayKey, b: DisplayKey): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1
    if (a[i] > b[i]) return 1
  }
  return 0
}

/**
 * A client for many long requests at once (one stats stream or one-second sample per
 * container): the same engine and API version, more connections than the shared client's pool.
 */
async function wideClient(engine: EngineClient, containers: number, signal?: AbortSignal): Promise<EngineClient> {
  return new EngineClient({endpoint: engine.endpoint, apiVersion: await engine.apiVersion(signal), connections: Math.max(16, containers + 8), signal})
}

/** One sample of every container, in parallel (`--no-stream`); a container removed meanwhile is left out. */
export async function sampleStats(engine: EngineClient, containers: readonly ContainerSummary[], signal?: AbortSignal): Promise<StatsRow[]> {
  if (containers.length === 0) return []
  const client = containers.length > 12 ? await wideClient(engine, containers.length, signal) : engine
  try {
    const rows = await Promise.all(
      containers.map(async (c) => {
        if (c.State !== 'running' && c.State !== 'paused' && c.State !== 'restarting') return idleRow(c.Id, nameOf(c))
        try {
          return statsRow(await containerStats(client, c.Id, {signal}), {id: c.Id, name: nameOf(c)})
        } catch (error) {
          if (error instanceof NotFoundError) return undefined
          throw error
        }
      }),
    )
    return rows.filter((r): r is StatsRow => r !== undefined)
  } finally {
    if (client !== engine) await client.close()
  }
}

export interface WatchOptions extends StatsOptions {
  /** The rows of one round, in display order. */
  onRound: (rows: StatsRow[]) => void
  /** At the latest, a round is shown this long after the previous one (ms, default 2000). */
  maxWaitMs?: number
}

interface Tracked {
  id: string
  name: string
  service: string
  number: number
  oneoff: boolean
  running: boolean
  row?: StatsRow
  previous?: StatsSample
  fresh: boolean
  /** Bumped on every (re)start, so that an old stream's samples are ignored. */
  generation: number
}

/** Streams until the signal aborts; rows go to `onRound` once per round. */
export async function watchStats(engine: EngineClient, ref: ProjectRef, options: WatchOptions): Promise<void> {
  const services = options.services ?? []
  if (ref.project) checkServices(ref, services)
  const signal = options.signal
  const maxWaitMs = options.maxWaitMs ?? 2000
  // Subscribe first, then list: a container that starts in between is still seen.
  const events = await engine.system.events({filters: {type: ['container'], label: [`${LABEL.project}=${ref.name}`]}, signal})
  const containers = await statsContainers(engine, ref, options)
  const client = await wideClient(engine, Math.max(containers.length, 8) * 2, signal)
  const tracked = new Map<string, Tracked>()
  let lastRound = Date.now()
  let shownOnce = false

  const round = () => {
    lastRound = Date.now()
    shownOnce = true
    for (const t of tracked.values()) t.fresh = false
    const rows = [...tracked.values()]
      .sort((a, b) => compareKeys(displayKey(a.service, a.oneoff, a.number, a.name), displayKey(b.service, b.oneoff, b.number, b.name)))
      .map((t) => t.row ?? idleRow(t.id, t.name))
    options.onRound(rows)
  }
  const maybeRound = () => {
    const waiting = [...tracked.values()].filter((t) => t.running && !t.fresh)
    if (waiting.length === 0) round()
  }

  const follow = (t: Tracked) => {
    const generation = ++t.generation
    void (async () => {
      try {
        const stream = await streamContainerStats(client, t.id, {signal})
        for await (const sample of stream as AsyncIterable<StatsSample>) {
          if (t.generation !== generation) break
          // A stopped container's stream may send one empty sample; it is not a reading.
          if (!sample.read || sample.read.startsWith('0001-')) continue
          // A stream's first sample has no earlier reading to compute CPU % from: shown only
          // if a round is due before the second one comes.
          const measured = Boolean(sample.precpu_stats?.system_cpu_usage || t.previous)
          t.row = statsRow(sample, t, t.previous)
          t.previous = sample
          if (measured) {
            t.fresh = true
            maybeRound()
          }
        }
      } catch {
        // The container went away or stopped; the events say which.
      }
      if (t.generation === generation && !signal?.aborted) stopped(t.id)
    })()
  }

  const add = (id: string, name: string, service: string, number: number, oneoff: boolean, running: boolean) => {
    if (services.length > 0 && !services.includes(service)) return
    let t = tracked.get(id)
    if (t?.running && running) return
    if (!t) {
      t = {id, name, service, number, oneoff, running, fresh: false, generation: 0}
      tracked.set(id, t)
    }
    t.running = running
    if (running) {
      t.previous = undefined
      follow(t)
    } else t.row = idleRow(id, name)
  }
  const stopped = (id: string) => {
    const t = tracked.get(id)
    if (!t || !t.running) return
    t.running = false
    t.generation++
    t.previous = undefined
    if (options.all) t.row = idleRow(t.id, t.name)
    else tracked.delete(id)
    maybeRound()
  }

  for (const c of containers) add(c.Id, nameOf(c), serviceOf(c), containerNumber(c), isOneOff(c), c.State === 'running' || c.State === 'paused' || c.State === 'restarting')
  if (tracked.size === 0 || [...tracked.values()].every((t) => !t.running)) round()

  const timer = setInterval(() => {
    const late = Date.now() - lastRound >= maxWaitMs
    if (late && (!shownOnce || [...tracked.values()].some((t) => t.fresh))) round()
  }, Math.min(250, maxWaitMs))

  try {
    for await (const event of events as AsyncIterable<EngineEvent>) {
      const attrs = event.Actor?.Attributes ?? {}
      const id = event.Actor?.ID ?? event.id ?? ''
      const name = attrs.name ?? id.slice(0, 12)
      const service = attrs[LABEL.service] ?? ''
      const number = Number(attrs[LABEL.containerNumber] ?? 0)
      const oneoff = (attrs[LABEL.oneoff] ?? '').toLowerCase() === 'true'
      switch (event.Action) {
        case 'start':
          add(id, name, service, number, oneoff, true)
          break
        case 'create':
          if (options.all) {
            add(id, name, service, number, oneoff, false)
            maybeRound()
          }
          break
        case 'die':
          stopped(id)
          break
        case 'rename': {
          const t = tracked.get(id)
          if (t) t.name = name
          break
        }
        case 'destroy':
          if (tracked.delete(id)) maybeRound()
          break
      }
    }
  } catch (error) {
    if (!signal?.aborted) throw error
  } finally {
    clearInterval(timer)
    for (const t of tracked.values()) t.generation++
    events.destroy()
    await client.destroy()
  }
}

// --- output ------------------------------------------------------------------------------------

/**
 * Where rounds go: on a terminal the table is redrawn in place (cursor home, each line cleared
 * to its end, the rest of the screen cleared); otherwise each round is appended, a table's
 * rounds separated by an empty line.
 */
export function roundWriter(out: NodeJS.WritableStream & {isTTY?: boolean}, table: boolean): (text: string) => void {
  if (out.isTTY) {
    return (text) => {
      const lines = text.split('\n')
      if (lines.at(-1) === '') lines.pop()
      out.write('\u001B[H' + lines.map((line) => line + '\u001B[K\n').join('') + '\u001B[J')
    }
  }
  let first = true
  return (text) => {
    if (text === '') return
    out.write((table && !first ? '\n' : '') + text)
    first = false
  }
}
