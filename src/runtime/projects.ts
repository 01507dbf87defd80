/**
 * `ls`: the Compose projects on this engine, from container labels alone (one list call), with a
 * status per project like docker compose prints it: `running(2)`, `exited(1), running(2)`.
 */
import type {EngineClient} from '../engine/client.js'
import type {ContainerSummary} from '../engine/types.js'
import {LABEL} from './labels.js'
import {tabulate} from './ps.js'

/** One project, with the field names of `docker compose ls --format json`. */
export interface ProjectSummary {
  Name: string
  Status: string
  ConfigFiles: string
}

export async function listProjects(engine: EngineClient, options: {all?: boolean; signal?: AbortSignal} = {}): Promise<ProjectSummary[]> {
  const containers = await engine.containers.list({all: options.all ?? false, filters: {label: [LABEL.project, LABEL.configHash]}, signal: options.signal})
  return summarizeProjects(containers)
}

/** Groups containers by project, sorted by name. */
export function summarizeProjects(containers: readonly ContainerSummary[]): ProjectSummary[] {
  const byProject = new Map<string, ContainerSummary[]>()
  for (const c of containers) {
    const project = c.Labels?.[LABEL.project]
    if (!project) continue
    const list = byProject.get(project) ?? []
    list.push(c)
    byProject.set(project, list)
  }
  return [...byProject.keys()].sort().map((name) => {
    const list = byProject.get(name) as ContainerSummary[]
    const files: string[] = []
    for (const c of list) {
      for (const file of (c.Labels[LABEL.configFiles] ?? '').split(',')) if (file !== '' && !files.includes(file)) files.push(file)
    }
    return {Name: name, Status: combinedStatus(list.map((c) => c.State)), ConfigFiles: files.join(',')}
  })
}

/** `exited(1), running(2)`: each state with its count, states in alphabetical order. */
export function combinedStatus(states: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1)
  return [...counts.keys()]
    .sort()
    .map((state) => `${state}(${counts.get(state)})`)
    .join(', ')
}

export function formatProjectsTable(projects: readonly ProjectSummary[]): string {
  return tabulate([['NAME', 'STATUS', 'CONFIG FILES'], ...projects.map((p) => [p.Name, p.Status, p.ConfigFiles])])
}
