/**
 * The configuration hash of a service: the runner stores it on the container and re-creates the
 * container when it changes. sha256 of the canonical JSON (keys sorted at every level) of the
 * normalised service, without the fields that do not change the container itself: `build`,
 * `pull_policy`, `scale`, `deploy.replicas`, `depends_on`, `profiles` (as docker compose does),
 * nor the service's own `name` and its `x-` extensions (compose leaves both out of the JSON it
 * hashes). Stable across runs and key order.
 */
import {createHash} from 'node:crypto'
import type {ServiceConfig} from './types.js'

const IGNORED = new Set(['name', 'build', 'pull_policy', 'scale', 'depends_on', 'profiles'])

/** JSON with object keys sorted at every level; undefined members are dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
  return `{${entries.join(',')}}`
}

export function serviceHash(service: ServiceConfig): string {
  const subject: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(service)) if (!IGNORED.has(k) && !k.startsWith('x-')) subject[k] = v
  if (subject.deploy && typeof subject.deploy === 'object') {
    const deploy = {...(subject.deploy as Record<string, unknown>)}
    delete deploy.replicas
    subject.deploy = deploy
  }
  return createHash('sha256').update(canonicalJson(subject)).digest('hex')
}
