import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {DESCRIPTIONS, closest, describeValue, expectedAt, pickError, pointerToPath} from '../../../../src/compose/validate/schema-error.js'
import {knownFieldsAt, leavesAt, type JsonSchema} from '../../../../src/compose/validate/schema-walk.js'

describe('schema errors: choosing and wording', () => {
  it('pointerToPath tells list indexes from mapping keys using the document', () => {
    const doc = {services: {web: {ports: ['80'], labels: {'0': 'zero', 'a/b': 'x'}}}}
    assert.deepEqual(pointerToPath('/services/web/ports/0', doc), ['services', 'web', 'ports', 0])
    assert.deepEqual(pointerToPath('/services/web/labels/0', doc), ['services', 'web', 'labels', '0'])
    assert.deepEqual(pointerToPath('/services/web/labels/a~1b', doc), ['services', 'web', 'labels', 'a/b'])
    assert.deepEqual(pointerToPath('', doc), [])
  })

  it('pickError prefers the deepest error, then a specific one over a type error, and ignores anyOf', () => {
    const doc = {services: {web: {ports: [{target: 80, foo: 1}]}}}
    const errors = [
      {instancePath: '/services/web/ports/0', schemaPath: '#/anyOf/0/type', keyword: 'type', params: {type: 'integer'}},
      {instancePath: '/services/web/ports/0', schemaPath: '#/type', keyword: 'type', params: {type: 'string'}},
      {instancePath: '/services/web/ports/0', schemaPath: '#/additionalProperties', keyword: 'additionalProperties', params: {additionalProperty: 'foo'}},
      {instancePath: '/services/web/ports/0', schemaPath: '#/anyOf', keyword: 'anyOf', params: {}},
    ]
    const best = pickError(errors, doc)
    assert.equal(best?.error.keyword, 'additionalProperties')
    assert.deepEqual(best?.pointAt, ['services', 'web', 'ports', 0, 'foo'])

    const patternVsType = [
      {instancePath: '/x', schemaPath: '#/anyOf/0/type', keyword: 'type', params: {type: 'integer'}},
      {instancePath: '/x', schemaPath: '#/pattern', keyword: 'pattern', params: {pattern: '^a$'}},
    ]
    assert.equal(pickError(patternVsType, {x: 'b'})?.error.keyword, 'pattern')
  })

  it('closest suggests near names and prefixes, nothing for unrelated words', () => {
    const fields = ['image', 'environment', 'env_file', 'ports', 'volumes']
    assert.equal(closest('imgae', fields), 'image')
    assert.equal(closest('enviroment', fields), 'environment')
    assert.equal(closest('env', ['path', 'env_file', 'project_directory']), 'env_file')
    assert.equal(closest('port', fields), 'ports')
    assert.equal(closest('frobnicate', fields), undefined)
  })

  it('describeValue quotes strings, names composites and shortens long text', () => {
    assert.equal(describeValue('abc'), '"abc"')
    assert.equal(describeValue(3), '3')
    assert.equal(describeValue(null), 'null')
    assert.equal(describeValue([1]), 'a list')
    assert.equal(describeValue({a: 1}), 'a mapping')
    assert.equal(describeValue('x'.repeat(100)).length, 62)
  })

  it('reads what is expected and which fields are known from the schema', () => {
    assert.equal(expectedAt(['services', 'web', 'command']), 'a string, a list of strings or null')
    assert.equal(expectedAt(['services', 'web', 'environment']), 'a mapping or a list of "NAME=VALUE" strings')
    assert.ok(knownFieldsAt(['services', 'web']).includes('healthcheck'))
    assert.deepEqual(knownFieldsAt(['services', 'web', 'depends_on', 'db']).sort(), ['condition', 'required', 'restart'])
    assert.ok(leavesAt(['services', 'web', 'ports', 0]).length >= 3)
  })

  it('every pattern in the schema has words for it, so no regex ever reaches a user', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../../schemas/compose-spec.json', import.meta.url), 'utf8')) as JsonSchema
    const undescribed: string[] = []
    const visit = (node: unknown, where: string, def: string | undefined): void => {
      if (node === null || typeof node !== 'object') return
      const record = node as Record<string, unknown>
      if (typeof record.pattern === 'string' && record.pattern !== '^all$' && !(def && DESCRIPTIONS[def]) && where !== '#/$defs/non_empty_string') {
        undescribed.push(`${where} (${def ?? 'no definition'})`)
      }
      for (const [key, value] of Object.entries(record)) {
        if (key === 'patternProperties') continue
        visit(value, `${where}/${key}`, def)
      }
    }
    for (const [name, def] of Object.entries(schema.$defs ?? {})) visit(def, `#/$defs/${name}`, name)
    visit({...schema, $defs: undefined}, '#', undefined)
    assert.deepEqual(undescribed, [])
  })
})
