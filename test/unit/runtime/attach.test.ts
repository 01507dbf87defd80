import {strict as assert} from 'node:assert'
import {BerthError} from '../../../src/errors.js'
import {DEFAULT_DETACH_KEYS, parseDetachKeys, sequenceWatcher} from '../../../src/runtime/attach.js'

describe('runtime: attach detach keys', () => {
  it("parses docker's notation: one character or ctrl-<key>, comma-separated", () => {
    assert.deepEqual(parseDetachKeys(DEFAULT_DETACH_KEYS), [16, 17])
    assert.deepEqual(parseDetachKeys('ctrl-a,x'), [1, 120])
    assert.deepEqual(parseDetachKeys('CTRL-Z'), [26])
    assert.deepEqual(parseDetachKeys('ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_'), [0, 27, 28, 29, 30, 31])
  })

  it('a bad sequence is one line naming it', () => {
    for (const [keys, pattern] of [
      ['', /no keys/],
      ['ctrl-1', /bad --detach-keys "ctrl-1": ctrl- goes with a letter/],
      ['ctrl-p,esc', /bad --detach-keys "ctrl-p,esc": "esc": neither one character nor ctrl-<key>/],
      ['ctrl-', /neither one character/],
      [',', /"": neither one character/],
    ] as const) {
      assert.throws(
        () => parseDetachKeys(keys),
        (error: unknown) => error instanceof BerthError && error.code === 'BAD_DETACH_KEYS' && pattern.test(error.message) && !error.message.includes('\n'),
        keys,
      )
    }
  })

  it('spots the sequence in input however it is split, and only in order', () => {
    const watch = sequenceWatcher([16, 17])
    assert.equal(watch(Buffer.from('ls\n')), false)
    assert.equal(watch(Buffer.from([17, 16])), false)
    assert.equal(watch(Buffer.from([16, 16])), false)
    assert.equal(watch(Buffer.from([17])), true)
    assert.equal(watch(Buffer.from('more')), true, 'once seen, stays seen')
    const three = sequenceWatcher([1, 2, 3])
    assert.equal(three(Buffer.from([1, 2, 1, 2])), false)
    assert.equal(three(Buffer.from([3])), true)
  })
})
