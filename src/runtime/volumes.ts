/**
 * `volumes`: the project's volumes (those labelled with its name; external ones are not the
 * project's), in one list call, sorted by name. With services named, only the volumes they mount:
 * from the Compose file when there is one, else from their containers' mounts (`-p NAME` alone),
 * where docker compose would show none.
 */
import type {EngineClient} from '../engine/client.js'
import type {Volume} from '../engine/types.js'
import {decimalSize} from './go-units.js'
import {LABEL} from './labels.js'
import {checkServices, projectContainers, type ProjectRef} from './select.js'
import type {FormatItem, FormatSchema} from './template-format.js'

export async function projectVolumes(engine: EngineClient, ref: ProjectRef, options: {services?: readonly string[]; signal?: AbortSignal} = {}): Promise<Volume[]> {
  const services = options.services ?? []
  if (ref.project) checkServices(ref, services)
  const [volumes, used] = await Promise.all([
    engine.volumes.list({filters: {label: [`${LABEL.project}=${ref.name}`]}, signal: options.signal}),
    services.length > 0 ? volumesOfServices(engine, ref, services, options.signal) : undefined,
  ])
  return volumes.filter((v) => !used || used.has(v.Name)).sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
}

/** The engine names of the volumes the services mount. */
async function volumesOfServices(engine: EngineClient, ref: ProjectRef, services: readonly string[], signal?: AbortSignal): Promise<Set<string>> {
  const names = new Set<string>()
  if (ref.project) {
    for (const service of services) {
      const config = ref.project.services[service] ?? ref.project.disabledServices[service]
      for (const mount of config?.volumes ?? []) {
        if (mount.type !== 'volume' || !mount.source) continue
        names.add(ref.project.volumes[mount.source]?.name ?? mount.source)
      }
    }
    return names
  }
  const containers = await projectContainers(engine, ref.name, {all: true, oneoff: true, signal})
  checkServices(ref, services, containers)
  for (const c of containers) {
    if (!services.includes(c.Labels?.[LABEL.service] ?? '')) continue
    for (const mount of c.Mounts ?? []) if (mount.Type === 'volume' && mount.Name) names.add(mount.Name)
  }
  return names
}

export const VOLUMES_SCHEMA: FormatSchema = {
  headers: {
    Availability: 'AVAILABILITY',
    Driver: 'DRIVER',
    Group: 'GROUP',
    Labels: 'LABELS',
    Links: 'LINKS',
    Mountpoint: 'MOUNTPOINT',
    Name: 'VOLUME NAME',
    Scope: 'SCOPE',
    Size: 'SIZE',
    Status: 'STATUS',
  },
  defaultTable: '{{.Driver}}\t{{.Name}}',
  labels: true,
}

/** A volume's fields as docker's volume formatter shows them (`N/A` for what a local volume lacks). */
export function volumeItem(volume: Volume): FormatItem {
  const labels = volume.Labels ?? {}
  const usage = volume.UsageData as {Size?: number; RefCount?: number} | null | undefined
  const cluster = volume.ClusterVolume as {Spec?: {Group?: string; AccessMode?: {Availability?: string}}} | undefined
  return {
    fields: {
      Availability: cluster?.Spec?.AccessMode?.Availability || 'N/A',
      Driver: volume.Driver,
      Group: cluster?.Spec?.Group || 'N/A',
      Labels: Object.keys(labels)
        .sort()
        .map((k) => `${k}=${labels[k]}`)
        .join(','),
      Links: usage && usage.RefCount !== undefined && usage.RefCount >= 0 ? String(usage.RefCount) : 'N/A',
      Mountpoint: volume.Mountpoint,
      Name: volume.Name,
      Scope: volume.Scope,
      Size: usage && usage.Size !== undefined && usage.Size >= 0 ? decimalSize(usage.Size, 4) : 'N/A',
      Status: volume.Status && typeof volume.Status === 'object' && Object.keys(volume.Status).length > 0 ? JSON.stringify(volume.Status) : 'N/A',
    },
    labels,
  }
}
