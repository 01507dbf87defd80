/**
 * `top`: the processes of the project's running containers in one table: SERVICE and # (the
 * container number) in front of the engine's `ps` columns, as docker compose v2 prints them.
 */
import type {EngineClient} from '../engine/client.js'
import type {TopResult} from '../engine/types.js'
import {checkServices, containerNumber, nameOf, projectContainers, serviceOf, type ProjectRef} from './select.js'

export interface ContainerTop {
  name: string
  service: string
  /** The container-number label (0 when absent). */
  number: number
  top: TopResult
}

export async function projectTop(engine: EngineClient, ref: ProjectRef, options: {services?: readonly string[]; signal?: AbortSignal} = {}): Promise<ContainerTop[]> {
  const services = options.services ?? []
  if (ref.project) checkServices(ref, services)
  const containers = await projectContainers(engine, ref.name, {services, signal: options.signal})
  // Sorted by service, then container number (projectContainers' order).
  return Promise.all(
    containers.map(async (c) => ({name: nameOf(c), service: serviceOf(c), number: containerNumber(c), top: await engine.containers.top(c.Id, {signal: options.signal})})),
  )
}

/**
 * One table for all containers. Columns are as wide as their widest cell plus two spaces, at
 * least four; the last is not padded. Containers whose `ps` titles differ from the first one's
 * (a custom ps in the image) have their cells matched to the first one's titles by name.
 */
export function formatTop(tops: readonly ContainerTop[]): string {
  if (tops.length === 0) return ''
  const titles = tops[0].top.Titles
  const rows: string[][] = [['SERVICE', '#', ...titles]]
  for (const t of tops) {
    const column = titles.map((title) => t.top.Titles.indexOf(title))
    for (const processRow of t.top.Processes) rows.push([t.service, String(t.number), ...column.map((i) => (i === -1 ? '' : (processRow[i] ?? '')))])
  }
  const widths = rows[0].map((_, i) => Math.max(4, ...rows.map((row) => [...row[i]].length + 2)))
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length))).join('') + '\n').join('')
}
