/**
 * Shapes of the Engine API objects Berth sends and reads (API 1.41+), in the engine's own
 * PascalCase. Only the fields Berth uses are spelled out; everything else is still present at
 * run time and typed loosely through the index signatures.
 */

export type Labels = Record<string, string>

/** `filters` of list endpoints: `{label: ['com.docker.compose.project=demo'], status: ['running']}`. */
export type Filters = Record<string, readonly string[]>

export interface PortBinding {
  HostIp?: string
  HostPort?: string
}

export interface Port {
  IP?: string
  PrivatePort: number
  PublicPort?: number
  Type: 'tcp' | 'udp' | 'sctp'
}

export interface MountPoint {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster'
  Name?: string
  Source: string
  Destination: string
  Driver?: string
  Mode: string
  RW: boolean
  Propagation: string
}

export interface EndpointSettings {
  IPAMConfig?: {IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[]} | null
  Links?: string[] | null
  Aliases?: string[] | null
  /** API 1.44+. */
  MacAddress?: string
  /** API 1.42+. */
  DriverOpts?: Record<string, string> | null
  NetworkID?: string
  EndpointID?: string
  Gateway?: string
  IPAddress?: string
  IPPrefixLen?: number
  GlobalIPv6Address?: string
  [key: string]: unknown
}

/** One row of GET /containers/json. */
export interface ContainerSummary {
  Id: string
  Names: string[]
  Image: string
  ImageID: string
  Command: string
  Created: number
  Ports: Port[]
  Labels: Labels
  State: 'created' | 'restarting' | 'running' | 'removing' | 'paused' | 'exited' | 'dead'
  Status: string
  HostConfig: {NetworkMode: string}
  NetworkSettings: {Networks: Record<string, EndpointSettings>}
  Mounts: MountPoint[]
  [key: string]: unknown
}

export interface HealthConfig {
  Test?: string[]
  Interval?: number
  Timeout?: number
  Retries?: number
  StartPeriod?: number
  /** API 1.44+. */
  StartInterval?: number
}

export interface Mount {
  Target: string
  Source?: string
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster'
  ReadOnly?: boolean
  Consistency?: string
  BindOptions?: {Propagation?: string; NonRecursive?: boolean; CreateMountpoint?: boolean; ReadOnlyNonRecursive?: boolean; ReadOnlyForceRecursive?: boolean}
  VolumeOptions?: {NoCopy?: boolean; Labels?: Labels; DriverConfig?: {Name?: string; Options?: Record<string, string>}; Subpath?: string}
  TmpfsOptions?: {SizeBytes?: number; Mode?: number}
}

export interface HostConfig {
  Binds?: string[]
  Mounts?: Mount[]
  PortBindings?: Record<string, PortBinding[]>
  PublishAllPorts?: boolean
  NetworkMode?: string
  RestartPolicy?: {Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure'; MaximumRetryCount?: number}
  AutoRemove?: boolean
  VolumesFrom?: string[]
  Links?: string[]
  CapAdd?: string[]
  CapDrop?: string[]
  Dns?: string[]
  DnsOptions?: string[]
  DnsSearch?: string[]
  ExtraHosts?: string[]
  Init?: boolean
  Privileged?: boolean
  ReadonlyRootfs?: boolean
  SecurityOpt?: string[]
  Tmpfs?: Record<string, string>
  ShmSize?: number
  Sysctls?: Record<string, string>
  Ulimits?: {Name: string; Soft: number; Hard: number}[]
  LogConfig?: {Type: string; Config?: Record<string, string>}
  PidMode?: string
  IpcMode?: string
  Memory?: number
  MemorySwap?: number
  MemoryReservation?: number
  NanoCpus?: number
  CpuShares?: number
  CpusetCpus?: string
  PidsLimit?: number
  Devices?: {PathOnHost: string; PathInContainer: string; CgroupPermissions: string}[]
  GroupAdd?: string[]
  /** API 1.43+. */
  Annotations?: Record<string, string>
  [key: string]: unknown
}

/** A container's own configuration: the create body without host and network settings. */
export interface ContainerConfig {
  Hostname?: string
  Domainname?: string
  User?: string
  AttachStdin?: boolean
  AttachStdout?: boolean
  AttachStderr?: boolean
  ExposedPorts?: Record<string, Record<string, never>>
  Tty?: boolean
  OpenStdin?: boolean
  StdinOnce?: boolean
  Env?: string[]
  Cmd?: string[] | null
  Entrypoint?: string[] | null
  Healthcheck?: HealthConfig
  Image: string
  Volumes?: Record<string, Record<string, never>>
  WorkingDir?: string
  Labels?: Labels
  StopSignal?: string
  StopTimeout?: number
  MacAddress?: string
}

/** The body of POST /containers/create. */
export interface ContainerCreateBody extends ContainerConfig {
  HostConfig?: HostConfig
  NetworkingConfig?: {EndpointsConfig?: Record<string, EndpointSettings>}
  [key: string]: unknown
}

export interface ContainerState {
  Status: ContainerSummary['State']
  Running: boolean
  Paused: boolean
  Restarting: boolean
  OOMKilled: boolean
  Dead: boolean
  Pid: number
  ExitCode: number
  Error: string
  StartedAt: string
  FinishedAt: string
  Health?: {Status: 'starting' | 'healthy' | 'unhealthy' | 'none'; FailingStreak: number; Log: {Start: string; End: string; ExitCode: number; Output: string}[]}
}

/** GET /containers/{id}/json. */
export interface ContainerInspect {
  Id: string
  Name: string
  Created: string
  Path: string
  Args: string[]
  State: ContainerState
  Image: string
  RestartCount: number
  Config: ContainerConfig & {Image: string; Labels: Labels; [key: string]: unknown}
  HostConfig: HostConfig
  NetworkSettings: {Networks: Record<string, EndpointSettings>; Ports: Record<string, PortBinding[] | null>; [key: string]: unknown}
  Mounts: MountPoint[]
  [key: string]: unknown
}

/** GET /images/json rows. */
export interface ImageSummary {
  Id: string
  ParentId: string
  RepoTags: string[] | null
  RepoDigests: string[] | null
  Created: number
  Size: number
  Labels: Labels | null
  Containers: number
  [key: string]: unknown
}

/** GET /images/{name}/json. */
export interface ImageInspect {
  Id: string
  RepoTags: string[]
  RepoDigests: string[]
  Created: string
  Size: number
  Architecture: string
  Os: string
  Config: {Env?: string[]; Cmd?: string[] | null; Entrypoint?: string[] | null; WorkingDir?: string; User?: string; ExposedPorts?: Record<string, object>; Volumes?: Record<string, object> | null; Labels?: Labels | null; Healthcheck?: HealthConfig; StopSignal?: string}
  RootFS: {Type: string; Layers?: string[]}
  [key: string]: unknown
}

export interface IpamConfig {
  Subnet?: string
  IPRange?: string
  Gateway?: string
  AuxiliaryAddresses?: Record<string, string>
}

/** The body of POST /networks/create. */
export interface NetworkCreateBody {
  Name: string
  Driver?: string
  Internal?: boolean
  Attachable?: boolean
  Ingress?: boolean
  EnableIPv6?: boolean
  /** API 1.47+. */
  EnableIPv4?: boolean
  IPAM?: {Driver?: string; Config?: IpamConfig[]; Options?: Record<string, string>}
  Options?: Record<string, string>
  Labels?: Labels
  /** Ignored (and deprecated) from API 1.44. */
  CheckDuplicate?: boolean
}

/** GET /networks rows and GET /networks/{id}. */
export interface NetworkInspect {
  Name: string
  Id: string
  Created: string
  Scope: 'local' | 'swarm' | 'global'
  Driver: string
  EnableIPv6: boolean
  Internal: boolean
  Attachable: boolean
  Ingress: boolean
  IPAM: {Driver: string; Config: IpamConfig[] | null; Options: Record<string, string> | null}
  Options: Record<string, string>
  Labels: Labels
  Containers?: Record<string, {Name: string; EndpointID: string; MacAddress: string; IPv4Address: string; IPv6Address: string}>
  [key: string]: unknown
}

/** The body of POST /volumes/create. */
export interface VolumeCreateBody {
  Name?: string
  Driver?: string
  DriverOpts?: Record<string, string>
  Labels?: Labels
}

export interface Volume {
  Name: string
  Driver: string
  Mountpoint: string
  CreatedAt?: string
  Labels: Labels | null
  Scope: 'local' | 'global'
  Options: Record<string, string> | null
  [key: string]: unknown
}

/** The body of POST /containers/{id}/exec. */
export interface ExecCreateBody {
  Cmd: string[]
  AttachStdin?: boolean
  AttachStdout?: boolean
  AttachStderr?: boolean
  DetachKeys?: string
  Tty?: boolean
  /** API 1.42+: [height, width]. */
  ConsoleSize?: [number, number]
  Env?: string[]
  Privileged?: boolean
  User?: string
  WorkingDir?: string
}

export interface ExecInspect {
  ID: string
  Running: boolean
  ExitCode: number | null
  ProcessConfig: {tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user?: string}
  OpenStdin: boolean
  OpenStderr: boolean
  OpenStdout: boolean
  ContainerID: string
  Pid: number
  [key: string]: unknown
}

/** GET /version. */
export interface VersionInfo {
  Version: string
  ApiVersion: string
  MinAPIVersion: string
  GitCommit: string
  GoVersion: string
  Os: string
  Arch: string
  KernelVersion: string
  [key: string]: unknown
}

/** GET /info (the fields Berth reads). */
export interface SystemInfo {
  ID: string
  Containers: number
  Images: number
  Driver: string
  Name: string
  ServerVersion: string
  OperatingSystem: string
  NCPU: number
  MemTotal: number
  CgroupVersion?: string
  Swarm: {NodeID: string; LocalNodeState: 'inactive' | 'pending' | 'active' | 'error' | 'locked'; ControlAvailable: boolean; [key: string]: unknown}
  [key: string]: unknown
}

/** One message of GET /events. */
export interface EngineEvent {
  Type: 'container' | 'image' | 'volume' | 'network' | 'daemon' | 'plugin' | 'node' | 'service' | 'secret' | 'config' | 'builder'
  Action: string
  Actor: {ID: string; Attributes: Record<string, string>}
  scope?: 'local' | 'swarm'
  time: number
  timeNano: number
  /** Deprecated mirrors of Actor, present on container events. */
  id?: string
  status?: string
  from?: string
}

/** Stat of a path in a container: the X-Docker-Container-Path-Stat header of the archive endpoints. */
export interface PathStat {
  name: string
  size: number
  mode: number
  mtime: string
  linkTarget: string
}

export interface TopResult {
  Titles: string[]
  Processes: string[][]
}

export interface WaitResult {
  StatusCode: number
  Error?: {Message: string} | null
}
