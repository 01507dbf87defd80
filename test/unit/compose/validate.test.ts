import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {BerthError} from '../../../src/errors.js'
import {ComposeFileError} from '../../../src/compose/source.js'
import {INVALID_ERROR_CODE, SCHEMA_ERROR_CODE, asBoolean, asInteger, validateComposeFile} from '../../../src/compose/validate.js'
import {yamlSource} from './schema/support.js'
import {schema} from '../../../src/compose/validate/generated.js'

function thrown(text: string): ComposeFileError {
  const {doc, source} = yamlSource(text)
  try {
    validateComposeFile(doc, source)
  } catch (error) {
    assert.ok(error instanceof ComposeFileError, `expected a ComposeFileError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the file to be rejected')
}

describe('validateComposeFile', () => {
  it('accepts a small valid file and returns nothing', () => {
    const {doc, source} = yamlSource('services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n')
    assert.equal(validateComposeFile(doc, source), undefined)
  })

  it('reports a schema error as a ComposeFileError with code, file:line:col, model path and a snippet', () => {
    const error = thrown('services:\n  web:\n    image: nginx\n    ports:\n      - [80]\n')
    assert.ok(error instanceof BerthError)
    assert.equal(error.code, SCHEMA_ERROR_CODE)
    assert.equal(error.file, 'compose.yaml')
    assert.deepEqual(error.position, {line: 5, col: 9})
    assert.equal(error.modelPath, 'services.web.ports[0]')
    assert.match(error.message, /^compose\.yaml:5:9: expected a port: .*, got a list \(services\.web\.ports\[0\]\)$/)
    assert.equal(error.context, ['3 |     image: nginx', '4 |     ports:', '5 |       - [80]', '  |         ^'].join('\n'))
  })

  it('never shows ajv vocabulary (schemaPath, keyword names, "must match")', () => {
    const texts = [
      'services:\n  web:\n    image: x\n    deploy:\n      mode: sometimes\n',
      'services:\n  web:\n    image: x\n    ports: [{published: 80}]\n',
      'services:\n  web:\n    image: 3\n',
      'services:\n  web:\n    image: x\n    foo: 1\n',
    ]
    for (const text of texts) {
      const message = thrown(text).message
      assert.doesNotMatch(message, /schemaPath|instancePath|anyOf|additionalProperties|must match|#\//, message)
      assert.equal(message.split('\n').length, 1)
    }
  })

  it('reports semantic problems with their own code', () => {
    const error = thrown('services:\n  web:\n    image: x\n    network_mode: host\n    networks: [front]\n')
    assert.equal(error.code, INVALID_ERROR_CODE)
    assert.equal(error.modelPath, 'services.web.networks')
  })

  it('rejects a document that is not a mapping, and an empty one', () => {
    assert.match(thrown('- a\n- b\n').message, /compose\.yaml:1:1: a Compose file must be a mapping of top-level fields, got a list/)
    const {source} = yamlSource('# nothing\n')
    assert.throws(() => validateComposeFile(null, source), /the Compose file is empty/)
  })
})

describe('cast helpers (what the schema lets through for numbers and booleans)', () => {
  it('asInteger reads integers and integer strings only', () => {
    assert.equal(asInteger(3), 3)
    assert.equal(asInteger('-2'), -2)
    assert.equal(asInteger('3.5'), undefined)
    assert.equal(asInteger('${N}'), undefined)
    assert.equal(asInteger(2.5), undefined)
  })

  it('asBoolean reads YAML 1.1 style words like docker compose', () => {
    for (const word of ['true', 'True', 'yes', 'Y', 'on']) assert.equal(asBoolean(word), true, word)
    for (const word of ['false', 'FALSE', 'no', 'n', 'Off']) assert.equal(asBoolean(word), false, word)
    assert.equal(asBoolean('maybe'), undefined)
    assert.equal(asBoolean(false), false)
  })
})

describe('generated validator', function () {
  this.timeout(20_000)

  it('is up to date with schemas/compose-spec.json (node scripts/gen-validator.mjs --check)', () => {
    const script = fileURLToPath(new URL('../../../scripts/gen-validator.mjs', import.meta.url))
    // Throws (non-zero exit) when src/compose/validate/generated.{js,d.ts} are stale.
    execFileSync(process.execPath, [script, '--check'], {stdio: 'pipe'})
  })

  it('exports the schema it was generated from (error messages walk it instead of reading the file)', () => {
    const file = JSON.parse(readFileSync(new URL('../../../schemas/compose-spec.json', import.meta.url), 'utf8'))
    assert.deepEqual(schema, file)
  })
})

describe('validateComposeFile before interpolation (berth config --no-interpolate)', () => {
  it('accepts variable references where numbers, booleans, durations and enums-by-pattern are expected', () => {
    const {doc, source} = yamlSource(
      [
        'services:',
        '  web:',
        '    image: nginx:${TAG:-alpine}',
        '    read_only: ${RO}',
        '    restart: ${RESTART:-no}',
        '    stop_grace_period: ${GRACE}',
        '    mem_limit: $MEM',
        '    ports: ["${PORT:-8080}:80", {target: "${TARGET}", published: "${PUB}"}]',
        '    deploy:',
        '      replicas: ${REPLICAS:-2}',
        '    container_name: ${NAME}',
        '',
      ].join('\n'),
    )
    assert.doesNotThrow(() => validateComposeFile(doc, source))
  })
})
