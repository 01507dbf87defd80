/**
 * Service -> Engine API ContainerCreate body. A pure function: everything it needs from the
 * outside world (IDs of other containers for `service:x`, paths of secret files, anonymous
 * volumes to keep on recreate) comes in through `ContainerSpecInput`.
 *
 * Targets API 1.41 (Docker 20.10) and newer. A field the engine's API version cannot carry is an
 * UnsupportedError naming the service and the field, or a warning when ignoring it is harmless;
 * never a silent drop.
 */
import {posix} from 'node:path'
import type {PortConfig, Project, ServiceConfig, ServiceNetworkConfig, ServiceVolumeConfig} from '../compose/types.js'
import {UnsupportedError} from '../errors.js'
import {containerLabels, containerName} from './labels.js'
import {bytesOf, durationToNanos} from './units.js'
import {compareText} from './compare.js'

export interface EndpointSettings {
  Aliases?: string[]
  Links?: string[]
  IPAMConfig?: {IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[]}
  MacAddress?: string
  DriverOpts?: Record<string, string>
  GwPriority?: number
}

export interface ContainerCreateBody {
  Hostname?: string
  Domainname?: string
  User?: string
  Tty?: boolean
  OpenStdin?: boolean
  AttachStdin?: boolean
  AttachStdout?: boolean
  AttachStderr?: boolean
  StdinOnce?: boolean
  Env?: string[]
  Cmd?: string[]
  Entrypoint?: string[]
  Image: string
  Labels: Record<string, string>
  WorkingDir?: string
  ExposedPorts?: Record<string, Record<string, never>>
  StopSignal?: string
  StopTimeout?: number
  Healthcheck?: {Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number}
  MacAddress?: string
  HostConfig: Record<string, unknown>
  NetworkingConfig?: {EndpointsConfig: Record<string, EndpointSettings>}
}

export interface ContainerSpec {
  name: string
  body: ContainerCreateBody
  /** `platform` query parameter of POST /containers/create. */
  platform?: string
  /** Networks beyond the first: API < 1.44 takes one network at create, the rest are connected before start. */
  extraNetworks: Array<{network: string; endpoint: EndpointSettings}>
  warnings: string[]
}

export interface ContainerSpecInput {
  project: Project
  service: ServiceConfig
  number: number
  /** Negotiated Engine API version, e.g. "1.41". */
  apiVersion: string
  /** Image reference to run (service.image, or `<project>-<service>` for build-only services). */
  image: string
  imageId?: string
  configHash: string
  configFields: string
  oneoff?: boolean
  /** ID (or name) of the first container of another service, for `service:x` modes and volumes_from. */
  containerOf?: (service: string) => string | undefined
  /** Host path of the file holding a secret or config (file-based, or written from environment/content). */
  fileOf?: (kind: 'secrets' | 'configs', name: string) => string | undefined
  /** Anonymous volume names to reuse by target path (kept across a recreate, as docker compose does). */
  anonymousVolumes?: Record<string, string>
}

/** Fields that the runtime maps here or elsewhere (labels, plan, apply), or that do not shape a container. */
const HANDLED = new Set([
  'name', 'image', 'build', 'command', 'entrypoint', 'environment', 'env_file', 'labels', 'container_name', 'hostname',
  'domainname', 'working_dir', 'user', 'ports', 'expose', 'volumes', 'volumes_from', 'tmpfs', 'networks',
  'network_mode', 'depends_on', 'links', 'external_links', 'extra_hosts', 'dns', 'dns_search', 'dns_opt', 'restart',
  'healthcheck', 'stop_signal', 'stop_grace_period', 'init', 'privileged', 'read_only', 'cap_add', 'cap_drop',
  'security_opt', 'devices', 'ulimits', 'sysctls', 'shm_size', 'mem_limit', 'memswap_limit', 'mem_reservation',
  'mem_swappiness', 'cpus', 'cpu_shares', 'cpuset', 'cpu_quota', 'cpu_period', 'cpu_rt_runtime', 'cpu_rt_period',
  'pids_limit', 'logging', 'tty', 'stdin_open', 'pid', 'ipc', 'uts', 'userns_mode', 'cgroup', 'cgroup_parent',
  'group_add', 'oom_kill_disable', 'oom_score_adj', 'runtime', 'isolation', 'mac_address', 'storage_opt',
  'device_cgroup_rules', 'secrets', 'configs', 'deploy', 'scale', 'profiles', 'pull_policy', 'platform', 'annotations',
  'label_file', 'develop', 'attach', 'blkio_config', 'gpus', 'extends',
])

function atLeast(version: string, wanted: string): boolean {
  const [a1, a2] = version.split('.').map(Number)
  const [b1, b2] = wanted.split('.').map(Number)
  return a1 > b1 || (a1 === b1 && a2 >= b2)
}

class Mapper {
  readonly warnings: string[] = []
  constructor(readonly input: ContainerSpecInput) {}

  get service(): ServiceConfig {
    return this.input.service
  }

  /** This API version cannot carry the field. */
  unsupported(field: string, need: string, detail = ''): never {
    throw new UnsupportedError(
      `service "${this.service.name}": ${field}${detail ? ` (${detail})` : ''} needs Engine API ${need}, but the engine speaks ${this.input.apiVersion}`,
      {hints: [`remove ${field} from service "${this.service.name}", or use a newer Docker Engine`]},
    )
  }

  warn(field: string, message: string): void {
    this.warnings.push(`service "${this.service.name}": ${field}: ${message}`)
  }

  requireApi(field: string, need: string, detail = ''): void {
    if (!atLeast(this.input.apiVersion, need)) this.unsupported(field, need, detail)
  }

  /** `service:x` / `container:x` for network_mode, pid and ipc. */
  resolveMode(field: string, value: string): string {
    if (value.startsWith('service:')) {
      const other = value.slice('service:'.length)
      const id = this.input.containerOf?.(other)
      if (!id) {
        throw new UnsupportedError(`service "${this.service.name}": ${field} "${value}": service "${other}" has no container yet`, {
          hints: [`add "${other}" to depends_on of "${this.service.name}" so it is created first`],
        })
      }
      return `container:${id}`
    }
    return value
  }
}

/** The whole mapping. Throws UnsupportedError for what the engine cannot do. */
export function containerSpec(input: ContainerSpecInput): ContainerSpec {
  const m = new Mapper(input)
  const {project, service} = input
  const name = containerName(project.name, service, input.number)
  const host: Record<string, unknown> = {}
  const body: ContainerCreateBody = {
    Image: input.image,
    Labels: containerLabels({project, service, number: input.number, configHash: input.configHash, configFields: input.configFields, imageId: input.imageId, oneoff: input.oneoff}),
    HostConfig: host,
  }

  for (const key of Object.keys(service)) {
    if (!HANDLED.has(key) && !key.startsWith('x-') && service[key] !== undefined) m.warn(key, 'not supported by Berth yet; ignored')
  }

  // Process
  if (service.command !== undefined && service.command !== null) body.Cmd = service.command
  if (service.entrypoint !== undefined && service.entrypoint !== null) body.Entrypoint = service.entrypoint
  const env = environmentList(service.environment)
  if (env.length > 0) body.Env = env
  if (service.working_dir) body.WorkingDir = service.working_dir
  if (service.user) body.User = service.user
  if (service.hostname) body.Hostname = service.hostname
  if (service.domainname) body.Domainname = service.domainname
  if (service.tty) body.Tty = true
  if (service.stdin_open) {
    body.OpenStdin = true
    body.AttachStdin = true
  }
  if (service.stop_signal) body.StopSignal = service.stop_signal
  if (service.stop_grace_period) body.StopTimeout = Math.ceil(durationToNanos(service.stop_grace_period) / 1e9)
  if (service.healthcheck) body.Healthcheck = healthcheck(m)
  if (typeof service.mac_address === 'string') body.MacAddress = service.mac_address

  // Ports
  const exposed: Record<string, Record<string, never>> = {}
  const bindings: Record<string, Array<{HostIp?: string; HostPort?: string}>> = {}
  for (const port of service.ports ?? []) addPort(m, port, exposed, bindings)
  for (const e of service.expose ?? []) {
    const [range, proto = 'tcp'] = String(e).split('/')
    for (const p of expandRange(range)) exposed[`${p}/${proto}`] = {}
  }
  if (Object.keys(exposed).length > 0) body.ExposedPorts = exposed
  if (Object.keys(bindings).length > 0) host.PortBindings = bindings

  // Storage
  mapVolumes(m, host)
  if (service.tmpfs && service.tmpfs.length > 0) {
    const tmpfs: Record<string, string> = {}
    for (const t of service.tmpfs) {
      const [path, ...opts] = t.split(':')
      tmpfs[path] = opts.join(':')
    }
    host.Tmpfs = {...(host.Tmpfs as Record<string, string> | undefined), ...tmpfs}
  }
  if (service.volumes_from && service.volumes_from.length > 0) {
    host.VolumesFrom = service.volumes_from.map((entry) => volumesFrom(m, entry))
  }
  mapFileRefs(m, 'secrets', host)
  mapFileRefs(m, 'configs', host)

  // Networking
  const networks = mapNetworks(m, host, name)
  if (networks.mac && !body.MacAddress) body.MacAddress = networks.mac
  if (networks.first) body.NetworkingConfig = {EndpointsConfig: {[networks.first.network]: networks.first.endpoint}}
  if (service.extra_hosts) host.ExtraHosts = extraHosts(service.extra_hosts)
  if (service.dns && service.dns.length > 0) host.Dns = service.dns
  if (service.dns_search && service.dns_search.length > 0) host.DnsSearch = service.dns_search
  if (service.dns_opt && service.dns_opt.length > 0) host.DnsOptions = service.dns_opt
  if (service.pid) host.PidMode = m.resolveMode('pid', service.pid)
  if (service.ipc) host.IpcMode = m.resolveMode('ipc', service.ipc)
  if (typeof service.uts === 'string') host.UTSMode = service.uts
  if (typeof service.userns_mode === 'string') host.UsernsMode = service.userns_mode
  if (typeof service.cgroup === 'string') host.CgroupnsMode = service.cgroup

  // Lifecycle and security
  const restart = restartPolicy(m)
  if (restart) host.RestartPolicy = restart
  if (service.init !== undefined) host.Init = service.init
  if (service.privileged) host.Privileged = true
  if (service.read_only) host.ReadonlyRootfs = true
  if (service.cap_add?.length) host.CapAdd = service.cap_add
  if (service.cap_drop?.length) host.CapDrop = service.cap_drop
  if (service.security_opt?.length) host.SecurityOpt = service.security_opt
  if (Array.isArray(service.group_add) && service.group_add.length > 0) host.GroupAdd = service.group_add.map(String)
  if (service.devices?.length) {
    host.Devices = service.devices.map((d) => ({PathOnHost: d.source, PathInContainer: d.target, CgroupPermissions: d.permissions ?? 'rwm'}))
  }
  if (Array.isArray(service.device_cgroup_rules)) host.DeviceCgroupRules = service.device_cgroup_rules
  if (service.ulimits) {
    host.Ulimits = Object.entries(service.ulimits).map(([Name, u]) => ({Name, Soft: u.single ?? u.soft, Hard: u.single ?? u.hard}))
  }
  if (service.sysctls && Object.keys(service.sysctls).length > 0) host.Sysctls = stringMap(service.sysctls)
  if (service.shm_size !== undefined) host.ShmSize = bytesOf(service.shm_size)
  if (typeof service.runtime === 'string') host.Runtime = service.runtime
  if (typeof service.isolation === 'string') host.Isolation = service.isolation
  if (typeof service.cgroup_parent === 'string') host.CgroupParent = service.cgroup_parent
  if (typeof service.oom_kill_disable === 'boolean') host.OomKillDisable = service.oom_kill_disable
  if (typeof service.oom_score_adj === 'number') host.OomScoreAdj = service.oom_score_adj
  if (service.storage_opt && typeof service.storage_opt === 'object') host.StorageOpt = service.storage_opt
  if (service.logging) {
    host.LogConfig = {Type: service.logging.driver ?? '', Config: stringMap(service.logging.options ?? {})}
  }
  if (service.annotations && Object.keys(service.annotations).length > 0) {
    m.requireApi('annotations', '1.43')
    host.Annotations = service.annotations
  }
  mapResources(m, host)
  if (service.gpus !== undefined) m.warn('gpus', 'GPU requests are not supported by Berth yet; ignored')

  return {name, body, platform: service.platform, extraNetworks: networks.rest, warnings: m.warnings}
}

function stringMap(map: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(map)) if (v !== null && v !== undefined) out[k] = String(v)
  return out
}

/** `K=V`; a null value (unset in the environment) is left out, as docker compose does. */
export function environmentList(env: Record<string, string | null> | undefined): string[] {
  if (!env) return []
  return Object.entries(env)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
}

function healthcheck(m: Mapper): ContainerCreateBody['Healthcheck'] {
  const hc = m.service.healthcheck!
  if (hc.disable) return {Test: ['NONE']}
  const out: NonNullable<ContainerCreateBody['Healthcheck']> = {}
  if (hc.test) out.Test = hc.test
  const dur = (field: string, v: string | undefined) => {
    if (v === undefined) return undefined
    try {
      return durationToNanos(v)
    } catch {
      throw new UnsupportedError(`service "${m.service.name}": healthcheck.${field}: invalid duration "${v}"`)
    }
  }
  out.Interval = dur('interval', hc.interval)
  out.Timeout = dur('timeout', hc.timeout)
  out.StartPeriod = dur('start_period', hc.start_period)
  if (hc.start_interval !== undefined) {
    m.requireApi('healthcheck.start_interval', '1.44')
    out.StartInterval = dur('start_interval', hc.start_interval)
  }
  if (hc.retries !== undefined) out.Retries = hc.retries
  for (const k of Object.keys(out) as Array<keyof typeof out>) if (out[k] === undefined) delete out[k]
  return out
}

function expandRange(text: string): number[] {
  const [a, b] = text.split('-').map(Number)
  if (b === undefined || Number.isNaN(b)) return [a]
  const out: number[] = []
  for (let p = a; p <= b; p++) out.push(p)
  return out
}

function addPort(m: Mapper, port: PortConfig, exposed: ContainerCreateBody['ExposedPorts'] & object, bindings: Record<string, Array<{HostIp?: string; HostPort?: string}>>): void {
  const proto = port.protocol || 'tcp'
  const key = `${port.target}/${proto}`
  exposed[key] = {}
  if (port.mode === 'ingress' || port.mode === 'host' || !port.mode) {
    const binding: {HostIp?: string; HostPort?: string} = {}
    if (port.host_ip) binding.HostIp = port.host_ip
    binding.HostPort = port.published ?? ''
    bindings[key] = [...(bindings[key] ?? []), binding]
  } else {
    m.warn('ports', `mode "${port.mode}" is not understood; the port is published as "host"`)
  }
}

function extraHosts(value: NonNullable<ServiceConfig['extra_hosts']>): string[] {
  if (Array.isArray(value)) return value.map((h) => h.replace(/^([^:=]+)=/, '$1:'))
  const out: string[] = []
  for (const [host, ips] of Object.entries(value)) for (const ip of Array.isArray(ips) ? ips : [ips]) out.push(`${host}:${ip}`)
  return out
}

function restartPolicy(m: Mapper): {Name: string; MaximumRetryCount?: number} | undefined {
  const s = m.service
  if (s.restart) {
    const [name, count] = s.restart.split(':')
    if (!['no', 'always', 'on-failure', 'unless-stopped'].includes(name)) {
      throw new UnsupportedError(`service "${s.name}": restart: unknown policy "${s.restart}"`, {hints: ['use no, always, on-failure[:max-retries] or unless-stopped']})
    }
    return count ? {Name: name, MaximumRetryCount: Number(count)} : {Name: name}
  }
  const rp = s.deploy?.restart_policy
  if (rp?.condition) {
    const name = rp.condition === 'none' ? 'no' : rp.condition === 'any' ? 'always' : rp.condition
    return rp.max_attempts !== undefined && name === 'on-failure' ? {Name: name, MaximumRetryCount: rp.max_attempts} : {Name: name}
  }
  return undefined
}

function mapResources(m: Mapper, host: Record<string, unknown>): void {
  const s = m.service
  const limits = s.deploy?.resources?.limits
  const reservations = s.deploy?.resources?.reservations
  const memory = s.mem_limit ?? limits?.memory
  if (memory !== undefined) host.Memory = bytesOf(memory)
  if (s.memswap_limit !== undefined) host.MemorySwap = s.memswap_limit === -1 || s.memswap_limit === '-1' ? -1 : bytesOf(s.memswap_limit)
  const reservation = s.mem_reservation ?? reservations?.memory
  if (reservation !== undefined) host.MemoryReservation = bytesOf(reservation)
  if (typeof s.mem_swappiness === 'number') host.MemorySwappiness = s.mem_swappiness
  const cpus = s.cpus ?? limits?.cpus
  if (cpus !== undefined && Number(cpus) > 0) host.NanoCpus = Math.round(Number(cpus) * 1e9)
  if (s.cpu_shares !== undefined) host.CpuShares = s.cpu_shares
  if (s.cpuset) host.CpusetCpus = s.cpuset
  if (typeof s.cpu_quota === 'number') host.CpuQuota = s.cpu_quota
  if (s.cpu_period !== undefined) host.CpuPeriod = Number(s.cpu_period)
  if (s.cpu_rt_runtime !== undefined) host.CpuRealtimeRuntime = durationLike(s.cpu_rt_runtime)
  if (s.cpu_rt_period !== undefined) host.CpuRealtimePeriod = durationLike(s.cpu_rt_period)
  const pids = s.pids_limit ?? limits?.pids
  if (pids !== undefined) host.PidsLimit = pids
  if (reservations?.cpus !== undefined) m.warn('deploy.resources.reservations.cpus', 'the Docker Engine has no CPU reservation for containers; ignored')
  if (reservations?.devices && reservations.devices.length > 0) {
    host.DeviceRequests = reservations.devices.map((d) => {
      const dev = d as {driver?: string; count?: number | string; device_ids?: string[]; capabilities?: string[]; options?: Record<string, string>}
      return {
        Driver: dev.driver ?? '',
        Count: dev.count === 'all' ? -1 : dev.count !== undefined ? Number(dev.count) : dev.device_ids ? 0 : -1,
        DeviceIDs: dev.device_ids ?? null,
        Capabilities: [dev.capabilities ?? []],
        Options: dev.options ?? {},
      }
    })
  }
  const blkio = s.blkio_config as {weight?: number} | undefined
  if (blkio?.weight !== undefined) host.BlkioWeight = blkio.weight
  if (blkio && Object.keys(blkio).some((k) => k !== 'weight')) m.warn('blkio_config', 'only weight is supported by Berth yet; the rest is ignored')
}

function durationLike(v: unknown): number {
  if (typeof v === 'number') return v
  return Math.round(durationToNanos(String(v)) / 1e3)
}

// ---------------------------------------------------------------- volumes

function mapVolumes(m: Mapper, host: Record<string, unknown>): void {
  const {project, service} = m.input
  const binds: string[] = []
  const mounts: Array<Record<string, unknown>> = []
  for (const [index, v] of (service.volumes ?? []).entries()) {
    const field = `volumes[${index}]`
    switch (v.type) {
      case 'bind': {
        if (!v.source) throw new UnsupportedError(`service "${service.name}": ${field}: a bind mount needs a source`)
        if (v.bind?.create_host_path === false) {
          mounts.push(mount(v, {Type: 'bind', Source: v.source, BindOptions: v.bind.propagation ? {Propagation: v.bind.propagation} : undefined}))
        } else {
          const opts: string[] = []
          if (v.read_only) opts.push('ro')
          if (v.bind?.propagation) opts.push(v.bind.propagation)
          if (v.bind?.selinux) opts.push(v.bind.selinux)
          binds.push(`${v.source}:${v.target}${opts.length > 0 ? `:${opts.join(',')}` : ''}`)
        }
        break
      }
      case 'volume': {
        if (v.volume?.subpath) m.requireApi(`${field}.volume.subpath`, '1.45', v.target)
        let source = v.source
        if (source) source = project.volumes[source]?.name ?? source
        else source = m.input.anonymousVolumes?.[v.target]
        const options: Record<string, unknown> = {}
        if (v.volume?.nocopy) options.NoCopy = true
        if (v.volume?.subpath) options.Subpath = v.volume.subpath
        mounts.push(mount(v, {Type: 'volume', Source: source, VolumeOptions: Object.keys(options).length > 0 ? options : undefined}))
        break
      }
      case 'tmpfs': {
        const opts: Record<string, unknown> = {}
        if (v.tmpfs?.size !== undefined) opts.SizeBytes = bytesOf(v.tmpfs.size)
        if (v.tmpfs?.mode !== undefined) opts.Mode = v.tmpfs.mode
        mounts.push(mount(v, {Type: 'tmpfs', TmpfsOptions: Object.keys(opts).length > 0 ? opts : undefined}))
        break
      }
      case 'npipe':
        throw new UnsupportedError(`service "${service.name}": ${field}: npipe mounts exist only on Windows engines`)
      case 'image':
        m.requireApi(`${field} (type: image)`, '1.48', v.target)
        break
      default:
        throw new UnsupportedError(`service "${service.name}": ${field}: volume type "${v.type}" is not supported by the Docker Engine`)
    }
  }
  if (binds.length > 0) host.Binds = binds
  if (mounts.length > 0) host.Mounts = mounts
}

function mount(v: ServiceVolumeConfig, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {Target: v.target}
  for (const [k, val] of Object.entries(fields)) if (val !== undefined) out[k] = val
  if (v.read_only) out.ReadOnly = true
  if (v.consistency) out.Consistency = v.consistency
  return out
}

function volumesFrom(m: Mapper, entry: string): string {
  const parts = entry.split(':')
  if (parts[0] === 'container') return parts.slice(1).join(':')
  const [svc, mode] = parts
  const id = m.input.containerOf?.(svc)
  if (!id) throw new UnsupportedError(`service "${m.service.name}": volumes_from "${entry}": service "${svc}" has no container yet`)
  return mode ? `${id}:${mode}` : id
}

/** Secrets at /run/secrets/<target>, configs at their target (default /<name>), bind-mounted read-only. */
function mapFileRefs(m: Mapper, kind: 'secrets' | 'configs', host: Record<string, unknown>): void {
  const refs = m.service[kind]
  if (!refs || refs.length === 0) return
  const binds = (host.Binds as string[] | undefined) ?? []
  for (const ref of refs) {
    const def = m.input.project[kind][ref.source]
    if (def?.external) {
      throw new UnsupportedError(`service "${m.service.name}": ${kind} "${ref.source}" is external; external ${kind} need Docker Swarm`, {
        hints: ['use `file:` or `environment:` for a plain Docker Engine, or deploy with `berth stack deploy`'],
      })
    }
    const path = m.input.fileOf?.(kind, ref.source)
    if (!path) throw new UnsupportedError(`service "${m.service.name}": ${kind} "${ref.source}" has no file`)
    const target = kind === 'secrets'
      ? (ref.target?.startsWith('/') ? ref.target : `/run/secrets/${ref.target ?? ref.source}`)
      : (ref.target ?? `/${ref.source}`)
    if (ref.uid !== undefined || ref.gid !== undefined || ref.mode !== undefined) {
      m.warn(`${kind}.${ref.source}`, 'uid, gid and mode need Docker Swarm; the file keeps its host owner and mode')
    }
    binds.push(`${path}:${posix.normalize(target)}:ro`)
  }
  host.Binds = binds
}

// ---------------------------------------------------------------- networks

interface NetworkAttachment {
  network: string
  endpoint: EndpointSettings
}

/** The engine name of the network a service joins by its key. */
export function networkEngineName(project: Project, key: string): string {
  return project.networks[key]?.name ?? `${project.name}_${key}`
}

/** The service's networks sorted as docker compose does: priority (higher first), then name. */
export function serviceNetworkKeys(service: ServiceConfig): string[] {
  if (service.network_mode) return []
  const nets = service.networks ?? {default: null}
  return Object.keys(nets).sort((a, b) => {
    const pa = nets[a]?.priority ?? 0
    const pb = nets[b]?.priority ?? 0
    return pb - pa || compareText(a, b)
  })
}

function mapNetworks(m: Mapper, host: Record<string, unknown>, name: string): {first?: NetworkAttachment; rest: NetworkAttachment[]; mac?: string} {
  const {project, service} = m.input
  if (service.network_mode) {
    host.NetworkMode = m.resolveMode('network_mode', service.network_mode)
    if (service.networks && Object.keys(service.networks).length > 0) {
      throw new UnsupportedError(`service "${service.name}": network_mode and networks cannot be used together`)
    }
    if (service.links?.length || service.external_links?.length) host.Links = links(m, service.links ?? [])
    return {rest: []}
  }
  const keys = serviceNetworkKeys(service)
  let mac: string | undefined
  const attachments = keys.map((key, index): NetworkAttachment => {
    const cfg: ServiceNetworkConfig | null = service.networks?.[key] ?? null
    const endpoint: EndpointSettings = {Aliases: [service.name, name, ...(cfg?.aliases ?? [])].filter((a, i, all) => all.indexOf(a) === i)}
    const ipam: NonNullable<EndpointSettings['IPAMConfig']> = {}
    if (cfg?.ipv4_address) ipam.IPv4Address = cfg.ipv4_address
    if (cfg?.ipv6_address) ipam.IPv6Address = cfg.ipv6_address
    if (cfg?.link_local_ips?.length) ipam.LinkLocalIPs = cfg.link_local_ips
    if (Object.keys(ipam).length > 0) endpoint.IPAMConfig = ipam
    if (cfg?.driver_opts) endpoint.DriverOpts = cfg.driver_opts
    if (cfg?.gw_priority !== undefined) {
      m.requireApi(`networks.${key}.gw_priority`, '1.48')
      endpoint.GwPriority = cfg.gw_priority
    }
    if (cfg?.mac_address) {
      if (atLeast(m.input.apiVersion, '1.44')) endpoint.MacAddress = cfg.mac_address
      else if (index === 0) mac = cfg.mac_address
      else m.unsupported(`networks.${key}.mac_address`, '1.44', 'a MAC address on a second network')
    }
    if (index === 0 && (service.links?.length || service.external_links?.length)) endpoint.Links = links(m, service.links ?? [])
    return {network: networkEngineName(project, key), endpoint}
  })
  host.NetworkMode = attachments[0]?.network ?? 'none'
  return {first: attachments[0], rest: attachments.slice(1), mac}
}

/** links (service[:alias]) and external_links (container[:alias]) as `container:alias`. */
function links(m: Mapper, list: string[]): string[] {
  const out = list.map((link) => {
    const [svc, alias = svc] = link.split(':')
    const other = m.input.project.services[svc]
    const target = other ? containerName(m.input.project.name, other, 1) : svc
    return `${target}:${alias}`
  })
  for (const link of m.service.external_links ?? []) {
    const [container, alias = container] = link.split(':')
    out.push(`${container}:${alias}`)
  }
  return out
}
