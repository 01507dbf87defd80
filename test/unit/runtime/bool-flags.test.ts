import {strict as assert} from 'node:assert'
import {normalizeBoolFlags} from '../../../src/runtime/bool-flags.js'

describe('runtime: --flag=false spellings of boolean options', () => {
  it('rewrites --name=false/true and -x=false for the flags named, with Go\'s boolean words', () => {
    const flags = {pause: 'p', 'sig-proxy': undefined}
    assert.deepEqual(normalizeBoolFlags(['--pause=false', 'web'], flags), ['--no-pause', 'web'])
    assert.deepEqual(normalizeBoolFlags(['-p=0', 'web', 'img:1'], flags), ['--no-pause', 'web', 'img:1'])
    assert.deepEqual(normalizeBoolFlags(['--pause=TRUE', '--sig-proxy=f'], flags), ['--pause', '--no-sig-proxy'])
    assert.deepEqual(normalizeBoolFlags(['--sig-proxy=True'], flags), ['--sig-proxy'])
  })

  it('leaves everything else alone: other flags, values that are not booleans, arguments after --', () => {
    const flags = {pause: 'p'}
    assert.deepEqual(normalizeBoolFlags(['-p', 'demo', '--file=x.yaml', '--pause=maybe'], flags), ['-p', 'demo', '--file=x.yaml', '--pause=maybe'])
    assert.deepEqual(normalizeBoolFlags(['--', '--pause=false'], flags), ['--', '--pause=false'])
    assert.deepEqual(normalizeBoolFlags(['-q=false'], flags), ['-q=false'])
  })
})
