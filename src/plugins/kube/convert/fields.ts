/**
 * Which Compose service fields become part of a Kubernetes object, and which cannot: those get
 * one warning line per field for the whole project, naming the services that use it, the way
 * kompose says `Unsupported <key> key - ignoring`.
 */
import type {ServiceConfig} from '../../sdk/index.js'

/** Fields the converter turns into objects (./pod.ts, ./service.ts, ./volumes.ts). */
export const CONVERTED = new Set([
  'name', 'image', 'build', 'command', 'entrypoint', 'environment', 'labels', 'annotations', 'container_name', 'hostname',
  'domainname', 'working_dir', 'user', 'group_add', 'ports', 'expose', 'volumes', 'tmpfs', 'secrets', 'configs', 'networks',
  'restart', 'healthcheck', 'stop_grace_period', 'privileged', 'read_only', 'cap_add', 'cap_drop', 'tty', 'stdin_open',
  'deploy', 'scale', 'mem_limit', 'mem_reservation', 'cpus', 'pid', 'pull_policy',
])

/** Fields already applied by the loader, or with no meaning on a cluster: no warning. */
export const SILENT = new Set(['env_file', 'label_file', 'profiles', 'extends', 'develop', 'attach', 'platform', 'post_start', 'pre_stop'])

/** Parts of `deploy:` the converter uses. */
const DEPLOY_CONVERTED = new Set(['mode', 'replicas', 'labels', 'resources', 'restart_policy', 'endpoint_mode'])

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') return Object.values(value as object).every(isEmpty)
  return false
}

/** kompose labels Berth does not act on yet (Ingress, CronJob, HPA, init containers, grouping, volume types). */
const KOMPOSE_LABELS_NOT_YET = [
  'kompose.service.expose', 'kompose.service.expose.tls-secret', 'kompose.service.expose.ingress-class-name', 'kompose.cronjob.schedule',
  'kompose.cronjob.concurrency_policy', 'kompose.cronjob.backoff_limit', 'kompose.hpa.cpu', 'kompose.hpa.memory', 'kompose.hpa.replicas.min',
  'kompose.hpa.replicas.max', 'kompose.init.containers.name', 'kompose.init.containers.image', 'kompose.init.containers.command',
  'kompose.service.group', 'kompose.volume.type', 'kompose.controller.port.expose',
]

/** The unsupported field paths one service uses, e.g. `depends_on`, `deploy.placement`, `label kompose.hpa.cpu`. */
export function unsupportedFields(service: ServiceConfig): string[] {
  const out: string[] = []
  for (const [key, value] of Object.entries(service)) {
    if (key.startsWith('x-') || CONVERTED.has(key) || SILENT.has(key) || isEmpty(value)) continue
    if (key === 'network_mode' && value === 'bridge') continue
    out.push(key)
  }
  const deploy = service.deploy ?? {}
  for (const [key, value] of Object.entries(deploy)) {
    if (key.startsWith('x-') || DEPLOY_CONVERTED.has(key) || isEmpty(value)) continue
    out.push(`deploy.${key}`)
  }
  if (!isEmpty(deploy.resources?.limits?.pids)) out.push('deploy.resources.limits.pids')
  if (!isEmpty(deploy.resources?.reservations?.devices)) out.push('deploy.resources.reservations.devices')
  if (!isEmpty(deploy.restart_policy?.delay)) out.push('deploy.restart_policy.delay')
  if (!isEmpty(deploy.restart_policy?.max_attempts)) out.push('deploy.restart_policy.max_attempts')
  if (!isEmpty(deploy.restart_policy?.window)) out.push('deploy.restart_policy.window')
  for (const label of KOMPOSE_LABELS_NOT_YET) if (service.labels?.[label] !== undefined) out.push(`label ${label}`)
  return out
}

/** One line per unsupported field over all services, in field order: `Unsupported depends_on key - ignoring (services: db, web)`. */
export function unsupportedWarnings(services: readonly ServiceConfig[]): string[] {
  const users = new Map<string, string[]>()
  for (const service of services) {
    for (const field of unsupportedFields(service)) {
      const list = users.get(field) ?? []
      list.push(service.name)
      users.set(field, list)
    }
  }
  return [...users.keys()].sort().map((field) => `Unsupported ${field}${field.startsWith('label ') ? '' : ' key'} - ignoring (${users.get(field)!.length === 1 ? 'service' : 'services'}: ${users.get(field)!.sort().join(', ')})`)
}
