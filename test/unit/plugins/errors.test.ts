import {strict as assert} from 'node:assert'
import {BerthError, DeployVetoed, PluginError} from '../../../src/plugins/sdk/index.js'

/** What an error from a second, bundled copy of the SDK looks like: another class, same registry keys. */
class ForeignPluginError extends Error {
  readonly code = 'X'
  readonly plugin = 'bundled'
  get [Symbol.for('berth.error')](): true {
    return true
  }
  get [Symbol.for('berth.sdk.plugin-error')](): true {
    return true
  }
}

describe('SDK errors', () => {
  it('instanceof works across duplicate copies of the SDK', () => {
    const foreign = new ForeignPluginError('from another copy')
    assert.equal(foreign instanceof BerthError, true)
    assert.equal(foreign instanceof PluginError, true)
    assert.equal(new Error('plain') instanceof PluginError, false)
  })

  it('PluginError carries the plugin name and is a BerthError; a veto is not a PluginError', () => {
    const error = new PluginError('berth-plugin-x', 'X_FAILED', 'it failed', {hints: ['retry']})
    assert.equal(error instanceof BerthError, true)
    assert.equal(error.plugin, 'berth-plugin-x')
    assert.deepEqual(error.hints, ['retry'])
    const veto = new DeployVetoed('no')
    assert.equal(veto.code, 'DEPLOY_VETOED')
    assert.equal(veto instanceof BerthError, true)
    assert.equal(veto instanceof PluginError, false)
  })
})
