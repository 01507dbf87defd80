/**
 * Container statistics: GET /containers/{id}/stats. With `stream: false` the engine answers one
 * sample whose `precpu_stats` holds the sample taken a second earlier (so a CPU percentage can be
 * computed from one answer; the call takes about a second for a running container and returns at
 * once, with zeros, for a stopped one). With `stream: true` it sends one JSON sample per second
 * until the container stops or the connection closes.
 */
import type {Readable} from 'node:stream'
import type {EngineClient} from '../client.js'
import type {StatusMeanings} from '../errors.js'
import {JsonLinesDecoder} from '../streams/json-lines.js'
import {enc, type CommonOptions} from './containers.js'

export const STATS_MEANINGS: StatusMeanings = {404: 'no such container', 500: 'cannot read container statistics'}

export interface CpuUsage {
  total_usage?: number
  percpu_usage?: number[] | null
  usage_in_kernelmode?: number
  usage_in_usermode?: number
}

export interface CpuStats {
  cpu_usage?: CpuUsage
  /** Host CPU time in nanoseconds (Linux); absent or 0 before the first reading. */
  system_cpu_usage?: number
  online_cpus?: number
}

export interface BlkioEntry {
  major?: number
  minor?: number
  op: string
  value: number
}

export interface NetworkStats {
  rx_bytes?: number
  tx_bytes?: number
  [key: string]: number | undefined
}

/** One sample, with the fields Berth reads (the engine sends more). */
export interface StatsSample {
  /** RFC 3339; `0001-01-01T00:00:00Z` for a container that is not running. */
  read?: string
  preread?: string
  /** `/project-web-1`. */
  name?: string
  id?: string
  pids_stats?: {current?: number; limit?: number}
  blkio_stats?: {io_service_bytes_recursive?: BlkioEntry[] | null}
  cpu_stats?: CpuStats
  precpu_stats?: CpuStats
  memory_stats?: {usage?: number; max_usage?: number; limit?: number; stats?: Record<string, number>}
  networks?: Record<string, NetworkStats>
  num_procs?: number
  [key: string]: unknown
}

/** One sample (`stream=false`): for a running container, about a second after the call. */
export function containerStats(engine: EngineClient, id: string, options: CommonOptions & {oneShot?: boolean} = {}): Promise<StatsSample> {
  return engine.json({
    method: 'GET',
    path: `/containers/${enc(id)}/stats`,
    // one-shot (API 1.41) skips the second reading: no precpu_stats, an immediate answer.
    query: {stream: false, 'one-shot': options.oneShot || undefined},
    meanings: STATS_MEANINGS,
    subject: {kind: 'container', ref: id},
    signal: options.signal,
  })
}

/** Samples as they come (about one a second) as an object stream; ends when the container stops. */
export async function streamContainerStats(engine: EngineClient, id: string, options: CommonOptions = {}): Promise<Readable & AsyncIterable<StatsSample>> {
  const res = await engine.stream({method: 'GET', path: `/containers/${enc(id)}/stats`, query: {stream: true}, meanings: STATS_MEANINGS, subject: {kind: 'container', ref: id}, signal: options.signal})
  const decoder = new JsonLinesDecoder()
  res.body.once('error', (error) => decoder.destroy(error))
  decoder.once('close', () => res.body.destroy())
  return res.body.pipe(decoder)
}
