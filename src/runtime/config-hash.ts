/**
 * The configuration hash of a service container, and a per-field hash map that lets a plan name
 * what changed ("environment.MODE") without storing any value in a label: environment values
 * may be secrets, so labels hold only salted, truncated hashes.
 *
 * Like docker compose, fields that do not shape the container are left out: build, pull_policy,
 * scale, deploy.replicas, depends_on and profiles (scaling or rebuilding is not a config change;
 * an image change is detected through the image ID).
 */
import {createHash} from 'node:crypto'
import {canonicalJson, serviceHash} from '../compose/hash.js'
import type {ServiceConfig} from '../compose/types.js'

const IGNORED_FIELDS = new Set(['build', 'pull_policy', 'scale', 'depends_on', 'profiles', 'develop', 'name', 'attach'])
/** Map fields hashed per key, so a change names the key. */
const PER_KEY_FIELDS = new Set(['environment', 'labels'])

function short(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8)
}

/** The service as hashed: ignored fields out, deploy without replicas. */
function hashedFields(service: ServiceConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(service)) {
    if (IGNORED_FIELDS.has(key) || value === undefined || key.startsWith('x-')) continue
    if (key === 'deploy' && value && typeof value === 'object') {
      const {replicas: _replicas, ...rest} = value as Record<string, unknown>
      if (Object.keys(rest).length > 0) out[key] = rest
      continue
    }
    out[key] = value
  }
  return out
}

/** `field -> 8-hex hash`, with environment and labels split per key (`environment.MODE`). */
export function fieldHashes(service: ServiceConfig): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(hashedFields(service))) {
    if (PER_KEY_FIELDS.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, v] of Object.entries(value as Record<string, unknown>)) {
        // Salted with the field path so equal values under different keys differ.
        out[`${key}.${sub}`] = short(`${service.name}\0${key}.${sub}\0${canonicalJson(v)}`)
      }
      continue
    }
    out[key] = short(`${service.name}\0${key}\0${canonicalJson(value)}`)
  }
  return out
}

/** The com.docker.compose.config-hash value: the loader's service hash (what `berth config --hash` prints). */
export function configHash(service: ServiceConfig): string {
  return serviceHash(service)
}

/** `a=1234abcd,b=...` sorted by field. */
export function formatFieldHashes(hashes: Record<string, string>): string {
  return Object.keys(hashes)
    .sort()
    .map((k) => `${k}=${hashes[k]}`)
    .join(',')
}

export function parseFieldHashes(label: string | undefined): Record<string, string> | undefined {
  if (label === undefined || label === '') return label === '' ? {} : undefined
  const out: Record<string, string> = {}
  for (const part of label.split(',')) {
    const eq = part.lastIndexOf('=')
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1)
  }
  return out
}

/** Field paths whose hashes differ (added, removed or changed), sorted. */
export function changedFields(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter((k) => before[k] !== after[k]).sort()
}
