/**
 * One Compose service -> the ServiceSpec that /services/create takes, as `docker stack deploy`
 * builds it: names prefixed with the stack (`<stack>_<name>`), the stack's labels on the service and
 * its containers, networks by name (the engine resolves them), secrets and configs by name (their
 * IDs are filled in by bindFileIds once they exist). Pure: no engine, no files.
 */
import type {Project, ServiceConfig} from '../../sdk/index.js'
import {UserInputError} from '../../sdk/index.js'
import {parseByteSize, parseDuration} from '../../../compose/units.js'
import type {ConfigReference, ContainerSpec, Mount, PortConfig, ResourceSpec, SecretReference, ServiceSpec, UpdateConfig} from '../types.js'

type ServiceFileRef = NonNullable<ServiceConfig['secrets']>[number]
type ServiceVolumeConfig = NonNullable<ServiceConfig['volumes']>[number]

export const NAMESPACE_LABEL = 'com.docker.stack.namespace'
export const IMAGE_LABEL = 'com.docker.stack.image'

export interface ConvertContext {
  stack: string
  project: Project
  warn(message: string): void
}

/** `<stack>_<name>` */
export function scoped(stack: string, name: string): string {
  return `${stack}_${name}`
}

function fail(service: string, message: string, hints: string[] = []): never {
  throw new UserInputError('STACK_SERVICE_INVALID', `service ${service}: ${message}`, {hints})
}

function nanos(service: string, field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = parseDuration(value)
  if (n === undefined) fail(service, `${field}: "${value}" is not a duration`)
  return n
}

function bytes(service: string, field: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = parseByteSize(value)
  if (n === undefined) fail(service, `${field}: "${value}" is not a size`)
  return n
}

function nanoCpus(service: string, field: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(n) || n < 0) fail(service, `${field}: "${value}" is not a number of CPUs`)
  return Math.round(n * 1e9)
}

/** Octal text ("0440") or a number. */
function fileMode(service: string, mode: string | number | undefined, fallback: number): number {
  if (mode === undefined) return fallback
  if (typeof mode === 'number') return mode
  if (!/^[0-7]+$/.test(mode)) fail(service, `mode "${mode}" is not an octal file mode`)
  return parseInt(mode, 8)
}

/** Drops undefined members, and the object itself when nothing is left. */
function compact<T extends object>(value: T): T | undefined {
  const out = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
  return Object.keys(out).length > 0 ? out : undefined
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined
}

function nonEmptyMap<T>(map: Record<string, T> | undefined): Record<string, T> | undefined {
  return map && Object.keys(map).length > 0 ? map : undefined
}

/** `NET_ADMIN` -> `CAP_NET_ADMIN` (ALL stays), sorted and without repeats, as the CLI sends them. */
export function capabilities(list: string[] | undefined): string[] | undefined {
  if (!list || list.length === 0) return undefined
  const named = list.map((c) => {
    const upper = c.trim().toUpperCase()
    return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`
  })
  return [...new Set(named)].sort()
}

function environment(env: ServiceConfig['environment']): string[] | undefined {
  if (!env) return undefined
  return nonEmpty(
    Object.keys(env)
      .sort()
      .map((key) => (env[key] === null || env[key] === undefined ? key : `${key}=${env[key]}`)),
  )
}

/** `host=ip` (the loader's form) -> `ip host` (/etc/hosts order, as the engine takes it). */
function hosts(extra: ServiceConfig['extra_hosts']): string[] | undefined {
  if (!extra) return undefined
  const pairs: Array<[string, string]> = Array.isArray(extra)
    ? extra.map((entry) => {
        const eq = entry.indexOf('=')
        const sep = eq >= 0 ? eq : entry.indexOf(':')
        return [entry.slice(0, sep), entry.slice(sep + 1)]
      })
    : Object.entries(extra).flatMap(([host, ips]) => (Array.isArray(ips) ? ips : [ips]).map((ip): [string, string] => [host, ip]))
  return nonEmpty(pairs.map(([host, ip]) => `${ip.replace(/^\[(.*)\]$/, '$1')} ${host}`))
}

function ulimits(service: ServiceConfig): ContainerSpec['Ulimits'] {
  const limits = service.ulimits
  if (!limits) return undefined
  return nonEmpty(
    Object.keys(limits)
      .sort()
      .map((name) => {
        const l = limits[name]!
        const single = typeof l === 'number' ? l : l.single
        return single !== undefined ? {Name: name, Hard: single, Soft: single} : {Name: name, Hard: l.hard ?? 0, Soft: l.soft ?? 0}
      }),
  )
}

function healthcheck(service: ServiceConfig): ContainerSpec['Healthcheck'] {
  const h = service.healthcheck
  if (!h) return undefined
  if (h.disable) return {Test: ['NONE']}
  return compact({
    Test: nonEmpty(h.test),
    Interval: nanos(service.name, 'healthcheck.interval', h.interval),
    Timeout: nanos(service.name, 'healthcheck.timeout', h.timeout),
    StartPeriod: nanos(service.name, 'healthcheck.start_period', h.start_period),
    StartInterval: nanos(service.name, 'healthcheck.start_interval', h.start_interval),
    Retries: h.retries,
  })
}

/** `/run:size=64m,mode=1777` -> a tmpfs mount. */
function tmpfsMount(service: string, entry: string): Mount {
  const colon = entry.indexOf(':')
  const target = colon >= 0 ? entry.slice(0, colon) : entry
  const options: NonNullable<Mount['TmpfsOptions']> = {}
  for (const option of colon >= 0 ? entry.slice(colon + 1).split(',') : []) {
    const [key, value = ''] = option.split('=')
    if (key === 'size') options.SizeBytes = bytes(service, 'tmpfs size', value)
    else if (key === 'mode') options.Mode = fileMode(service, value, 0)
  }
  return {Type: 'tmpfs', Target: target, ...(Object.keys(options).length > 0 && {TmpfsOptions: options})}
}

function mount(service: ServiceConfig, volume: ServiceVolumeConfig, ctx: ConvertContext): Mount {
  const base = {Target: volume.target, ...(volume.read_only && {ReadOnly: true}), ...(volume.consistency && {Consistency: volume.consistency})}
  switch (volume.type) {
    case 'bind':
      return {Type: 'bind', Source: volume.source, ...base, ...(volume.bind?.propagation && {BindOptions: {Propagation: volume.bind.propagation}})}
    case 'tmpfs': {
      const options = compact({SizeBytes: bytes(service.name, 'tmpfs.size', volume.tmpfs?.size), Mode: volume.tmpfs?.mode})
      return {Type: 'tmpfs', ...base, ...(options && {TmpfsOptions: options})}
    }
    case 'volume': {
      if (volume.volume?.subpath !== undefined) fail(service.name, `volume ${volume.source ?? volume.target}: volume.subpath is not supported by swarm services on this engine`)
      if (!volume.source) return {Type: 'volume', ...base, ...(volume.volume?.nocopy && {VolumeOptions: {NoCopy: true}})}
      const declared = ctx.project.volumes[volume.source]
      if (!declared) fail(service.name, `volume "${volume.source}" is not declared in the top-level volumes`)
      const options: NonNullable<Mount['VolumeOptions']> = {...(volume.volume?.nocopy && {NoCopy: true})}
      if (!declared.external) {
        options.Labels = {...declared.labels, [NAMESPACE_LABEL]: ctx.stack}
        const driverOptions = nonEmptyMap(declared.driver_opts)
        if (declared.driver || driverOptions) options.DriverConfig = {...(declared.driver && {Name: declared.driver}), ...(driverOptions && {Options: driverOptions})}
      }
      return {Type: 'volume', Source: declared.name, ...base, VolumeOptions: options}
    }
    default:
      return fail(service.name, `volumes of type ${volume.type} cannot be used by swarm services`)
  }
}

function mounts(service: ServiceConfig, ctx: ConvertContext): Mount[] | undefined {
  return nonEmpty([...(service.volumes ?? []).map((v) => mount(service, v, ctx)), ...(service.tmpfs ?? []).map((t) => tmpfsMount(service.name, t))])
}

/**
 * A secret's file name as swarm takes it: the loader writes the default target as
 * `/run/secrets/<source>`, which the docker CLI sends as `<source>`; a target given in the file is
 * sent as written.
 */
function secretTarget(ref: ServiceFileRef): string {
  const target = ref.target ?? ref.source
  return target === `/run/secrets/${ref.source}` ? ref.source : target
}

function byName<T extends {File: {Name: string}}>(key: (r: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)
}

function secrets(service: ServiceConfig, ctx: ConvertContext): SecretReference[] | undefined {
  const refs = (service.secrets ?? []).map((ref): SecretReference => {
    const declared = ctx.project.secrets[ref.source]
    if (!declared) fail(service.name, `secret "${ref.source}" is not declared in the top-level secrets`)
    return {File: {Name: secretTarget(ref), UID: ref.uid ?? '0', GID: ref.gid ?? '0', Mode: fileMode(service.name, ref.mode, 0o444)}, SecretID: '', SecretName: declared.name}
  })
  return nonEmpty(refs.sort(byName((r) => r.SecretName)))
}

function configs(service: ServiceConfig, ctx: ConvertContext): ConfigReference[] | undefined {
  const refs = (service.configs ?? []).map((ref): ConfigReference => {
    const declared = ctx.project.configs[ref.source]
    if (!declared) fail(service.name, `config "${ref.source}" is not declared in the top-level configs`)
    return {File: {Name: ref.target ?? ref.source, UID: ref.uid ?? '0', GID: ref.gid ?? '0', Mode: fileMode(service.name, ref.mode, 0o444)}, ConfigID: '', ConfigName: declared.name}
  })
  return nonEmpty(refs.sort(byName((r) => r.ConfigName)))
}

function ports(service: ServiceConfig, ctx: ConvertContext): PortConfig[] | undefined {
  const list = (service.ports ?? []).map((p): PortConfig => {
    if (p.host_ip) ctx.warn(`service ${service.name}: ignoring IP-address (${p.host_ip}:${p.published ?? ''}:${p.target}/${p.protocol}) service will listen on '0.0.0.0'`)
    let published: number | undefined
    if (p.published !== undefined && p.published !== '') {
      published = Number(p.published)
      if (!Number.isInteger(published)) fail(service.name, `published port "${p.published}" is not a port number`)
    }
    if (p.mode !== 'ingress' && p.mode !== 'host') fail(service.name, `port mode "${p.mode}" is not one of ingress, host`)
    return {...(p.name && {Name: p.name}), Protocol: p.protocol || 'tcp', TargetPort: p.target, ...(published !== undefined && {PublishedPort: published}), PublishMode: p.mode}
  })
  return nonEmpty(list.sort((a, b) => (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) || a.TargetPort - b.TargetPort || (a.Protocol < b.Protocol ? -1 : a.Protocol > b.Protocol ? 1 : 0)))
}

/**
 * The networks a service joins, by Compose key: its own, else the stack's default network
 * (network_mode has no meaning for a swarm service, so the CLI attaches the default one anyway).
 */
export function serviceNetworkKeys(service: ServiceConfig): Record<string, {aliases?: string[]} | null> {
  return service.networks ?? {default: null}
}

/** A network's engine name; `default` is `<stack>_default` even when the loader left it out (every service had network_mode). */
export function networkName(project: Project, key: string, stack: string): string | undefined {
  return project.networks[key]?.name ?? (key === 'default' ? scoped(stack, 'default') : undefined)
}

function networks(service: ServiceConfig, ctx: ConvertContext): ServiceSpec['TaskTemplate']['Networks'] {
  const list = Object.entries(serviceNetworkKeys(service)).map(([key, config]) => {
    const name = networkName(ctx.project, key, ctx.stack)
    if (!name) fail(service.name, `network "${key}" is not declared in the top-level networks`)
    return {Target: name, Aliases: [...(config?.aliases ?? []), service.name]}
  })
  return nonEmpty(list.sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0)))
}

function resources(service: ServiceConfig): ServiceSpec['TaskTemplate']['Resources'] {
  const r = service.deploy?.resources
  if (!r) return undefined
  const limits: ResourceSpec | undefined = r.limits && compact({
    NanoCPUs: nanoCpus(service.name, 'deploy.resources.limits.cpus', r.limits.cpus),
    MemoryBytes: bytes(service.name, 'deploy.resources.limits.memory', r.limits.memory),
    Pids: r.limits.pids,
  })
  const generic = (r.reservations as {generic_resources?: Array<{discrete_resource_spec?: {kind: string; value: number}; named_resource_spec?: {kind: string; value: string}}>} | undefined)?.generic_resources
  const reservations: ResourceSpec | undefined = r.reservations && compact({
    NanoCPUs: nanoCpus(service.name, 'deploy.resources.reservations.cpus', r.reservations.cpus),
    MemoryBytes: bytes(service.name, 'deploy.resources.reservations.memory', r.reservations.memory),
    GenericResources: nonEmpty(
      (generic ?? []).map((g) =>
        g.discrete_resource_spec
          ? {DiscreteResourceSpec: {Kind: g.discrete_resource_spec.kind, Value: g.discrete_resource_spec.value}}
          : {NamedResourceSpec: {Kind: g.named_resource_spec?.kind ?? '', Value: g.named_resource_spec?.value ?? ''}},
      ),
    ),
  })
  return compact({Limits: limits, Reservations: reservations})
}

/** deploy.restart_policy, else the service's `restart:` as the CLI maps it ("no" sets nothing). */
function restartPolicy(service: ServiceConfig): ServiceSpec['TaskTemplate']['RestartPolicy'] {
  const p = service.deploy?.restart_policy
  if (p) {
    return compact({
      Condition: p.condition,
      Delay: nanos(service.name, 'deploy.restart_policy.delay', p.delay),
      MaxAttempts: p.max_attempts,
      Window: nanos(service.name, 'deploy.restart_policy.window', p.window),
    }) ?? {}
  }
  const restart = service.restart
  if (!restart || restart === 'no') return undefined
  if (restart === 'always' || restart === 'unless-stopped') return {Condition: 'any'}
  const m = /^on-failure(?::(\d+))?$/.exec(restart)
  if (m) return {Condition: 'on-failure', ...(m[1] !== undefined && {MaxAttempts: Number(m[1])})}
  return fail(service.name, `restart "${restart}" is not one of no, always, on-failure[:N], unless-stopped`)
}

function placement(service: ServiceConfig): ServiceSpec['TaskTemplate']['Placement'] {
  const p = service.deploy?.placement
  if (!p) return undefined
  return compact({
    Constraints: nonEmpty(p.constraints),
    Preferences: nonEmpty((p.preferences ?? []).map((pref) => ({Spread: {SpreadDescriptor: pref.spread}}))),
    MaxReplicas: p.max_replicas_per_node,
  })
}

function updateConfig(service: ServiceConfig, key: 'update_config' | 'rollback_config'): UpdateConfig | undefined {
  const c = service.deploy?.[key] as {parallelism?: number; delay?: string; failure_action?: string; monitor?: string; max_failure_ratio?: number; order?: string} | undefined
  if (!c) return undefined
  return {
    Parallelism: c.parallelism ?? 1,
    ...compact({
      Delay: nanos(service.name, `deploy.${key}.delay`, c.delay),
      FailureAction: c.failure_action,
      Monitor: nanos(service.name, `deploy.${key}.monitor`, c.monitor),
      MaxFailureRatio: c.max_failure_ratio,
      Order: c.order,
    }),
  }
}

function mode(service: ServiceConfig): ServiceSpec['Mode'] {
  const d = service.deploy
  const replicas = d?.replicas ?? service.scale
  switch (d?.mode ?? 'replicated') {
    case 'replicated':
      return {Replicated: replicas === undefined ? {} : {Replicas: replicas}}
    case 'global':
      if (d?.replicas !== undefined) fail(service.name, 'deploy.replicas cannot be used with deploy.mode: global', ['remove replicas, or use mode: replicated'])
      return {Global: {}}
    case 'replicated-job':
      return {ReplicatedJob: {MaxConcurrent: replicas ?? 1, TotalCompletions: replicas ?? 1}}
    case 'global-job':
      if (d?.replicas !== undefined) fail(service.name, 'deploy.replicas cannot be used with deploy.mode: global-job')
      return {GlobalJob: {}}
    default:
      return fail(service.name, `deploy.mode "${d?.mode}" is not one of replicated, global, replicated-job, global-job`)
  }
}

function endpointSpec(service: ServiceConfig, ctx: ConvertContext): ServiceSpec['EndpointSpec'] {
  const endpointMode = service.deploy?.endpoint_mode
  if (endpointMode !== undefined && endpointMode !== 'vip' && endpointMode !== 'dnsrr') fail(service.name, `deploy.endpoint_mode "${endpointMode}" is not one of vip, dnsrr`)
  const list = ports(service, ctx)
  if (endpointMode === 'dnsrr' && list?.some((p) => p.PublishMode === 'ingress' && p.PublishedPort !== undefined)) {
    fail(service.name, 'ports published in ingress mode cannot be used with endpoint_mode: dnsrr', ['publish them with mode: host, or use endpoint_mode: vip'])
  }
  return {...(endpointMode && {Mode: endpointMode}), ...(list && {Ports: list})}
}

/** The ServiceSpec for one service (secret and config IDs still empty). */
export function serviceSpec(service: ServiceConfig, ctx: ConvertContext): ServiceSpec {
  const {stack} = ctx
  if (!service.image) {
    fail(service.name, 'no image: swarm services run images from a registry', [`build and push it first (berth build ${service.name} && berth push ${service.name}), then name it with image:`])
  }
  const logging = service.logging
  const isolation = service.isolation as string | undefined
  const container = {
    Image: service.image,
    Labels: {...service.labels, [NAMESPACE_LABEL]: stack},
    Command: service.entrypoint ?? undefined,
    Args: service.command ?? undefined,
    Hostname: service.hostname,
    Env: environment(service.environment),
    Dir: service.working_dir,
    User: service.user,
    Groups: nonEmpty(service.group_add as string[] | undefined)?.map(String),
    Init: service.init,
    TTY: service.tty || undefined,
    OpenStdin: service.stdin_open || undefined,
    StopSignal: service.stop_signal,
    ReadOnly: service.read_only || undefined,
    Mounts: mounts(service, ctx),
    StopGracePeriod: nanos(service.name, 'stop_grace_period', service.stop_grace_period),
    Healthcheck: healthcheck(service),
    Hosts: hosts(service.extra_hosts),
    DNSConfig: compact({Nameservers: nonEmpty(service.dns), Search: nonEmpty(service.dns_search), Options: nonEmpty(service.dns_opt)}),
    Secrets: secrets(service, ctx),
    Configs: configs(service, ctx),
    Isolation: isolation,
    Sysctls: nonEmptyMap(service.sysctls),
    CapabilityAdd: capabilities(service.cap_add),
    CapabilityDrop: capabilities(service.cap_drop),
    Ulimits: ulimits(service),
  } satisfies ContainerSpec
  const template: ServiceSpec['TaskTemplate'] = {
    ContainerSpec: compact(container) as ContainerSpec,
    ...compact({
      Resources: resources(service),
      RestartPolicy: restartPolicy(service),
      Placement: placement(service),
      Networks: networks(service, ctx),
      LogDriver: logging && (logging.driver || logging.options) ? compact({Name: logging.driver, Options: nonEmptyMap(logging.options as Record<string, string> | undefined)}) : undefined,
    }),
  }
  const serviceMode = mode(service)
  const job = serviceMode.ReplicatedJob !== undefined || serviceMode.GlobalJob !== undefined
  return {
    Name: scoped(stack, service.name),
    Labels: {...service.deploy?.labels, [IMAGE_LABEL]: service.image, [NAMESPACE_LABEL]: stack},
    TaskTemplate: template,
    Mode: serviceMode,
    ...compact({UpdateConfig: job ? undefined : updateConfig(service, 'update_config'), RollbackConfig: job ? undefined : updateConfig(service, 'rollback_config')}),
    EndpointSpec: endpointSpec(service, ctx),
  }
}

/** The spec with the IDs of its secrets and configs, looked up by name. */
export function bindFileIds(spec: ServiceSpec, secretIds: ReadonlyMap<string, string>, configIds: ReadonlyMap<string, string>): ServiceSpec {
  const copy = structuredClone(spec)
  const c = copy.TaskTemplate.ContainerSpec
  for (const ref of c.Secrets ?? []) ref.SecretID = secretIds.get(ref.SecretName) ?? ''
  for (const ref of c.Configs ?? []) ref.ConfigID = configIds.get(ref.ConfigName) ?? ''
  return copy
}
