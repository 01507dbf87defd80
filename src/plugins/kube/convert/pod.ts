/**
 * One Compose service as a pod template: its one container (image, entrypoint -> command,
 * command -> args, environment, ports, working_dir, stdin_open/tty, probes, resources, security
 * context, mounts) and the pod around it (volumes, restart policy, hostname, grace period), the way
 * kompose writes them.
 *
 * Kubernetes expands `$(VAR)` in command, args and env values; Compose does not (the loader has
 * already interpolated `${VAR}`), so a literal `$(` is written `$$(` to reach the container as is.
 */
import {UserInputError, type ServiceConfig} from '../../sdk/index.js'
import type {IContainer, IContainerPort, IEnvVar, IPodSpec, IResourceRequirements, ISecurityContext} from '../types.js'
import type {Context} from './context.js'
import {checkServiceName, serviceName} from './names.js'
import {livenessProbe, readinessProbe} from './probes.js'
import {cpuQuantity, memoryQuantity, seconds} from './units.js'
import type {PodStorage} from './volumes.js'

export type Restart = 'Always' | 'OnFailure' | 'Never'

const literal = (text: string) => text.replaceAll('$(', () => '$$(')

/** The pod restart policy Compose asks for: deploy.restart_policy.condition over restart (kompose's reading). */
export function restartPolicy(ctx: Context, service: ServiceConfig): Restart {
  const condition = service.deploy?.restart_policy?.condition
  if (condition !== undefined) {
    if (condition === 'none') return 'Never'
    if (condition === 'on-failure') return 'OnFailure'
    return 'Always'
  }
  const restart = service.restart ?? 'always'
  if (restart === 'no') return 'Never'
  if (restart.startsWith('on-failure')) {
    if (restart !== 'on-failure') ctx.warn(`service ${service.name}: restart ${restart}: Kubernetes does not limit restarts - using OnFailure`)
    return 'OnFailure'
  }
  if (restart === 'unless-stopped') ctx.warn(`Restart policy 'unless-stopped' in service ${service.name} is not supported, convert it to 'always'`)
  return 'Always'
}

function environment(ctx: Context, service: ServiceConfig): IEnvVar[] {
  const env: IEnvVar[] = []
  for (const [name, value] of Object.entries(service.environment ?? {})) {
    const resolved = value ?? ctx.project.environment[name]
    if (resolved === undefined) {
      ctx.warn(`service ${service.name}: environment ${name} has no value and is not set here - left out`)
      continue
    }
    env.push({name, value: literal(resolved)})
  }
  return env.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP'

/** A Compose protocol (`tcp`, `udp`, `sctp`) as Kubernetes writes it. */
export function protocolOf(service: string, protocol: string): Protocol {
  const p = protocol.toUpperCase()
  if (p === 'TCP' || p === 'UDP' || p === 'SCTP') return p
  throw new UserInputError('KUBE_FIELD_INVALID', `service ${service}: port protocol "${protocol}" is not one Kubernetes knows (tcp, udp, sctp)`)
}

/** `expose:` entries (`"7000"`, `"7000-7002/udp"`) as single ports. */
export function exposedPorts(service: ServiceConfig): Array<{port: number; protocol: Protocol}> {
  const out: Array<{port: number; protocol: Protocol}> = []
  for (const e of service.expose ?? []) {
    const [range, protocol = 'tcp'] = String(e).split('/')
    const [first, last = first] = range!.split('-').map(Number)
    if (!Number.isInteger(first) || !Number.isInteger(last) || first! < 1 || last! > 65535 || first! > last!) {
      throw new UserInputError('KUBE_FIELD_INVALID', `service ${service.name}: expose "${e}" is not a port or range`)
    }
    for (let n = first!; n <= last!; n++) out.push({port: n, protocol: protocolOf(service.name, protocol)})
  }
  return out
}

/** Container ports of `ports:` and `expose:`, once per port and protocol. */
export function containerPorts(service: ServiceConfig): IContainerPort[] {
  const seen = new Set<string>()
  const out: IContainerPort[] = []
  const add = (port: number, protocol: Protocol) => {
    const key = `${port}/${protocol}`
    if (seen.has(key)) return
    seen.add(key)
    out.push({containerPort: port, protocol})
  }
  for (const p of service.ports ?? []) add(p.target, protocolOf(service.name, p.protocol))
  for (const e of exposedPorts(service)) add(e.port, e.protocol)
  return out
}

function resources(service: ServiceConfig): IResourceRequirements | undefined {
  const r = service.deploy?.resources ?? {}
  const limits: Record<string, string> = {}
  const requests: Record<string, string> = {}
  const memLimit = memoryQuantity(service.name, 'deploy.resources.limits.memory', r.limits?.memory ?? service.mem_limit)
  const cpuLimit = cpuQuantity(service.name, 'deploy.resources.limits.cpus', r.limits?.cpus ?? service.cpus)
  const memRequest = memoryQuantity(service.name, 'deploy.resources.reservations.memory', r.reservations?.memory ?? service.mem_reservation)
  const cpuRequest = cpuQuantity(service.name, 'deploy.resources.reservations.cpus', r.reservations?.cpus)
  if (cpuLimit) limits.cpu = cpuLimit
  if (memLimit) limits.memory = memLimit
  if (cpuRequest) requests.cpu = cpuRequest
  if (memRequest) requests.memory = memRequest
  if (Object.keys(limits).length === 0 && Object.keys(requests).length === 0) return undefined
  return {...(Object.keys(limits).length > 0 ? {limits} : {}), ...(Object.keys(requests).length > 0 ? {requests} : {})}
}

function securityContext(ctx: Context, service: ServiceConfig): ISecurityContext | undefined {
  const sc: ISecurityContext = {}
  if (service.privileged) sc.privileged = true
  if (service.user) {
    const [user, group, ...rest] = service.user.split(':')
    if (rest.length > 0 || user === '') {
      ctx.warn(`service ${service.name}: user "${service.user}" is not UID or UID:GID - ignoring`)
    } else {
      if (/^\d+$/.test(user!)) sc.runAsUser = Number(user)
      else ctx.warn(`service ${service.name}: user "${user}" is a name; Kubernetes needs a numeric UID (runAsUser) - ignoring`)
      if (group !== undefined) {
        if (/^\d+$/.test(group)) sc.runAsGroup = Number(group)
        else ctx.warn(`service ${service.name}: group "${group}" is a name; Kubernetes needs a numeric GID (runAsGroup) - ignoring`)
      }
    }
  }
  const caps = (list: string[] | undefined) => (list ?? []).map((c) => c.replace(/^CAP_/i, '').toUpperCase())
  const add = caps(service.cap_add)
  const drop = caps(service.cap_drop)
  if (add.length > 0 || drop.length > 0) sc.capabilities = {...(add.length > 0 ? {add} : {}), ...(drop.length > 0 ? {drop} : {})}
  if (service.read_only) sc.readOnlyRootFilesystem = true
  return Object.keys(sc).length > 0 ? sc : undefined
}

function pullPolicy(ctx: Context, service: ServiceConfig): IContainer['imagePullPolicy'] {
  const label = service.labels?.['kompose.image-pull-policy']
  if (label !== undefined) {
    if (label === 'Always' || label === 'Never' || label === 'IfNotPresent') return label
    throw new UserInputError('KUBE_FIELD_INVALID', `service ${service.name}: label kompose.image-pull-policy "${label}" must be Always, IfNotPresent or Never`)
  }
  switch (service.pull_policy) {
    case undefined:
      return undefined
    case 'always':
      return 'Always'
    case 'never':
      return 'Never'
    case 'missing':
    case 'if_not_present':
      return 'IfNotPresent'
    default:
      ctx.warn(`service ${service.name}: pull_policy ${service.pull_policy} has no Kubernetes equivalent - ignoring`)
      return undefined
  }
}

/** The image the pod runs; a service that is only built runs the image Compose would tag (`<project>-<service>`). */
export function imageOf(ctx: Context, service: ServiceConfig): string {
  if (service.image) return service.image
  const built = `${ctx.project.name}-${service.name}`
  ctx.warn(`service ${service.name} has no image: Berth builds it as ${built}; push it to a registry the cluster pulls from and set image:`)
  return built
}

export function container(ctx: Context, service: ServiceConfig, name: string, storage: PodStorage): IContainer {
  const containerName = service.container_name ? checkServiceName(service.container_name, serviceName(service.container_name)) : name
  const env = environment(ctx, service)
  const ports = containerPorts(service)
  const liveness = livenessProbe(ctx, service)
  const readiness = readinessProbe(ctx, service)
  const res = resources(service)
  const security = securityContext(ctx, service)
  const policy = pullPolicy(ctx, service)
  return {
    name: containerName,
    image: imageOf(ctx, service),
    ...(service.entrypoint && service.entrypoint.length > 0 ? {command: service.entrypoint.map(literal)} : {}),
    ...(service.command && service.command.length > 0 ? {args: service.command.map(literal)} : {}),
    ...(env.length > 0 ? {env} : {}),
    ...(policy ? {imagePullPolicy: policy} : {}),
    ...(liveness ? {livenessProbe: liveness} : {}),
    ...(ports.length > 0 ? {ports} : {}),
    ...(readiness ? {readinessProbe: readiness} : {}),
    ...(res ? {resources: res} : {}),
    ...(security ? {securityContext: security} : {}),
    ...(service.stdin_open ? {stdin: true} : {}),
    ...(service.tty ? {tty: true} : {}),
    ...(storage.mounts.length > 0 ? {volumeMounts: storage.mounts} : {}),
    ...(service.working_dir ? {workingDir: service.working_dir} : {}),
  }
}

function groups(ctx: Context, service: ServiceConfig): number[] {
  const out: number[] = []
  for (const g of (service.group_add as Array<string | number> | undefined) ?? []) {
    if (/^\d+$/.test(String(g))) out.push(Number(g))
    else ctx.warn(`service ${service.name}: group_add "${g}" is a name; Kubernetes needs a numeric GID - ignoring`)
  }
  return out
}

export function podSpec(ctx: Context, service: ServiceConfig, name: string, storage: PodStorage, restart: Restart, podVolumes = storage.volumes): IPodSpec {
  const labels = service.labels ?? {}
  const grace = seconds(service.name, 'stop_grace_period', service.stop_grace_period)
  const supplementalGroups = groups(ctx, service)
  const fsGroup = labels['kompose.security-context.fsgroup']
  const podSecurity = {
    ...(fsGroup !== undefined && /^\d+$/.test(fsGroup) ? {fsGroup: Number(fsGroup)} : {}),
    ...(supplementalGroups.length > 0 ? {supplementalGroups} : {}),
  }
  if (service.pid !== undefined && service.pid !== 'host') ctx.warn(`service ${service.name}: pid "${service.pid}" is not supported by Kubernetes (only host) - ignoring`)
  const pullSecret = labels['kompose.image-pull-secret']
  const account = labels['kompose.serviceaccount-name']
  return {
    containers: [container(ctx, service, name, storage)],
    ...(service.hostname ? {hostname: service.hostname} : {}),
    ...(service.pid === 'host' ? {hostPID: true} : {}),
    ...(pullSecret ? {imagePullSecrets: [{name: pullSecret}]} : {}),
    restartPolicy: restart,
    ...(Object.keys(podSecurity).length > 0 ? {securityContext: podSecurity} : {}),
    ...(account ? {serviceAccountName: account} : {}),
    ...(service.domainname ? {subdomain: service.domainname} : {}),
    ...(grace !== undefined ? {terminationGracePeriodSeconds: grace} : {}),
    ...(podVolumes.length > 0 ? {volumes: podVolumes} : {}),
  }
}
