import {strict as assert} from 'node:assert'
import {renderError} from '../../../src/cli/output.js'
import {UserInputError} from '../../../src/errors.js'

describe('cli/output renderError', () => {
  it('an oclif parse error is one line, naming the missing arguments', () => {
    const error = new Error(['Missing 2 required args:', 'source       SERVICE:SRC_PATH or a host path.', 'destination  A host path.', '', 'Note: --file allows multiple values.', 'See more help with --help'].join('\n'))
    assert.equal(renderError(error, false, false), 'error: Missing 2 required args: source, destination')
  })

  it('a Berth error: its message, context and hints; a stack only with --debug', () => {
    const error = new UserInputError('X', 'bad thing', {hints: ['do this']})
    assert.equal(renderError(error, false, false), 'error: bad thing\nhint: do this')
    assert.match(renderError(error, true, false), /^error: bad thing\nhint: do this\n.*UserInputError|Error/s)
  })
})
