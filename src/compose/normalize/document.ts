/**
 * A Project as the document `config` prints: the shape of `docker compose config --format json`
 * (project `name`, `services` without their `name` and with `command`/`entrypoint` always present,
 * non-empty `networks`/`volumes`/`secrets`/`configs`, top-level `x-` extensions). With
 * `escapeDollars` (the default, as compose does) every `$` is written `$$` so that the output can be
 * loaded again without being interpolated twice.
 */
import type {Project} from '../types.js'

export interface DocumentOptions {
  escapeDollars?: boolean
}

export function toComposeDocument(project: Project, options: DocumentOptions = {}): Record<string, unknown> {
  const services: Record<string, unknown> = {}
  for (const [name, service] of Object.entries(project.services)) {
    const out: Record<string, unknown> = {command: null, entrypoint: null}
    for (const [key, value] of Object.entries(service)) {
      if (key === 'name' || key.startsWith('x-') || value === undefined) continue
      out[key] = value
    }
    services[name] = out
  }
  const doc: Record<string, unknown> = {name: project.name, services}
  for (const kind of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    if (Object.keys(project[kind]).length > 0) doc[kind] = project[kind]
  }
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
