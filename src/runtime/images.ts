/**
 * `images`: the images the project's containers use — one container list and one image list,
 * joined by image ID — with compose's columns (CONTAINER REPOSITORY TAG IMAGE ID SIZE) or JSON.
 */
import type {EngineClient} from '../engine/client.js'
import {checkServices, nameOf, projectContainers, type ProjectRef} from './select.js'
import {tabulate} from './ps.js'

export interface ImageRow {
  ContainerName: string
  Repository: string
  Tag: string
  ID: string
  Size: number
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

export function formatImagesTable(rows: readonly ImageRow[]): string {
  return tabulate([
    ['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'],
    ...rows.map((r) => [r.ContainerName, r.Repository, r.Tag, r.ID.replace(/^sha256:/, '').slice(0, 12), humanSize(r.Size)]),
  ])
}
