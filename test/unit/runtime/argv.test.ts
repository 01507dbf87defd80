import {strict as assert} from 'node:assert'
import {protectCommandArgs} from '../../../src/runtime/argv.js'

const flags = {env: {type: 'option' as const, char: 'e'}, 'no-TTY': {type: 'boolean' as const, char: 'T'}, index: {type: 'option' as const}}

describe('runtime/argv: the command after the service keeps its flags', () => {
  it('inserts -- after the service, skipping flag values', () => {
    assert.deepEqual(protectCommandArgs(['-e', 'A=1', 'web', 'sh', '-c', 'ls -l'], flags), ['-e', 'A=1', 'web', '--', 'sh', '-c', 'ls -l'])
    assert.deepEqual(protectCommandArgs(['-T', '--index', '2', 'web', 'ls', '-a'], flags), ['-T', '--index', '2', 'web', '--', 'ls', '-a'])
    assert.deepEqual(protectCommandArgs(['--env=A=1', '-eB=2', 'web', 'env'], flags), ['--env=A=1', '-eB=2', 'web', '--', 'env'])
  })

  it('leaves a user-written -- alone', () => {
    assert.deepEqual(protectCommandArgs(['web', '--', 'ls'], flags), ['web', '--', 'ls'])
  })
})
