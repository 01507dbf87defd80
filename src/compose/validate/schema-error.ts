/**
 * Turns the errors of the generated schema validator into ONE ComposeFileError: the error that is
 * most relevant to the user, said in words, at the file:line:col of the offending node.
 *
 * Which error: the one deepest in the document (the alternative of an anyOf that got furthest),
 * preferring, at equal depth, errors that say more than "wrong type" (an unknown field, a value
 * outside an enum or a pattern). What was expected is read from the schema at that place, so a
 * type error names every accepted form ("a string, a list of strings or null").
 */
import {ComposeFileError, type ModelPath, type SourceFile} from '../source.js'
import {knownFieldsAt, leavesAt, type Leaf} from './schema-walk.js'

/** The shape of an ajv error object (ajv itself is never imported at run time). */
export interface SchemaErrorObject {
  instancePath: string
  schemaPath: string
  keyword: string
  params: Record<string, any>
}

/** Stable error code for every schema violation. */
export const SCHEMA_ERROR_CODE = 'COMPOSE_SCHEMA'

/** Phrases for named definitions of schemas/compose-spec.json. */
export const DESCRIPTIONS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  duration: 'a duration such as "10s" or "1m30s"',
  bytes: 'a byte size such as "512m", "1gb" or a number of bytes',
  blkio_weight: 'an integer from 10 to 1000',
  integer_0_100: 'an integer from 0 to 100',
  percent: 'a number from 0 to 100',
  oom_score_adj: 'an integer from -1000 to 1000',
  integer_or_duration: 'an integer (microseconds) or a duration such as "400ms"',
  port: 'a port: a number, a string such as "8080:80" or "127.0.0.1:8080:80/udp", or a mapping (long syntax)',
  port_short: 'a port such as "80", "8080:80", "127.0.0.1:8080:80/udp" or "9090-9091:8080-8081"',
  published_port: 'a host port or port range such as "8080" or "8000-8010"',
  expose_item: 'a port or port range such as "3000" or "8000-8010/tcp"',
  restart: '"no", "always", "on-failure[:max-retries]" or "unless-stopped"',
  pull_policy: '"always", "never", "missing", "build", "daily", "weekly" or "every_<duration>"',
  service_name: 'a service name made of letters, digits, ".", "_" and "-"',
  resource_name: 'a name made of letters, digits, ".", "_" and "-"',
  profile_name: 'a profile name: a letter or digit, then letters, digits, "_", "." or "-"',
  container_name: 'a container name: a letter or digit, then letters, digits, "_", "." or "-"',
  non_empty_string: 'a non-empty string',
  command: 'a string, a list of strings or null',
  list_or_dict: 'a mapping or a list of "NAME=VALUE" strings',
  labels: 'a mapping or a list of "NAME=VALUE" strings',
  string_or_list: 'a string or a list of strings',
  string_list: 'a list of strings',
  scalar: 'a string, a number, a boolean or null',
  extra_hosts: 'a mapping of host names to addresses or a list of "HOST=IP" strings',
  external: 'true or false',
  service_volume: 'a volume: a string such as "data:/var/lib/data:ro" or a mapping (long syntax)',
  file_ref: 'a name, or a mapping with "source" (long syntax)',
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
}

const COMBINATORS = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'not'])

interface Candidate {
  error: SchemaErrorObject
  /** Where the value that failed sits in the document (instancePath as keys and indexes). */
  at: Array<string | number>
  /** Where to point the caret (a missing/unknown key's parent or the key itself). */
  pointAt: Array<string | number>
  depth: number
  specific: boolean
}

/** `/services/web/ports/0` -> ['services', 'web', 'ports', 0], using the document to tell indexes from keys. */
export function pointerToPath(pointer: string, doc: unknown): Array<string | number> {
  if (pointer === '') return []
  const out: Array<string | number> = []
  let node: unknown = doc
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(node)) {
      const index = Number(part)
      out.push(index)
      node = node[index]
    } else {
      out.push(part)
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined
    }
  }
  return out
}

function valueAt(doc: unknown, path: ReadonlyArray<string | number>): unknown {
  let node: unknown = doc
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[key]
  }
  return node
}

function toCandidate(error: SchemaErrorObject, doc: unknown): Candidate {
  const at = pointerToPath(error.instancePath, doc)
  let pointAt = at
  let depth = at.length
  if (error.keyword === 'additionalProperties') {
    pointAt = [...at, String(error.params.additionalProperty)]
    depth += 1
  } else if (error.keyword === 'propertyNames' && error.params.propertyName !== undefined) {
    pointAt = [...at, String(error.params.propertyName)]
    depth += 1
  } else if (error.keyword === 'required') {
    // A missing field is about the mapping that lacks it, but it is more specific than "wrong type" there.
    depth += 0.5
  }
  const specific = error.keyword !== 'type' && !COMBINATORS.has(error.keyword)
  return {error, at, pointAt, depth, specific}
}

/** The most relevant error: deepest first; at equal depth a specific one over a type error. */
export function pickError(errors: readonly SchemaErrorObject[], doc: unknown): Candidate | undefined {
  // ajv reports a bad key twice: the pattern error of the propertyNames schema (at the mapping,
  // without the key) and the propertyNames error that carries the key. Keep the latter.
  const mappingsWithBadKeys = new Set(errors.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath))
  const isInnerKeyError = (e: SchemaErrorObject): boolean => e.keyword === 'pattern' && mappingsWithBadKeys.has(e.instancePath)
  const candidates = errors
    .filter((e) => !COMBINATORS.has(e.keyword) && !isInnerKeyError(e))
    .map((e) => toCandidate(e, doc))
  if (candidates.length === 0) {
    const first = errors[0]
    return first ? toCandidate(first, doc) : undefined
  }
  let best = candidates[0]
  for (const c of candidates.slice(1)) {
    if (c.depth > best.depth || (c.depth === best.depth && c.specific && !best.specific)) best = c
  }
  return best
}

function joinAlternatives(words: string[]): string {
  const unique = [...new Set(words)]
  if (unique.length <= 1) return unique[0] ?? 'something else'
  return `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`
}

/** How a value is shown after "got": strings quoted (and shortened), composites by kind. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  return String(value)
}

function leafWords(leaf: Leaf): string[] {
  const described = leaf.outerDef && DESCRIPTIONS[leaf.outerDef]
  if (described) return [described]
  if (leaf.schema.enum) return [leaf.schema.enum.map((v) => JSON.stringify(v)).join(', ').replace(/, ([^,]*)$/, ' or $1')]
  const types = leaf.schema.type === undefined ? [] : Array.isArray(leaf.schema.type) ? leaf.schema.type : [leaf.schema.type]
  return types.map((t) => TYPE_WORDS[t] ?? t)
}

/** "a string, a list of strings or null": every form the schema accepts at `path`. */
export function expectedAt(path: ReadonlyArray<string | number>): string {
  return joinAlternatives(leavesAt(path).flatMap(leafWords))
}

function patternDescription(path: ReadonlyArray<string | number>, pattern: string): string {
  for (const leaf of leavesAt(path)) {
    if (leaf.schema.pattern !== pattern) continue
    const described = leaf.innerDef && DESCRIPTIONS[leaf.innerDef]
    if (described) return described
    if (pattern === '^all$') return '"all"'
  }
  return `a string matching ${pattern}`
}

/** Closest known name within a small edit distance, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)))
  const lower = word.toLowerCase()
  // "env" -> "env_file": a known name that starts with what was typed.
  if (lower.length >= 3) {
    const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(lower))
    if (prefixed.length === 1) return prefixed[0]
  }
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= limit ? best : undefined
}

function editDistance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]
      const swap = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1), swap ? diagonal : Infinity)
      diagonal = above
    }
  }
  return row[b.length]
}

/** One line saying what is wrong with the chosen error. */
function message(c: Candidate, doc: unknown): {text: string; hints: string[]} {
  const {error, at} = c
  const value = valueAt(doc, at)
  const got = describeValue(value)
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params.additionalProperty)
      const known = knownFieldsAt(at)
      const guess = closest(name, known)
      const suggestion = guess ? `, did you mean "${guess}"?` : ''
      if (at.length === 0) {
        return {text: `unknown top-level field "${name}"${suggestion}`, hints: ['Top-level fields are services, networks, volumes, secrets, configs, models, include, name and version; extension fields must start with "x-".']}
      }
      return {text: `unknown field "${name}"${suggestion}`, hints: guess ? [] : ['Extension fields must start with "x-".']}
    }
    case 'required':
      return {text: `missing required field "${String(error.params.missingProperty)}"`, hints: []}
    case 'propertyNames': {
      const name = String(error.params.propertyName)
      // propertyNames constrains services (and depends_on keys) and the volumes/secrets/configs sections.
      const section = at.length === 1 ? String(at[0]) : 'services'
      const kind = section === 'services' ? 'service' : section.replace(/s$/, '')
      return {text: `invalid ${kind} name "${name}": use only letters, digits, ".", "_" and "-"`, hints: []}
    }
    case 'type':
      return {text: `expected ${expectedAt(at)}, got ${got}`, hints: []}
    case 'pattern':
      return {text: `expected ${patternDescription(at, String(error.params.pattern))}, got ${got}`, hints: []}
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v))
      return {text: `expected one of ${allowed.join(', ')}, got ${got}`, hints: []}
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const range = leavesAt(at).find((l) => l.schema.minimum !== undefined && l.schema.maximum !== undefined)
      if (range) return {text: `expected a value from ${range.schema.minimum} to ${range.schema.maximum}, got ${got}`, hints: []}
      return {text: `expected a value ${String(error.params.comparison)} ${String(error.params.limit)}, got ${got}`, hints: []}
    }
    default:
      return {text: `invalid value ${got} (${error.keyword})`, hints: []}
  }
}

/** The ComposeFileError for a failed schema validation. Never a raw ajv dump. */
export function schemaError(errors: readonly SchemaErrorObject[], doc: unknown, source: SourceFile): ComposeFileError {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    const text = doc === null || doc === undefined ? 'the Compose file is empty' : `a Compose file must be a mapping of top-level fields, got ${describeValue(doc)}`
    return new ComposeFileError(SCHEMA_ERROR_CODE, text, {source, position: {line: 1, col: 1}})
  }
  const best = pickError(errors, doc)
  if (!best) return new ComposeFileError(SCHEMA_ERROR_CODE, 'invalid Compose file', {source})
  const {text, hints} = message(best, doc)
  const path: ModelPath = best.pointAt
  return new ComposeFileError(SCHEMA_ERROR_CODE, text, {source, path}, hints)
}
