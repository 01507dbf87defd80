/**
 * docker compose prints a service through Go structs whose plain fields are `omitempty`: a false
 * flag, a zero number, an empty string, an empty list or mapping is not printed at all. Dropping
 * them here keeps the Project (and the config hash) identical for `privileged: false` and no
 * `privileged`. Fields that compose keeps even when empty (`init: false`, `command: []`) are not
 * listed.
 */
import {isRecord} from './walk.js'

const FLAGS = ['oom_kill_disable', 'privileged', 'read_only', 'use_api_socket', 'stdin_open', 'tty']
const NUMBERS = [
  'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpus', 'cpu_shares',
  'oom_score_adj', 'pids_limit', 'mem_limit', 'mem_reservation', 'memswap_limit', 'mem_swappiness', 'shm_size',
]
const LISTS = [
  'cap_add', 'cap_drop', 'device_cgroup_rules', 'devices', 'dns', 'dns_opt', 'dns_search', 'group_add', 'external_links',
  'links', 'security_opt', 'tmpfs', 'volumes', 'volumes_from', 'ports', 'expose', 'secrets', 'configs', 'profiles', 'extra_hosts',
]
const MAPPINGS = ['labels', 'annotations', 'environment', 'sysctls', 'ulimits', 'depends_on', 'storage_opt', 'log_opt']

export function omitEmpty(value: unknown): unknown {
  if (!isRecord(value)) return value
  const out = {...value}
  for (const [key, v] of Object.entries(out)) {
    const empty =
      (v === false && FLAGS.includes(key)) ||
      ((v === 0 || v === '0') && NUMBERS.includes(key)) ||
      (v === '' && !key.startsWith('x-')) ||
      (Array.isArray(v) && v.length === 0 && LISTS.includes(key)) ||
      (isRecord(v) && Object.keys(v).length === 0 && MAPPINGS.includes(key))
    if (empty) delete out[key]
  }
  return out
}
