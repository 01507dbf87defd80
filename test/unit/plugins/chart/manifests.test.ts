import {strict as assert} from 'node:assert'
import {collectManifests} from '../../../../src/plugins/chart/manifests.js'
import {UserInputError} from '../../../../src/errors.js'

describe('plugins/chart manifests', () => {
  it('rendered text that is not YAML: helm\'s message, and the rendered line with a caret as context', () => {
    const files = new Map([['bad/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [unclosed\n']])
    assert.throws(
      () => collectManifests(files),
      (e: unknown) =>
        e instanceof UserInputError &&
        e.message.startsWith('YAML parse error on bad/templates/cm.yaml: ') &&
        e.context === '6 |   a: [unclosed\n  |               ^',
    )
  })
})
