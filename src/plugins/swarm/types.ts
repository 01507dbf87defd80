/**
 * The Engine API's swarm objects, as far as a stack uses them (field names as the API spells them).
 * Only what Berth sends or reads is typed; the engine may answer with more.
 */

export type Labels = Record<string, string>

export interface Mount {
  Type: 'bind' | 'volume' | 'tmpfs'
  Source?: string
  Target: string
  ReadOnly?: boolean
  Consistency?: string
  BindOptions?: {Propagation?: string}
  VolumeOptions?: {NoCopy?: boolean; Labels?: Labels; DriverConfig?: {Name?: string; Options?: Record<string, string>}}
  TmpfsOptions?: {SizeBytes?: number; Mode?: number}
}

export interface FileReference {
  File: {Name: string; UID: string; GID: string; Mode: number}
}
export interface SecretReference extends FileReference {
  SecretID: string
  SecretName: string
}
export interface ConfigReference extends FileReference {
  ConfigID: string
  ConfigName: string
}

export interface ContainerSpec {
  Image: string
  Labels?: Labels
  Command?: string[]
  Args?: string[]
  Hostname?: string
  Env?: string[]
  Dir?: string
  User?: string
  Groups?: string[]
  Init?: boolean
  TTY?: boolean
  OpenStdin?: boolean
  ReadOnly?: boolean
  Mounts?: Mount[]
  StopSignal?: string
  StopGracePeriod?: number
  Healthcheck?: {Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number; StartInterval?: number}
  Hosts?: string[]
  DNSConfig?: {Nameservers?: string[]; Search?: string[]; Options?: string[]}
  Secrets?: SecretReference[]
  Configs?: ConfigReference[]
  Isolation?: string
  Sysctls?: Record<string, string>
  CapabilityAdd?: string[]
  CapabilityDrop?: string[]
  Ulimits?: Array<{Name: string; Soft: number; Hard: number}>
}

export interface ResourceSpec {
  NanoCPUs?: number
  MemoryBytes?: number
  Pids?: number
  GenericResources?: Array<{DiscreteResourceSpec?: {Kind: string; Value: number}; NamedResourceSpec?: {Kind: string; Value: string}}>
}

export interface UpdateConfig {
  Parallelism: number
  Delay?: number
  FailureAction?: string
  Monitor?: number
  MaxFailureRatio?: number
  Order?: string
}

export interface PortConfig {
  Name?: string
  Protocol: string
  TargetPort: number
  PublishedPort?: number
  PublishMode: 'ingress' | 'host'
}

export interface ServiceSpec {
  Name: string
  Labels: Labels
  TaskTemplate: {
    ContainerSpec: ContainerSpec
    Resources?: {Limits?: ResourceSpec; Reservations?: ResourceSpec}
    RestartPolicy?: {Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number}
    Placement?: {Constraints?: string[]; Preferences?: Array<{Spread: {SpreadDescriptor: string}}>; MaxReplicas?: number}
    Networks?: Array<{Target: string; Aliases?: string[]}>
    LogDriver?: {Name?: string; Options?: Record<string, string>}
    ForceUpdate?: number
  }
  Mode: {Replicated?: {Replicas?: number}; Global?: Record<string, never>; ReplicatedJob?: {MaxConcurrent?: number; TotalCompletions?: number}; GlobalJob?: Record<string, never>}
  UpdateConfig?: UpdateConfig
  RollbackConfig?: UpdateConfig
  EndpointSpec?: {Mode?: 'vip' | 'dnsrr'; Ports?: PortConfig[]}
}

export interface NetworkCreate {
  Name: string
  Driver: string
  Labels: Labels
  Attachable?: boolean
  Internal?: boolean
  EnableIPv6?: boolean
  Options?: Record<string, string>
  IPAM?: {Driver?: string; Config?: Array<Record<string, unknown>>; Options?: Record<string, string>}
}

/** A secret or config to create: its data stays in memory and never reaches a log line. */
export interface FileObjectCreate {
  Name: string
  Labels: Labels
  /** The content, base64 as the API takes it. */
  Data: string
  Templating?: {Name: string}
}

export interface Service {
  ID: string
  Version: {Index: number}
  CreatedAt?: string
  UpdatedAt?: string
  Spec: ServiceSpec
  Endpoint?: {Spec?: unknown; Ports?: Array<PortConfig & {PublishedPort?: number}>; VirtualIPs?: unknown[]}
  ServiceStatus?: {RunningTasks: number; DesiredTasks: number; CompletedTasks?: number}
}

export interface Task {
  ID: string
  ServiceID: string
  NodeID?: string
  Slot?: number
  DesiredState: string
  CreatedAt?: string
  Spec?: {ContainerSpec?: {Image?: string}}
  Status: {
    Timestamp?: string
    State: string
    Message?: string
    Err?: string
    ContainerStatus?: {ContainerID?: string}
    PortStatus?: {Ports?: PortConfig[]}
  }
}

export interface SwarmNode {
  ID: string
  Description?: {Hostname?: string}
}

export interface Network {
  Id: string
  Name: string
  Scope: string
  Driver?: string
  Labels?: Labels | null
}

export interface FileObject {
  ID: string
  Version: {Index: number}
  Spec: {Name: string; Labels?: Labels | null; Data?: string; Templating?: {Name: string} | null}
}
