/**
 * `stack ls`, `stack services` and `stack ps`: rows from the engine's services, tasks and nodes,
 * shaped and printed the way the docker CLI prints them (tabwriter table, `--format json` one
 * object per line with the CLI's field names). Pure: the commands fetch, these functions shape.
 */
import {ellipsis, humanDuration, tabulate} from '../../runtime/ps.js'
import {NAMESPACE_LABEL} from './convert/service.js'
import type {PortConfig, Service, SwarmNode, Task} from './types.js'

export interface StackRow {
  Name: string
  Services: string
}

/** Stacks by name, with how many services each has. */
export function stackRows(services: Service[]): StackRow[] {
  const counts = new Map<string, number>()
  for (const s of services) {
    const stack = s.Spec.Labels?.[NAMESPACE_LABEL]
    if (stack !== undefined) counts.set(stack, (counts.get(stack) ?? 0) + 1)
  }
  return [...counts.keys()].sort().map((name) => ({Name: name, Services: String(counts.get(name))}))
}

export function formatStacks(rows: StackRow[], format: 'table' | 'json'): string {
  if (format === 'json') return rows.map((r) => JSON.stringify(r)).join('\n')
  return tabulate([['NAME', 'SERVICES'], ...rows.map((r) => [r.Name, r.Services])])
}

/** An image without its digest, as the CLI shows it unless --no-trunc. */
export function shortImage(image: string): string {
  const at = image.indexOf('@')
  return at >= 0 ? image.slice(0, at) : image
}

/**
 * Published ports as the CLI writes them: `*:8000-8001->80-81/tcp, *:7000->70/udp` — by protocol
 * then target port, consecutive one-to-one ports folded into ranges.
 */
export function formatPorts(ports: readonly PortConfig[]): string {
  const sorted = [...ports]
    .filter((p) => p.PublishedPort !== undefined && p.PublishedPort !== 0)
    .sort((a, b) => (a.Protocol < b.Protocol ? -1 : a.Protocol > b.Protocol ? 1 : 0) || a.TargetPort - b.TargetPort || (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0))
  const out: string[] = []
  let run: {protocol: string; target: [number, number]; published: [number, number]} | undefined
  const flush = () => {
    if (!run) return
    const range = ([a, b]: [number, number]) => (a === b ? `${a}` : `${a}-${b}`)
    out.push(`*:${range(run.published)}->${range(run.target)}/${run.protocol}`)
  }
  for (const p of sorted) {
    const published = p.PublishedPort!
    const protocol = p.Protocol || 'tcp'
    if (run && run.protocol === protocol && p.TargetPort === run.target[1] + 1 && published === run.published[1] + 1) {
      run.target[1] = p.TargetPort
      run.published[1] = published
      continue
    }
    flush()
    run = {protocol, target: [p.TargetPort, p.TargetPort], published: [published, published]}
  }
  flush()
  return out.join(', ')
}

/** A task's published ports as `stack ps` writes them: each one, joined by "," (the engine may report one twice, once per address family). */
export function taskPorts(ports: readonly PortConfig[]): string {
  return ports.filter((p) => p.PublishedPort).map((p) => `*:${p.PublishedPort}->${p.TargetPort}/${p.Protocol || 'tcp'}`).join(',')
}

export interface ServiceRow {
  ID: string
  Name: string
  Mode: string
  Replicas: string
  Image: string
  Ports: string
}

function modeOf(s: Service): string {
  const m = s.Spec.Mode
  if (m.Global) return 'global'
  if (m.ReplicatedJob) return 'replicated job'
  if (m.GlobalJob) return 'global job'
  return 'replicated'
}

function replicasOf(s: Service): string {
  const status = s.ServiceStatus
  const running = status?.RunningTasks ?? 0
  const m = s.Spec.Mode
  if (m.ReplicatedJob) return `${running}/${m.ReplicatedJob.MaxConcurrent ?? 1} (${status?.CompletedTasks ?? 0}/${m.ReplicatedJob.TotalCompletions ?? 1} completed)`
  if (m.GlobalJob) return `${running}/0 (${status?.CompletedTasks ?? 0}/${status?.DesiredTasks ?? 0} completed)`
  const desired = m.Replicated ? (m.Replicated.Replicas ?? 1) : (status?.DesiredTasks ?? 0)
  const max = s.Spec.TaskTemplate.Placement?.MaxReplicas
  return `${running}/${desired}${m.Replicated && max ? ` (max ${max} per node)` : ''}`
}

export function serviceRows(services: Service[]): ServiceRow[] {
  return [...services]
    .sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : a.Spec.Name > b.Spec.Name ? 1 : 0))
    .map((s) => ({
      ID: s.ID.slice(0, 12),
      Name: s.Spec.Name,
      Mode: modeOf(s),
      Replicas: replicasOf(s),
      Image: shortImage(s.Spec.TaskTemplate.ContainerSpec.Image),
      Ports: formatPorts((s.Endpoint?.Ports ?? []).filter((p) => p.PublishMode === 'ingress')),
    }))
}

export function formatServices(rows: ServiceRow[], format: 'table' | 'json', quiet = false): string {
  if (quiet) return rows.map((r) => r.ID).join('\n')
  if (format === 'json') return rows.map((r) => JSON.stringify({ID: r.ID, Image: r.Image, Mode: r.Mode, Name: r.Name, Ports: r.Ports, Replicas: r.Replicas})).join('\n')
  return tabulate([['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'], ...rows.map((r) => [r.ID, r.Name, r.Mode, r.Replicas, r.Image, r.Ports])])
}

export interface TaskRow {
  ID: string
  Name: string
  Image: string
  Node: string
  DesiredState: string
  CurrentState: string
  Error: string
  Ports: string
}

export interface TaskRowOptions {
  noTrunc?: boolean
  noResolve?: boolean
  /** Seconds since the epoch; default now. */
  now?: number
}

const capitalize = (s: string) => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1))

/** Tasks as rows, grouped by task name (service.slot or service.node), newest first within a name. */
export function taskRows(tasks: Task[], services: Service[], nodes: SwarmNode[], options: TaskRowOptions = {}): TaskRow[] {
  const now = options.now ?? Date.now() / 1000
  const serviceName = new Map(services.map((s) => [s.ID, s.Spec.Name]))
  const nodeName = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]))
  const rows = tasks.map((t) => {
    const service = options.noResolve ? t.ServiceID : (serviceName.get(t.ServiceID) ?? t.ServiceID)
    const slot = t.Slot ? String(t.Slot) : (t.NodeID ?? '')
    const stamp = Date.parse(t.Status.Timestamp ?? t.CreatedAt ?? '') / 1000
    const since = Number.isFinite(stamp) ? ` ${humanDuration(Math.max(0, now - stamp)).toLowerCase()} ago` : ''
    const image = t.Spec?.ContainerSpec?.Image ?? ''
    const err = t.Status.Err ?? ''
    return {
      sort: {service, slot: t.Slot ?? 0, stamp: Number.isFinite(stamp) ? stamp : 0},
      row: {
        ID: options.noTrunc ? t.ID : t.ID.slice(0, 12),
        Name: `${service}.${slot}`,
        Image: options.noTrunc ? image : shortImage(image),
        Node: t.NodeID ? (options.noResolve ? t.NodeID : (nodeName.get(t.NodeID) ?? t.NodeID)) : '',
        DesiredState: capitalize(t.DesiredState),
        CurrentState: `${capitalize(t.Status.State)}${since}`,
        Error: err === '' ? '' : `"${options.noTrunc ? err : ellipsis(err, 30)}"`,
        Ports: taskPorts(t.Status.PortStatus?.Ports ?? []),
      },
    }
  })
  rows.sort((a, b) => (a.row.Name === b.row.Name ? b.sort.stamp - a.sort.stamp : a.sort.service !== b.sort.service ? (a.sort.service < b.sort.service ? -1 : 1) : a.sort.slot - b.sort.slot || (a.row.Name < b.row.Name ? -1 : 1)))
  return rows.map((r) => r.row)
}

export function formatTasks(rows: TaskRow[], format: 'table' | 'json', quiet = false): string {
  if (quiet) return rows.map((r) => r.ID).join('\n')
  if (format === 'json') {
    return rows
      .map((r) => JSON.stringify({CurrentState: r.CurrentState, DesiredState: r.DesiredState, Error: r.Error, ID: r.ID, Image: r.Image, Name: r.Name, Node: r.Node, Ports: r.Ports}))
      .join('\n')
  }
  let previous: string | undefined
  const body = rows.map((r) => {
    const name = r.Name === previous ? ` \\_ ${r.Name}` : r.Name
    previous = r.Name
    return [r.ID, name, r.Image, r.Node, r.DesiredState, r.CurrentState, r.Error, r.Ports]
  })
  return tabulate([['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS'], ...body])
}
