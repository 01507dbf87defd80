/**
 * A Project as the document `config` prints: the shape of `docker compose config --format json`
 * (project `name`, `services` without their `name` and with `command`/`entrypoint` always present,
 * non-empty `networks`/`volumes`/`secrets`/`configs`, top-level `x-` extensions). With
 * `escapeDollars` (the default, as compose does) every `$` is written `$$` so that the output can be
 * loaded again without being interpolated twice.
 */
import {stringify} from 'yaml'
import type {Project} from '../types.js'

export interface DocumentOptions {
  escapeDollars?: boolean
  /**
   * The two formats of docker compose differ in what they leave out: JSON prints
   * `command`/`entrypoint: null`, `ipam: {}`, `deploy.resources/placement: {}` and drops service `x-`
   * fields; YAML does the opposite. Default json.
   */
  format?: 'json' | 'yaml'
}

export function toComposeDocument(project: Project, options: DocumentOptions = {}): Record<string, unknown> {
  const yaml = options.format === 'yaml'
  const services: Record<string, unknown> = {}
  for (const [name, service] of Object.entries(project.services)) {
    const out: Record<string, unknown> = yaml ? {} : {command: null, entrypoint: null}
    for (const [key, value] of Object.entries(service)) {
      if (key === 'name' || (key.startsWith('x-') && !yaml) || value === undefined) continue
      if (key === 'ulimits') out[key] = singleUlimits(value)
      else out[key] = yaml && key === 'deploy' ? withoutEmpty(value, ['resources', 'placement']) : value
    }
    services[name] = out
  }
  const doc: Record<string, unknown> = {name: project.name, services}
  for (const kind of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    if (Object.keys(project[kind]).length === 0) continue
    if (yaml && kind === 'networks') {
      doc[kind] = Object.fromEntries(Object.entries(project[kind]).map(([k, v]) => [k, withoutEmpty(v, ['ipam'])]))
    } else {
      doc[kind] = project[kind]
    }
  }
  // compose's JSON has no `models`; its YAML prints them
  if (yaml && project.models && Object.keys(project.models).length > 0) doc.models = project.models
  for (const [key, value] of Object.entries(project.extensions)) doc[key] = value
  return options.escapeDollars === false ? doc : escape(doc) as Record<string, unknown>
}

function escape(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$')
  if (Array.isArray(value)) return value.map(escape)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k.replaceAll('$', '$$$$')] = escape(v)
    return out
  }
  return value
}

/** `value` without the listed keys whose value is an empty mapping. */
function withoutEmpty(value: unknown, keys: string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const out = {...(value as Record<string, unknown>)}
  for (const key of keys) {
    const v = out[key]
    if (v !== null && typeof v === 'object' && Object.keys(v).length === 0) delete out[key]
  }
  return out
}

/** `{nproc: {single: 65535}}` -> `{nproc: 65535}`, as compose prints a single limit. */
function singleUlimits(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, u]) => {
    const limit = u as {single?: number}
    return [name, limit && typeof limit === 'object' && Object.keys(limit).length === 1 && typeof limit.single === 'number' ? limit.single : u]
  }))
}

/**
 * A model or document as text, the way `config` prints it: JSON with two-space indents, or YAML
 * without line folding and without anchors for repeated objects. (Here rather than in the command
 * so that it uses the loader's bundled copy of yaml instead of loading the package a second time.)
 */
export function renderDocument(doc: Record<string, unknown>, format: 'json' | 'yaml'): string {
  if (format === 'json') return JSON.stringify(doc, null, 2) + '\n'
  return stringify(doc, {indent: 2, lineWidth: 0, aliasDuplicateObjects: false})
}
