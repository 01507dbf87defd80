/**
 * The engine operations convergence needs, and nothing more. The runtime talks to this narrow
 * port; `engine-adapter.ts` binds it to src/engine's EngineClient. Keeping the port small keeps
 * the runtime testable and says exactly which Engine API calls `up` and `down` make.
 */
import type {ContainerInspect, ContainerSummary, ImageSummary, NetworkCreateBody, NetworkInspect, Volume} from '../engine/types.js'
import type {ContainerCreateBody, EndpointSettings} from './container-spec.js'

export interface PullProgress {
  id?: string
  status?: string
  progress?: string
}

export interface RuntimeEngine {
  apiVersion(): Promise<string>
  listContainers(options: {all: boolean; filters?: Record<string, string[]>}): Promise<ContainerSummary[]>
  listNetworks(): Promise<NetworkInspect[]>
  listVolumes(): Promise<Volume[]>
  listImages(): Promise<ImageSummary[]>

  createNetwork(body: NetworkCreateBody): Promise<string>
  removeNetwork(idOrName: string): Promise<void>
  connectNetwork(network: string, container: string, endpoint: EndpointSettings): Promise<void>
  createVolume(body: {Name: string; Driver?: string; DriverOpts?: Record<string, string>; Labels?: Record<string, string>}): Promise<void>
  removeVolume(name: string): Promise<void>

  pullImage(ref: string, onProgress?: (p: PullProgress) => void, platform?: string): Promise<void>
  /** Builds from a tar context; resolves when the image is tagged. */
  buildImage(options: BuildRequest): Promise<void>
  removeImage(ref: string): Promise<void>

  createContainer(name: string, body: ContainerCreateBody, platform?: string): Promise<string>
  startContainer(id: string): Promise<void>
  stopContainer(id: string, timeoutSeconds?: number): Promise<void>
  killContainer(id: string, signal?: string): Promise<void>
  removeContainer(id: string, options: {force?: boolean; volumes?: boolean}): Promise<void>
  /** POST /containers/{id}/rename: recreate creates the replacement under a temporary name. */
  renameContainer(id: string, name: string): Promise<void>
  restartContainer(id: string, timeoutSeconds?: number): Promise<void>
  /** A rolled-back recreate leaves a paused container paused again. */
  pauseContainer(id: string): Promise<void>
  inspectContainer(id: string): Promise<ContainerInspect>
  /** The last `tail` lines of a container's output, as text. */
  containerLogTail(id: string, tail: number): Promise<string>
}

export interface BuildRequest {
  tag: string
  /** Absolute directory of the build context. */
  context: string
  dockerfile?: string
  dockerfileInline?: string
  args?: Record<string, string>
  target?: string
  labels?: Record<string, string>
  noCache?: boolean
  pull?: boolean
  /** build.tags: more names for the same image. */
  extraTags?: string[]
  /** RUN steps: network, extra /etc/hosts lines, /dev/shm size in bytes. */
  network?: string
  extraHosts?: string[]
  shmSize?: number
  /** Ctrl-C: the builder removes its containers on the way out. */
  signal?: AbortSignal
  onProgress?: (line: string) => void
}
