/**
 * `top`: the processes of each running container of the project, one block per container (its
 * name, then a table of the engine's `ps` columns), as docker compose prints them.
 */
import type {EngineClient} from '../engine/client.js'
import type {TopResult} from '../engine/types.js'
import {tabulate} from './ps.js'
import {checkServices, nameOf, projectContainers, type ProjectRef} from './select.js'

export interface ContainerTop {
  name: string
  top: TopResult
}

export async function projectTop(engine: EngineClient, ref: ProjectRef, options: {services?: readonly string[]; signal?: AbortSignal} = {}): Promise<ContainerTop[]> {
  const services = options.services ?? []
  if (ref.project) checkServices(ref, services)
  const containers = await projectContainers(engine, ref.name, {services, signal: options.signal})
  const tops = await Promise.all(containers.map(async (c) => ({name: nameOf(c), top: await engine.containers.top(c.Id, {signal: options.signal})})))
  return tops.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

export function formatTop(tops: readonly ContainerTop[]): string {
  return tops.map((t) => `${t.name}\n${tabulate([t.top.Titles, ...t.top.Processes])}\n`).join('\n')
}
