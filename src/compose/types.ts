/**
 * The canonical, normalised Compose model: what `berth config --format json` prints and what the
 * runtime, builder and plugins consume. Field names and shapes follow the canonical form that
 * `docker compose config --format json` prints (snake_case keys, long syntax everywhere), so a
 * Project can be serialised as-is. Absent optional fields are omitted, never null.
 */

export type Extensions = Record<`x-${string}`, unknown>

export interface Project {
  name: string
  /** Absolute project directory (relative paths resolve against it). */
  workingDir: string
  /** Absolute paths of the Compose files that were merged, in order. */
  configFiles: string[]
  /** Active services after profile filtering, by name. */
  services: Record<string, ServiceConfig>
  /** Services switched off by profiles (kept so that `--profile` hints and `down` can name them). */
  disabledServices: Record<string, ServiceConfig>
  networks: Record<string, NetworkConfig>
  volumes: Record<string, VolumeConfig>
  secrets: Record<string, SecretConfig>
  configs: Record<string, ConfigObjConfig>
  /** AI models services can use (`models:`), as written. */
  models?: Record<string, unknown>
  /** Top-level x- fields. */
  extensions: Record<string, unknown>
  /** The variables interpolation saw (process env over env files). Never printed: may hold secrets. */
  environment: Record<string, string>
  /** Profiles that were enabled for this load. */
  profiles: string[]
}

export interface ServiceConfig {
  name: string
  image?: string
  build?: BuildConfig
  command?: string[] | null
  entrypoint?: string[] | null
  environment?: Record<string, string | null>
  env_file?: EnvFileConfig[]
  labels?: Record<string, string>
  annotations?: Record<string, string>
  container_name?: string
  hostname?: string
  domainname?: string
  working_dir?: string
  user?: string
  ports?: PortConfig[]
  expose?: string[]
  volumes?: ServiceVolumeConfig[]
  volumes_from?: string[]
  tmpfs?: string[]
  networks?: Record<string, ServiceNetworkConfig | null>
  network_mode?: string
  depends_on?: Record<string, DependsOnConfig>
  links?: string[]
  external_links?: string[]
  extra_hosts?: string[] | Record<string, string | string[]>
  dns?: string[]
  dns_search?: string[]
  dns_opt?: string[]
  restart?: string
  healthcheck?: HealthcheckConfig
  stop_signal?: string
  /** Canonical duration string as compose prints it, e.g. "1m30s". */
  stop_grace_period?: string
  init?: boolean
  privileged?: boolean
  read_only?: boolean
  cap_add?: string[]
  cap_drop?: string[]
  security_opt?: string[]
  devices?: Array<{source: string; target: string; permissions?: string}>
  /** `nproc: 65535` is `{single: 65535}` here; the config document prints the number again. */
  ulimits?: Record<string, {single?: number; soft?: number; hard?: number}>
  sysctls?: Record<string, string>
  shm_size?: number | string
  mem_limit?: number | string
  memswap_limit?: number | string
  mem_reservation?: number | string
  cpus?: number | string
  cpu_shares?: number
  cpuset?: string
  pids_limit?: number
  logging?: {driver?: string; options?: Record<string, string | null>}
  tty?: boolean
  stdin_open?: boolean
  pid?: string
  ipc?: string
  secrets?: ServiceFileRef[]
  configs?: ServiceFileRef[]
  deploy?: DeployConfig
  scale?: number
  profiles?: string[]
  pull_policy?: string
  platform?: string
  /** Any other spec field the normaliser passes through unchanged. */
  [key: string]: unknown
}

export interface BuildConfig {
  context: string
  dockerfile?: string
  dockerfile_inline?: string
  args?: Record<string, string | null>
  target?: string
  labels?: Record<string, string>
  tags?: string[]
  shm_size?: number | string
  extra_hosts?: string[] | Record<string, string | string[]>
  network?: string
  cache_from?: string[]
  no_cache?: boolean
  pull?: boolean
  [key: string]: unknown
}

export interface EnvFileConfig {
  path: string
  required: boolean
  format?: string
}

export interface PortConfig {
  name?: string
  mode: 'ingress' | 'host' | string
  host_ip?: string
  target: number
  /** A string, as compose prints it; may be a range "8000-8010" only before expansion. */
  published?: string
  protocol: 'tcp' | 'udp' | 'sctp' | string
  app_protocol?: string
}

export interface ServiceVolumeConfig {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image'
  source?: string
  target: string
  read_only?: boolean
  consistency?: string
  bind?: {propagation?: string; create_host_path?: boolean; selinux?: string}
  volume?: {nocopy?: boolean; subpath?: string}
  tmpfs?: {size?: number | string; mode?: number}
  image?: {subpath?: string}
}

export interface ServiceNetworkConfig {
  aliases?: string[]
  ipv4_address?: string
  ipv6_address?: string
  link_local_ips?: string[]
  mac_address?: string
  priority?: number
  driver_opts?: Record<string, string>
  gw_priority?: number
}

export interface DependsOnConfig {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully'
  required: boolean
  restart?: boolean
}

export interface HealthcheckConfig {
  test?: string[]
  interval?: string
  timeout?: string
  start_period?: string
  start_interval?: string
  retries?: number
  disable?: boolean
}

export interface ServiceFileRef {
  source: string
  target?: string
  uid?: string
  gid?: string
  /** Octal text as compose prints it (`"0440"`). */
  mode?: string | number
}

export interface DeployConfig {
  mode?: string
  replicas?: number
  endpoint_mode?: string
  labels?: Record<string, string>
  resources?: {
    limits?: {cpus?: string | number; memory?: number | string; pids?: number}
    reservations?: {cpus?: string | number; memory?: number | string; devices?: unknown[]}
  }
  restart_policy?: {condition?: string; delay?: string; max_attempts?: number; window?: string}
  placement?: {constraints?: string[]; preferences?: Array<{spread: string}>; max_replicas_per_node?: number}
  update_config?: Record<string, unknown>
  rollback_config?: Record<string, unknown>
  [key: string]: unknown
}

export interface NetworkConfig {
  /** Full engine name: `<project>_<key>` unless `name:` or external. */
  name: string
  driver?: string
  driver_opts?: Record<string, string>
  ipam?: {driver?: string; config?: Array<Record<string, unknown>>; options?: Record<string, string>}
  external?: boolean
  internal?: boolean
  attachable?: boolean
  enable_ipv6?: boolean
  labels?: Record<string, string>
  [key: string]: unknown
}

export interface VolumeConfig {
  name: string
  driver?: string
  driver_opts?: Record<string, string>
  external?: boolean
  labels?: Record<string, string>
  [key: string]: unknown
}

export interface SecretConfig {
  name: string
  file?: string
  environment?: string
  content?: string
  external?: boolean
  labels?: Record<string, string>
  [key: string]: unknown
}

export type ConfigObjConfig = SecretConfig
