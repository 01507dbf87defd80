/**
 * `images`: the images the project's containers use — one container list and one image list,
 * joined by image ID, plus one inspect per distinct image for its platform — with compose's
 * columns (CONTAINER REPOSITORY TAG PLATFORM IMAGE ID SIZE CREATED) or JSON.
 */
import type {EngineClient} from '../engine/client.js'
import {checkServices, nameOf, projectContainers, type ProjectRef} from './select.js'
import {humanDuration, tabulate} from './ps.js'

export interface ImageRow {
  ContainerName: string
  Repository: string
  Tag: string
  Platform: string
  ID: string
  Size: number
  /** Unix seconds. */
  Created: number
}

export async function projectImages(engine: EngineClient, ref: ProjectRef, options: {services?: readonly string[]; signal?: AbortSignal} = {}): Promise<ImageRow[]> {
  const services = options.services ?? []
  if (ref.project) checkServices(ref, services)
  const [containers, images] = await Promise.all([
    projectContainers(engine, ref.name, {all: true, services, signal: options.signal}),
    engine.images.list({signal: options.signal}),
  ])
  const byId = new Map(images.map((i) => [i.Id, i]))
  const platforms = new Map(
    await Promise.all(
      [...new Set(containers.map((c) => c.ImageID))].map(async (id): Promise<[string, string]> => {
        const info = await engine.images.inspect(id, {signal: options.signal}).catch(() => undefined)
        const variant = info?.Variant ? `/${String(info.Variant)}` : ''
        return [id, info ? `${info.Os}/${info.Architecture}${variant}` : '']
      }),
    ),
  )
  return containers
    .map((c) => {
      const image = byId.get(c.ImageID)
      // The tag the container was created from when the image still carries it, else its first tag.
      const tags = image?.RepoTags ?? []
      const tagged = tags.find((t) => t === c.Image || t === `${c.Image}:latest`) ?? tags[0] ?? '<none>:<none>'
      const colon = tagged.lastIndexOf(':')
      return {
        ContainerName: nameOf(c),
        Repository: colon > tagged.lastIndexOf('/') ? tagged.slice(0, colon) : tagged,
        Tag: colon > tagged.lastIndexOf('/') ? tagged.slice(colon + 1) : '<none>',
        Platform: platforms.get(c.ImageID) ?? '',
        ID: c.ImageID,
        Size: image?.Size ?? 0,
        Created: image?.Created ?? 0,
      }
    })
    .sort((a, b) => (a.ContainerName < b.ContainerName ? -1 : a.ContainerName > b.ContainerName ? 1 : 0))
}

/** go-units HumanSizeWithPrecision(size, 3): decimal units, 3 significant digits ("4.39MB"). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']
  let value = bytes
  let i = 0
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000
    i++
  }
  return `${Number(value.toPrecision(3))}${units[i]}`
}

export function formatImagesTable(rows: readonly ImageRow[], now = Date.now() / 1000): string {
  return tabulate([
    ['CONTAINER', 'REPOSITORY', 'TAG', 'PLATFORM', 'IMAGE ID', 'SIZE', 'CREATED'],
    ...rows.map((r) => [
      r.ContainerName,
      r.Repository,
      r.Tag,
      r.Platform,
      r.ID.replace(/^sha256:/, '').slice(0, 12),
      humanSize(r.Size),
      r.Created ? `${humanDuration(now - r.Created)} ago` : 'N/A',
    ]),
  ])
}

/** `--format json`: compose's field names, Created as an RFC 3339 time. */
export function formatImagesJson(rows: readonly ImageRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({ID: r.ID, ContainerName: r.ContainerName, Repository: r.Repository, Tag: r.Tag, Platform: r.Platform, Size: r.Size, ...(r.Created ? {Created: new Date(r.Created * 1000).toISOString()} : {})})),
  )
}
