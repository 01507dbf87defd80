import {strict as assert} from 'node:assert'
import {BerthError} from '../../../src/errors.js'
import {option, parseTargetOptions, type OptionValues} from '../../../src/plugins/sdk/options.js'

const specs = {
  file: option.string({description: 'File.', default: 'out.json'}),
  mode: option.string({description: 'Mode.', choices: ['fast', 'safe']}),
  pretty: option.boolean({description: 'Indent.'}),
  replicas: option.integer({description: 'Replicas.', default: 1}),
  ratio: option.number({description: 'Ratio.'}),
  token: option.string({description: 'Token.', required: true}),
}

function errorOf(fn: () => unknown): BerthError {
  try {
    fn()
  } catch (error) {
    assert.ok(error instanceof BerthError)
    return error
  }
  assert.fail('expected an error')
}

describe('target options', () => {
  it('applies defaults and converts values by kind', () => {
    const values = parseTargetOptions('t', specs, ['token=abc', 'pretty', 'replicas=3', 'ratio=0.5', 'mode=safe']) as OptionValues<typeof specs>
    assert.deepEqual(values, {token: 'abc', pretty: true, replicas: 3, ratio: 0.5, mode: 'safe', file: 'out.json'})
  })

  it('keeps "=" inside values and accepts false for booleans', () => {
    const values = parseTargetOptions('t', specs, ['token=a=b', 'pretty=false'])
    assert.equal(values.token, 'a=b')
    assert.equal(values.pretty, false)
  })

  it('names an unknown option and lists the known ones', () => {
    const error = errorOf(() => parseTargetOptions('t', specs, ['token=x', 'colour=red']))
    assert.equal(error.code, 'TARGET_OPTION_UNKNOWN')
    assert.equal(error.message, 'target t has no option "colour"')
    assert.deepEqual(error.hints, ['its options are: file, mode, pretty, replicas, ratio, token'])
  })

  it('rejects values of the wrong kind', () => {
    assert.equal(errorOf(() => parseTargetOptions('t', specs, ['token=x', 'replicas=two'])).message, 'target t: option replicas must be an integer, got "two"')
    assert.equal(errorOf(() => parseTargetOptions('t', specs, ['token=x', 'ratio='])).message, 'target t: option ratio must be a number, got ""')
    assert.equal(errorOf(() => parseTargetOptions('t', specs, ['token=x', 'pretty=maybe'])).message, 'target t: option pretty must be true or false, got "maybe"')
    assert.equal(errorOf(() => parseTargetOptions('t', specs, ['token=x', 'mode=slow'])).message, 'target t: option mode must be one of fast, safe, got "slow"')
  })

  it('requires required options and values for non-booleans', () => {
    assert.equal(errorOf(() => parseTargetOptions('t', specs, [])).code, 'TARGET_OPTION_MISSING')
    assert.equal(errorOf(() => parseTargetOptions('t', specs, ['token'])).message, 'target t: option token needs a value (--option token=VALUE)')
  })

  it('a target without options refuses any', () => {
    assert.deepEqual(errorOf(() => parseTargetOptions('bare', {}, ['x=1'])).hints, ['target bare takes no options'])
  })
})
