/**
 * Observe: what exists on the engine for one project, in ONE list call per resource kind, all in
 * parallel. Containers are filtered by the project label; networks, volumes and images are
 * listed whole (a project may use external ones, and an unlabelled name clash must be seen).
 */
import {LABEL, projectFilter} from './labels.js'
import type {RuntimeEngine} from './engine-port.js'
import {compareText} from './compare.js'

export type ContainerState = 'created' | 'restarting' | 'running' | 'removing' | 'paused' | 'exited' | 'dead'

export interface ObservedContainer {
  id: string
  name: string
  service: string
  number: number
  oneoff: boolean
  state: ContainerState
  status: string
  configHash?: string
  configFields?: string
  /** The image ID the container was created from. */
  imageId: string
  image: string
  labels: Record<string, string>
  /** Anonymous volumes by target path, to keep across a recreate. */
  anonymousVolumes: Record<string, string>
  /** Engine names of the networks it is attached to. */
  networks: string[]
  created: number
}

export interface ObservedNetwork {
  id: string
  name: string
  driver?: string
  labels: Record<string, string>
}

export interface ObservedVolume {
  name: string
  driver?: string
  labels: Record<string, string>
}

export interface ObservedImage {
  id: string
  repoTags: string[]
  repoDigests: string[]
  labels: Record<string, string>
}

export interface ObservedState {
  project: string
  containers: ObservedContainer[]
  /** All networks on the engine, by name. */
  networks: Map<string, ObservedNetwork>
  /** All volumes on the engine, by name. */
  volumes: Map<string, ObservedVolume>
  images: ObservedImage[]
}

export interface ObserveOptions {
  /** Skip the image list (down does not need it). */
  images?: boolean
}

export async function observe(engine: RuntimeEngine, project: string, options: ObserveOptions = {}): Promise<ObservedState> {
  const [containers, networks, volumes, images] = await Promise.all([
    engine.listContainers({all: true, filters: projectFilter(project)}),
    engine.listNetworks(),
    engine.listVolumes(),
    options.images === false ? Promise.resolve([]) : engine.listImages(),
  ])
  return {
    project,
    containers: containers
      .filter((c) => c.Labels?.[LABEL.project] === project)
      .map((c): ObservedContainer => {
        const anonymous: Record<string, string> = {}
        for (const m of c.Mounts ?? []) {
          // Anonymous volumes have a 64-hex name and no project volume label on the volume.
          if (m.Type === 'volume' && m.Name && /^[0-9a-f]{64}$/.test(m.Name)) anonymous[m.Destination] = m.Name
        }
        return {
          id: c.Id,
          name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
          service: c.Labels[LABEL.service] ?? '',
          number: Number(c.Labels[LABEL.containerNumber] ?? 0),
          oneoff: (c.Labels[LABEL.oneoff] ?? 'False').toLowerCase() === 'true',
          state: c.State as ContainerState,
          status: c.Status,
          configHash: c.Labels[LABEL.configHash],
          configFields: c.Labels[LABEL.configFields],
          imageId: c.ImageID,
          image: c.Image,
          labels: c.Labels,
          anonymousVolumes: anonymous,
          networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
          created: c.Created,
        }
      })
      .sort((a, b) => compareText(a.service, b.service) || a.number - b.number),
    networks: new Map(networks.map((n) => [n.Name, {id: n.Id, name: n.Name, driver: n.Driver, labels: n.Labels ?? {}}])),
    volumes: new Map(volumes.map((v) => [v.Name, {name: v.Name, driver: v.Driver, labels: v.Labels ?? {}}])),
    images: images.map((i) => ({id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], labels: i.Labels ?? {}})),
  }
}

/** `busybox` -> `busybox:latest`; `docker.io/library/x:1` -> `x:1`; digests kept. */
export function normalizeImageRef(ref: string): string {
  let r = ref
  r = r.replace(/^docker\.io\//, '').replace(/^index\.docker\.io\//, '').replace(/^library\//, '')
  if (r.includes('@')) return r
  const lastSlash = r.lastIndexOf('/')
  const lastColon = r.lastIndexOf(':')
  return lastColon > lastSlash ? r : `${r}:latest`
}

/** The local image a reference names, if any. */
export function findImage(images: ObservedImage[], ref: string): ObservedImage | undefined {
  if (/^(sha256:)?[0-9a-f]{12,64}$/.test(ref)) {
    const id = ref.startsWith('sha256:') ? ref : `sha256:${ref}`
    const byId = images.find((i) => i.id.startsWith(id))
    if (byId) return byId
  }
  const want = normalizeImageRef(ref)
  if (want.includes('@')) return images.find((i) => i.repoDigests.some((d) => normalizeImageRef(d) === want))
  return images.find((i) => i.repoTags.some((t) => normalizeImageRef(t) === want))
}
