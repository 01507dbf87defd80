/** Small builders for runtime unit tests: a Project and an ObservedState without an engine. */
import type {Project, ServiceConfig} from '../../../src/compose/types.js'
import {configHash, fieldHashes, formatFieldHashes} from '../../../src/runtime/config-hash.js'
import {LABEL} from '../../../src/runtime/labels.js'
import type {ObservedContainer, ObservedState} from '../../../src/runtime/observe.js'

export function project(name: string, services: Record<string, Omit<ServiceConfig, 'name'>>, extra: Partial<Project> = {}): Project {
  return {
    name,
    workingDir: '/srv/app',
    configFiles: ['/srv/app/compose.yaml'],
    services: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, {name: n, ...s}])),
    disabledServices: {},
    networks: {default: {name: `${name}_default`}},
    volumes: {},
    secrets: {},
    configs: {},
    extensions: {},
    environment: {},
    profiles: [],
    ...extra,
  }
}

export function emptyObserved(name: string): ObservedState {
  return {project: name, containers: [], networks: new Map(), volumes: new Map(), images: []}
}

let nextId = 1

/** A container as `up` would have made it for this service (same hash), in a given state. */
export function containerFor(p: Project, service: string, number: number, state: ObservedContainer['state'] = 'running', override: Partial<ObservedContainer> = {}): ObservedContainer {
  const s = p.services[service] ?? {name: service}
  const id = (nextId++).toString(16).padStart(64, '0')
  const hash = configHash(s)
  const fields = formatFieldHashes(fieldHashes(s))
  return {
    id,
    name: `${p.name}-${service}-${number}`,
    service,
    number,
    oneoff: false,
    state,
    status: state,
    configHash: hash,
    configFields: fields,
    imageId: 'sha256:aaaa',
    image: s.image ?? '',
    labels: {[LABEL.project]: p.name, [LABEL.service]: service, [LABEL.containerNumber]: String(number), [LABEL.configHash]: hash, [LABEL.configFields]: fields, [LABEL.image]: 'sha256:aaaa'},
    anonymousVolumes: {},
    networks: [],
    created: 0,
    ...override,
  }
}

export function withNetwork(o: ObservedState, name: string, project: string, key = 'default'): ObservedState {
  o.networks.set(name, {id: name, name, labels: {[LABEL.project]: project, [LABEL.network]: key}})
  return o
}

export function withVolume(o: ObservedState, name: string, project: string, key: string): ObservedState {
  o.volumes.set(name, {name, labels: {[LABEL.project]: project, [LABEL.volume]: key}})
  return o
}

export function withImage(o: ObservedState, tag: string, id = 'sha256:aaaa'): ObservedState {
  o.images.push({id, repoTags: [tag], repoDigests: [], labels: {}})
  return o
}
