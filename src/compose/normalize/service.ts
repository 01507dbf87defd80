/**
 * Per-attribute canonical forms of a service (everything that looks at one field at a time):
 * `build`, `depends_on`, `command`/`entrypoint`, `healthcheck.test`, `secrets`/`configs`,
 * `devices`, `extra_hosts`, `networks`, `pull_policy`, `deploy`.
 */
import type {ModelPath} from '../source.js'
import {NormalizeCodes, type Normalizer} from './context.js'
import {splitShellWords} from './shell-words.js'
import {isRecord} from './walk.js'

/** A remote build context (git or http URL) is not a path. */
function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@') || context.startsWith('github.com/')
}

/** `build: ./dir` -> `{context: /abs/dir, dockerfile: Dockerfile}`; defaults for the long form. */
export function normalizeBuild(value: unknown, _path: ModelPath, n: Normalizer): unknown {
  const build: Record<string, unknown> = typeof value === 'string' ? {context: value} : isRecord(value) ? {...value} : {}
  if (typeof value !== 'string' && !isRecord(value)) return value
  const context = typeof build.context === 'string' ? build.context : '.'
  build.context = isRemoteContext(context) ? context : n.hostPath(context)
  if (build.dockerfile === undefined && build.dockerfile_inline === undefined) build.dockerfile = 'Dockerfile'
  return build
}

/** `depends_on: [db]` -> `{db: {condition: service_started, required: true}}`. */
export function normalizeDependsOn(value: unknown): unknown {
  const out: Record<string, Record<string, unknown>> = {}
  if (Array.isArray(value)) {
    for (const name of value) out[String(name)] = {condition: 'service_started', required: true}
    return out
  }
  if (!isRecord(value)) return value
  for (const [name, spec] of Object.entries(value)) {
    const entry: Record<string, unknown> = isRecord(spec) ? {...spec} : {}
    entry.condition ??= 'service_started'
    entry.required ??= true
    if (entry.restart === false) delete entry.restart
    out[name] = entry
  }
  return out
}

/** `command: echo "a b"` -> `["echo", "a b"]` (shell-like split, no shell). */
export function normalizeCommand(value: unknown, path: ModelPath, n: Normalizer): unknown {
  if (typeof value !== 'string') return value
  const words = splitShellWords(value)
  if (!words) throw n.error(NormalizeCodes.value, path, `cannot split "${value}" into words: unterminated quote or trailing backslash`)
  return words
}

/** `test: curl -f x` -> `["CMD-SHELL", "curl -f x"]`. */
export function normalizeHealthcheckTest(value: unknown): unknown {
  return typeof value === 'string' ? ['CMD-SHELL', value] : value
}

/**
 * File mode printed as docker compose prints it: octal with a leading 0 (`"0440"`). Compose reads
 * `0440` the YAML 1.1 way, as octal; a YAML 1.2 parser hands us 440, so the written text decides.
 */
function fileMode(mode: unknown, path: ModelPath, n: Normalizer): unknown {
  if (typeof mode === 'number' && /^0[0-7]+$/.test(writtenScalar(path, n) ?? '')) mode = Number.parseInt(writtenScalar(path, n)!, 8)
  if (typeof mode === 'number') return `0${mode.toString(8).padStart(3, '0')}`
  if (typeof mode === 'string' && /^0?o?[0-7]+$/.test(mode)) return `0${Number.parseInt(mode.replace(/^0?o?/, ''), 8).toString(8).padStart(3, '0')}`
  return mode
}

/** The text of a scalar as written in the file (`mode: 0440` -> `0440`), when the loader knows it. */
function writtenScalar(path: ModelPath, n: Normalizer): string | undefined {
  const source = n.ctx.sourceOf?.(path)
  const at = source?.positionOf(path)
  if (!source || !at) return undefined
  const line = source.text.split(/\r?\n/)[at.line - 1]?.slice(at.col - 1) ?? ''
  return /^[\w-]+\s*:\s*([^\s,}#]+)/.exec(line)?.[1]
}

function fileRef(value: unknown, path: ModelPath, n: Normalizer, defaultTarget?: (source: string) => string): unknown {
  const ref: Record<string, unknown> = typeof value === 'string' ? {source: value} : isRecord(value) ? {...value} : {}
  if (typeof value !== 'string' && !isRecord(value)) return value
  if (defaultTarget && ref.target === undefined && typeof ref.source === 'string') ref.target = defaultTarget(ref.source)
  if (ref.mode !== undefined) ref.mode = fileMode(ref.mode, [...path, 'mode'], n)
  for (const id of ['uid', 'gid']) if (typeof ref[id] === 'number') ref[id] = String(ref[id])
  return ref
}

/** Service `secrets` entry: short to long, target defaulting to `/run/secrets/<source>`. */
export function normalizeSecretRef(value: unknown, path: ModelPath, n: Normalizer): unknown {
  return fileRef(value, path, n, (source) => `/run/secrets/${source}`)
}

/** Service `configs` entry: short to long (the target is left to the runtime, as compose does). */
export function normalizeConfigRef(value: unknown, path: ModelPath, n: Normalizer): unknown {
  return fileRef(value, path, n)
}

/** `devices: ["/dev/a:/dev/b:rwm"]` -> `{source, target, permissions}`. */
export function normalizeDevice(value: unknown, path: ModelPath, n: Normalizer): unknown {
  if (typeof value !== 'string') return value
  const parts = value.split(':')
  if (parts.length > 3) throw n.error(NormalizeCodes.value, path, `confusing device mapping "${value}": use the long syntax`)
  const [source, target, permissions] = parts
  return {source, target: target || source, permissions: permissions ?? 'rwm'}
}

/** `extra_hosts`: `host:ip` and mappings -> `host=ip` strings, sorted as compose prints them. */
export function normalizeExtraHosts(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((entry): string => {
      const text = String(entry)
      if (text.includes('=')) return text
      const colon = text.indexOf(':')
      return colon < 0 ? text : `${text.slice(0, colon)}=${text.slice(colon + 1)}`
    }).sort()
  }
  if (!isRecord(value)) return value
  const out: string[] = []
  for (const [host, ips] of Object.entries(value)) {
    for (const ip of Array.isArray(ips) ? ips : [ips]) out.push(`${host}=${String(ip)}`)
  }
  return out.sort()
}

/** `build.additional_contexts`: local directories absolute; images, URLs and `service:x` as written. */
export function normalizeAdditionalContexts(value: unknown, _path: ModelPath, n: Normalizer): unknown {
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item) => {
      const text = String(item)
      const eq = text.indexOf('=')
      return [text.slice(0, eq < 0 ? text.length : eq), eq < 0 ? '' : text.slice(eq + 1)]
    })
    : isRecord(value) ? Object.entries(value) : []
  if (!Array.isArray(value) && !isRecord(value)) return value
  const out: Record<string, unknown> = {}
  for (const [name, ctx] of entries) {
    const text = String(ctx)
    out[name] = isRemoteContext(text) || /^[a-z-]+:/.test(text) ? text : n.hostPath(text)
  }
  return out
}

/** `gpus: all` -> `[{count: -1}]`, as compose reads it. */
export function normalizeGpus(value: unknown): unknown {
  return value === 'all' ? [{count: -1}] : value
}

/** Service `networks: [a, b]` (or `models`) -> `{a: null, b: null}`. */
export function normalizeServiceNetworks(value: unknown): unknown {
  if (!Array.isArray(value)) return value
  const out: Record<string, null> = {}
  for (const name of value) out[String(name)] = null
  return out
}

/** `pull_policy: if_not_present` is `missing`. */
export function normalizePullPolicy(value: unknown): unknown {
  return value === 'if_not_present' ? 'missing' : value
}

/** `deploy` always carries `resources` and `placement` mappings in compose's output. */
export function normalizeDeploy(value: unknown): unknown {
  if (!isRecord(value)) return value
  const deploy = {...value}
  deploy.resources = isRecord(deploy.resources) ? {...deploy.resources} : {}
  deploy.placement = isRecord(deploy.placement) ? {...deploy.placement} : {}
  return deploy
}

/** `ulimits: {nproc: 65535}` -> `{nproc: {single: 65535}}` (the document prints the number again). */
export function normalizeUlimit(value: unknown): unknown {
  return typeof value === 'number' ? {single: value} : typeof value === 'string' && /^\d+$/.test(value) ? {single: Number(value)} : value
}
