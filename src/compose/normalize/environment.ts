/**
 * Key/value attributes: `environment`, `labels`, `build.args` and friends from list form
 * (`KEY=VALUE`, `KEY`) to mappings of strings, and `env_file` read and merged under `environment`.
 *
 * As docker compose does: an `environment` key without a value takes the variable from the
 * loader's environment, else stays null; a `build.args` key without a value takes the variable or
 * is dropped; a label without a value is the empty string. Env files are read in order (a missing
 * one is an error unless `required: false`), later files win, `environment` wins over them all.
 */
import {readFileSync, statSync} from 'node:fs'
import {parseEnvFile} from '../env-file.js'
import type {ModelPath} from '../source.js'
import {NormalizeCodes, type Normalizer} from './context.js'
import {isRecord} from './walk.js'

type Missing = 'null' | 'drop' | 'empty'

/** A list or mapping of `KEY=VALUE` pairs -> a mapping; `missing` says what a key without value becomes. */
function toMapping(value: unknown, n: Normalizer, missing: Missing): Record<string, string | null> | unknown {
  const out: Record<string, string | null> = {}
  const put = (key: string, v: unknown): void => {
    if (v !== null && v !== undefined) {
      out[key] = String(v)
      return
    }
    if (missing === 'empty') {
      out[key] = ''
      return
    }
    const found = n.lookup(key)
    if (found !== undefined) out[key] = found
    else if (missing === 'null') out[key] = null
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = String(item)
      const eq = text.indexOf('=')
      if (eq < 0) put(text, undefined)
      else put(text.slice(0, eq), text.slice(eq + 1))
    }
    return out
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) put(k, v)
    return out
  }
  return value
}

export function normalizeEnvironment(value: unknown, _path: ModelPath, n: Normalizer): unknown {
  return toMapping(value, n, 'null')
}

export function normalizeBuildArgs(value: unknown, _path: ModelPath, n: Normalizer): unknown {
  return toMapping(value, n, 'drop')
}

export function normalizeLabels(value: unknown): unknown {
  const out: Record<string, string> = {}
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = String(item)
      const eq = text.indexOf('=')
      if (eq < 0) out[text] = ''
      else out[text.slice(0, eq)] = text.slice(eq + 1)
    }
    return out
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) out[k] = v === null || v === undefined ? '' : String(v)
    return out
  }
  return value
}

/** A mapping of strings whose values are printed as strings (`sysctls`, `driver_opts`). */
export function stringValues(value: unknown): unknown {
  if (Array.isArray(value)) return normalizeLabels(value)
  if (!isRecord(value)) return value
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) out[k] = v === null || v === undefined ? '' : String(v)
  return out
}

/**
 * `services.*`: read `env_file` entries and merge them under `environment`, then drop `env_file`
 * (docker compose's `config` prints the resolved environment only).
 */
export function mergeEnvFiles(value: unknown, path: ModelPath, n: Normalizer): unknown {
  if (!isRecord(value) || value.env_file === undefined) return value
  const entries = Array.isArray(value.env_file) ? value.env_file : [value.env_file]
  if (n.ctx.resolveEnvFiles === false) return {...value, env_file: envFileList(entries, n)}
  const environment = isRecord(value.environment) ? (value.environment as Record<string, string | null>) : {}
  const fromFiles: Record<string, string> = {}
  entries.forEach((entry, i) => {
    const spec = typeof entry === 'string' ? {path: entry, required: true} : isRecord(entry) ? entry : undefined
    if (!spec || typeof spec.path !== 'string') return
    const file = n.readablePath(spec.path)
    const required = spec.required !== false && spec.required !== 'false'
    let text: string
    try {
      if (statSync(file).isDirectory()) throw n.error(NormalizeCodes.envFile, [...path, 'env_file', i], `env file ${file} is a directory`)
      text = readFileSync(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      if (!required) return
      throw n.error(NormalizeCodes.envFile, [...path, 'env_file', i], `env file ${file} not found`, ['create it, or mark the entry `required: false`'])
    }
    if (spec.format === 'raw') {
      for (const line of text.split(/\r?\n/)) {
        const eq = line.indexOf('=')
        if (line.trim() !== '' && !line.startsWith('#') && eq > 0) fromFiles[line.slice(0, eq)] = line.slice(eq + 1)
      }
      return
    }
    parseEnvFile(text, file, {
      lookup: (name) => n.lookup(name) ?? environment[name] ?? undefined,
    }, fromFiles)
  })
  const out = {...value}
  delete out.env_file
  out.environment = {...fromFiles, ...environment}
  return out
}

/**
 * `services.*`: `label_file` entries (absolute paths) read in order under `labels`, which win.
 * The files stay listed, as compose prints them.
 */
export function mergeLabelFiles(value: unknown, path: ModelPath, n: Normalizer): unknown {
  if (!isRecord(value) || value.label_file === undefined) return value
  const written = (Array.isArray(value.label_file) ? value.label_file : [value.label_file]).map(String)
  const fromFiles: Record<string, string> = {}
  written.map((f) => n.readablePath(f)).forEach((file, i) => {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      throw n.error(NormalizeCodes.envFile, [...path, 'label_file', i], `label file ${file} not found`)
    }
    parseEnvFile(text, file, {lookup: (name) => fromFiles[name]}, fromFiles)
  })
  return {...value, label_file: written.map((f) => n.hostPath(f)), labels: {...fromFiles, ...(isRecord(value.labels) ? value.labels : {})}}
}

/**
 * `env_file` as `config --no-env-resolution` prints it: one `{path}` per file, `required: false`
 * and `format` only when set (a file is required by default), nothing read.
 */
function envFileList(entries: unknown[], n: Normalizer): unknown[] {
  return entries.map((entry) => {
    const spec = typeof entry === 'string' ? {path: entry} : isRecord(entry) ? entry : undefined
    if (!spec || typeof spec.path !== 'string') return entry
    const out: Record<string, unknown> = {path: n.hostPath(spec.path)}
    if (spec.required === false || spec.required === 'false') out.required = false
    if (spec.format !== undefined) out.format = spec.format
    return out
  })
}
