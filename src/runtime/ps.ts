/**
 * `ps`: a project's containers from ONE engine list call, shaped and printed the way docker
 * compose does — the table (NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS, tabwriter-aligned)
 * and `--format json` (one object per line, compose's field names). Health and exit code come from
 * the engine's status text ("Up 5 seconds (healthy)", "Exited (3) 2 minutes ago") rather than an
 * inspect per container.
 */
import type {EngineClient} from '../engine/client.js'
import type {ContainerSummary, Port} from '../engine/types.js'
import {UserInputError} from '../errors.js'
import {LABEL} from './labels.js'
import {checkServices, projectContainers, type ProjectRef} from './select.js'
import {compareText} from './compare.js'

/** One row, with compose's `ps --format json` field names. */
export interface PsRow {
  ID: string
  Name: string
  Names: string[]
  Image: string
  Command: string
  Project: string
  Service: string
  Created: number
  State: string
  Status: string
  Health: string
  ExitCode: number
  Publishers: PortPublisher[]
  Labels: Record<string, string>
  Mounts: string[]
  Networks: string[]
  LocalVolumes: number
}

export interface PortPublisher {
  URL: string
  TargetPort: number
  PublishedPort: number
  Protocol: string
}

/** The states `--status` and `--filter status=` accept. */
export const CONTAINER_STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'] as const

export interface PsOptions {
  /** -a: stopped and one-off containers too. */
  all?: boolean
  services?: readonly string[]
  /** --status / --filter status=: only containers in these states (implies all). */
  status?: readonly string[]
  /**
   * --orphans (default true): containers of services the project does not declare, or has
   * switched off by a profile, are listed too. Only known with a Compose file.
   */
  orphans?: boolean
  signal?: AbortSignal
}

/** The rows `ps` prints, sorted by container name, from one list call. */
export async function projectPs(engine: EngineClient, ref: ProjectRef, options: PsOptions = {}): Promise<PsRow[]> {
  const services = options.services ?? []
  if (ref.project) checkServices(ref, services)
  const status = options.status ?? []
  for (const state of status) {
    if (!(CONTAINER_STATES as readonly string[]).includes(state)) {
      throw new UserInputError('BAD_STATUS', `unknown status "${state}" (use one of: ${CONTAINER_STATES.join(', ')})`)
    }
  }
  const all = options.all === true || status.length > 0
  const containers = await projectContainers(engine, ref.name, {all, oneoff: options.all, services, signal: options.signal})
  const active = options.orphans === false && ref.project ? ref.project.services : undefined
  return containers
    .filter((c) => status.length === 0 || status.includes(c.State))
    .filter((c) => !active || Object.hasOwn(active, c.Labels?.[LABEL.service] ?? ''))
    .map(toPsRow)
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
}

/** `--orphans=false` / `--orphans=true` as docker compose writes them -> oclif's `--no-orphans` / `--orphans`. */
export function orphansFlag(argv: readonly string[]): string[] {
  const out: string[] = []
  for (const [i, token] of argv.entries()) {
    if (token === '--') return [...out, ...argv.slice(i)]
    const match = /^--orphans=(.*)$/.exec(token)
    if (!match) {
      out.push(token)
      continue
    }
    const value = match[1].toLowerCase()
    if (['false', '0', 'f'].includes(value)) out.push('--no-orphans')
    else if (['true', '1', 't'].includes(value)) out.push('--orphans')
    else throw new UserInputError('BAD_FLAG', `invalid value "${match[1]}" for --orphans: use true or false`)
  }
  return out
}

/** `--filter status=running` -> ['running']; compose supports only the status filter. */
export function parsePsFilter(filter: string | undefined): string[] {
  if (!filter) return []
  const eq = filter.indexOf('=')
  if (eq < 0) throw new UserInputError('BAD_FILTER', 'arguments to --filter should be in form KEY=VAL')
  const key = filter.slice(0, eq)
  if (key !== 'status') throw new UserInputError('BAD_FILTER', `unknown filter ${key} (supported: status)`)
  return [filter.slice(eq + 1)]
}

export function toPsRow(c: ContainerSummary): PsRow {
  const labels = c.Labels ?? {}
  return {
    ID: c.Id,
    Name: canonicalName(c.Names),
    Names: c.Names ?? [],
    Image: c.Image,
    Command: c.Command ?? '',
    Project: labels[LABEL.project] ?? '',
    Service: labels[LABEL.service] ?? '',
    Created: c.Created,
    State: c.State,
    Status: c.Status,
    Health: c.State === 'running' ? healthFromStatus(c.Status) : '',
    ExitCode: c.State === 'exited' || c.State === 'dead' ? exitCodeFromStatus(c.Status) : 0,
    Publishers: [...(c.Ports ?? [])]
      .sort((a, b) => a.PrivatePort - b.PrivatePort)
      .map((p) => ({URL: p.IP ?? '', TargetPort: p.PrivatePort, PublishedPort: p.PublicPort ?? 0, Protocol: p.Type})),
    Labels: labels,
    Mounts: (c.Mounts ?? []).map((m) => m.Name || m.Source),
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
    LocalVolumes: (c.Mounts ?? []).filter((m) => m.Driver === 'local').length,
  }
}

/** The container's own name: the one without a link path, without the leading slash. */
export function canonicalName(names: readonly string[] | undefined): string {
  const list = names ?? []
  const own = list.find((n) => n.lastIndexOf('/') === 0) ?? list[0] ?? ''
  return own.replace(/^\//, '')
}

export function healthFromStatus(status: string): string {
  const match = /\((healthy|unhealthy|health: starting)\)/.exec(status)
  if (!match) return ''
  return match[1] === 'health: starting' ? 'starting' : match[1]
}

export function exitCodeFromStatus(status: string): number {
  const match = /^Exited \((-?\d+)\)/.exec(status)
  return match ? Number(match[1]) : 0
}

/** go-units HumanDuration, as `docker ps` prints CREATED ("2 minutes", "About an hour"). */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds)
  if (s < 1) return 'Less than a second'
  if (s === 1) return '1 second'
  if (s < 60) return `${s} seconds`
  const minutes = Math.floor(seconds / 60)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.round(seconds / 3600)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`
  return `${Math.floor(seconds / 3600 / 24 / 365)} years`
}

/** Truncates to `max` characters with a trailing ellipsis, as the docker CLI does. */
export function ellipsis(text: string, max: number): string {
  const chars = [...text]
  if (chars.length <= max) return text
  return chars.slice(0, max - 1).join('') + '…'
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function joinHostPort(ip: string, port: string): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`
}

/**
 * The PORTS column, as the docker CLI renders it: consecutive ports published one-to-one on the
 * same address and protocol collapse into ranges ("0.0.0.0:8000-8001->8000-8001/tcp"), other
 * mappings follow, unpublished ports show as "80/tcp".
 */
export function displayPorts(ports: readonly Port[]): string {
  const sorted = [...ports].sort(
    (a, b) =>
      a.PrivatePort - b.PrivatePort ||
      byteCompare(a.IP ?? '', b.IP ?? '') ||
      (a.PublicPort ?? 0) - (b.PublicPort ?? 0) ||
      byteCompare(a.Type, b.Type),
  )
  const groups = new Map<string, {first: number; last: number}>()
  const order: string[] = []
  const result: string[] = []
  const mappings: string[] = []
  const form = (key: string, first: number, last: number) => {
    const [ip, type] = key.includes('/') ? [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)] : ['', key]
    const range = first === last ? `${first}` : `${first}-${last}`
    return ip ? `${joinHostPort(ip, '')}${range}->${range}/${type}` : `${range}/${type}`
  }
  for (const port of sorted) {
    let key: string = port.Type
    if (port.IP) {
      if (port.PublicPort !== port.PrivatePort) {
        mappings.push(`${joinHostPort(port.IP, String(port.PublicPort ?? 0))}->${port.PrivatePort}/${port.Type}`)
        continue
      }
      key = `${port.IP}/${port.Type}`
    }
    const group = groups.get(key)
    if (!group) {
      groups.set(key, {first: port.PrivatePort, last: port.PrivatePort})
      order.push(key)
    } else if (port.PrivatePort === group.last + 1) {
      group.last = port.PrivatePort
    } else {
      result.push(form(key, group.first, group.last))
      groups.set(key, {first: port.PrivatePort, last: port.PrivatePort})
    }
  }
  for (const key of order) {
    const g = groups.get(key) as {first: number; last: number}
    result.push(form(key, g.first, g.last))
  }
  return [...result, ...mappings].join(', ')
}

function portsOf(row: PsRow): Port[] {
  return row.Publishers.map((p) => ({IP: p.URL || undefined, PrivatePort: p.TargetPort, PublicPort: p.PublishedPort || undefined, Type: p.Protocol as Port['Type']}))
}

/**
 * Go's text/tabwriter as the docker CLI configures it (min width 10, padding 3): every column but
 * the last is padded to its widest cell + 3 (at least 10); the last is not padded.
 */
export function tabulate(rows: readonly string[][]): string {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i === row.length - 1) return
      widths[i] = Math.max(widths[i] ?? 10, [...cell].length + 3)
    })
  }
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length))).join(''))
    .join('\n')
}

export interface FormatOptions {
  /** Seconds since the epoch (for CREATED); default now. */
  now?: number
  /** --no-trunc */
  noTrunc?: boolean
}

export function formatPsTable(rows: readonly PsRow[], options: FormatOptions = {}): string {
  const now = options.now ?? Date.now() / 1000
  const table = [['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS']]
  for (const row of rows) {
    table.push([
      row.Name,
      row.Image,
      JSON.stringify(options.noTrunc ? row.Command : ellipsis(row.Command, 20)),
      row.Service,
      `${humanDuration(now - row.Created)} ago`,
      row.Status,
      displayPorts(portsOf(row)),
    ])
  }
  return tabulate(table)
}

/** Go's time.Time.String() for a UTC instant: "2026-11-22 14:41:21 +0000 UTC". */
function goTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC')
}

/** One JSON object per line, with the fields and value shapes of `docker compose ps --format json`. */
export function formatPsJson(rows: readonly PsRow[], options: FormatOptions = {}): string {
  const now = options.now ?? Date.now() / 1000
  const trunc = !options.noTrunc
  return rows
    .map((row) =>
      JSON.stringify({
        Command: JSON.stringify(trunc ? ellipsis(row.Command, 20) : row.Command),
        CreatedAt: goTime(row.Created),
        ExitCode: row.ExitCode,
        Health: row.Health,
        ID: trunc ? row.ID.slice(0, 12) : row.ID,
        Image: row.Image,
        Labels: Object.entries(row.Labels)
          .sort(([a], [b]) => compareText(a, b))
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
        LocalVolumes: String(row.LocalVolumes),
        Mounts: row.Mounts.map((m) => (trunc ? ellipsis(m, 15) : m)).join(','),
        Name: row.Name,
        Names: row.Names.map((n) => n.replace(/^\//, '')).join(','),
        Networks: row.Networks.join(','),
        Ports: displayPorts(portsOf(row)),
        Project: row.Project,
        Publishers: row.Publishers,
        RunningFor: `${humanDuration(now - row.Created)} ago`,
        Service: row.Service,
        Size: '0B',
        State: row.State,
        Status: row.Status,
      }),
    )
    .join('\n')
}

/** `--services`: service names of the listed containers, first appearance first. */
export function serviceNames(rows: readonly PsRow[]): string[] {
  return [...new Set(rows.map((r) => r.Service))]
}
