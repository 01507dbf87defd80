import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Ajv} from 'ajv'

const ROOT = join(fileURLToPath(import.meta.url), '../../../..')
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'plugin-manifest.json'), 'utf8'))
const validate = new Ajv({allErrors: true, strict: false}).compile(schema)
const example = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'plugins', 'berth-plugin-example', 'package.json'), 'utf8'))

describe('plugin manifest schema', () => {
  it("accepts the example plugin's package.json", () => {
    assert.equal(validate(example), true, JSON.stringify(validate.errors))
  })

  it('requires the SDK range and refuses stray keys under "berth"', () => {
    const noRange = {...example, berth: {}}
    assert.equal(validate(noRange), false)
    assert.ok(validate.errors!.some((e) => e.instancePath === '/berth' && e.keyword === 'required'))
    assert.equal(validate({...example, berth: {sdk: '^1.0.0', sdkk: 1}}), false)
    const {berth: _omitted, ...withoutBerth} = example
    assert.equal(validate(withoutBerth), false)
  })
})
