import {strict as assert} from 'node:assert'
import {BerthError, CancelledError, UserInputError} from '../../src/errors.js'

describe('errors', () => {
  it('instanceof holds across two copies of the module, for the base class and subclasses', async () => {
    // A query string makes the loader evaluate the file again: a second, separate copy of every
    // class, as when a plugin bundles the SDK or a module is loaded both as ESM and as CJS.
    const copy = (await import(`../../src/errors.js?copy=${Date.now()}`)) as typeof import('../../src/errors.js')
    assert.notEqual(copy.UserInputError, UserInputError, 'really a second copy')
    const theirs = new copy.UserInputError('X', 'from the other copy')
    assert.ok(theirs instanceof BerthError)
    assert.ok(theirs instanceof UserInputError)
    assert.equal(theirs instanceof CancelledError, false)
    const ours = new CancelledError()
    assert.ok(ours instanceof copy.CancelledError)
    assert.ok(ours instanceof copy.BerthError)
    assert.equal(ours instanceof copy.UserInputError, false)
    assert.equal(new Error('plain') instanceof BerthError, false)
    assert.equal(({code: 'X'}) instanceof UserInputError, false)
  })
})
