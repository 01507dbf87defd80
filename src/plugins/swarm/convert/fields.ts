/**
 * Which Compose service fields a swarm stack honours, and what happens to the others — the way
 * `docker stack deploy` treats them: fields it cannot express are ignored with one warning listing
 * them; a few are deprecated (one line of advice each); resource fields outside `deploy:` are
 * refused, since silently dropping a limit the user asked for is worse than stopping.
 */

/** Fields turned into the service spec (src/plugins/swarm/convert/service.ts). */
export const CONVERTED = new Set([
  'name', 'image', 'command', 'entrypoint', 'environment', 'labels', 'hostname', 'working_dir', 'user', 'group_add',
  'init', 'tty', 'stdin_open', 'read_only', 'tmpfs', 'stop_signal', 'stop_grace_period', 'healthcheck', 'extra_hosts',
  'dns', 'dns_search', 'dns_opt', 'secrets', 'configs', 'volumes', 'ports', 'networks', 'deploy', 'sysctls', 'ulimits',
  'cap_add', 'cap_drop', 'logging', 'isolation', 'restart', 'scale',
])

/** Fields with no meaning for a swarm service, or already applied by the loader: no warning. */
export const SILENT = new Set(['depends_on', 'env_file', 'label_file', 'profiles', 'extends', 'annotations', 'develop', 'attach', 'pull_policy', 'platform'])

/** Deprecated for stacks, with the docker CLI's advice. */
export const DEPRECATED: Record<string, string> = {
  container_name: 'Setting the container name is not supported.',
  expose: "Exposing ports is unnecessary - services on the same network can access each other's containers on any port.",
}

const RESOURCES = 'Set resource limits using deploy.resources'

/** Refused: what the user meant cannot be honoured where they wrote it. */
export const FORBIDDEN: Record<string, string> = {
  mem_limit: RESOURCES,
  memswap_limit: RESOURCES,
  mem_reservation: RESOURCES,
  cpus: RESOURCES,
  cpu_shares: RESOURCES,
  cpu_quota: RESOURCES,
  cpu_period: RESOURCES,
  cpu_count: RESOURCES,
  cpu_percent: RESOURCES,
  cpuset: RESOURCES,
  pids_limit: 'Set the process limit using deploy.resources.limits.pids',
  volumes_from:
    'To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.',
}

/** Deploy fields a swarm service has no place for. */
export const UNSUPPORTED_DEPLOY = new Set(['resources.reservations.devices'])
