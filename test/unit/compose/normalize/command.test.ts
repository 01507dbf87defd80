import assert from 'node:assert/strict'
import {splitShellWords} from '../../../../src/compose/normalize/shell-words.js'
import {app, thrown} from './helpers.js'

describe('normalize: command and entrypoint', () => {
  it('splits strings like a shell, without running one', () => {
    assert.deepEqual(splitShellWords(`echo "a b" 'c d' e\\ f  g`), ['echo', 'a b', 'c d', 'e f', 'g'])
    assert.deepEqual(splitShellWords(`sh -c "echo \\"hi\\" \\$HOME"`), ['sh', '-c', 'echo "hi" $HOME'])
    assert.deepEqual(splitShellWords(`a '' "" b`), ['a', '', '', 'b'])
    assert.deepEqual(splitShellWords('   '), [])
  })

  it('applies to command and entrypoint, lists stay as written', () => {
    const s = app('services: {app: {image: x, command: "redis-server --appendonly yes", entrypoint: ["/e.sh", "a b"]}}')
    assert.deepEqual(s.command, ['redis-server', '--appendonly', 'yes'])
    assert.deepEqual(s.entrypoint, ['/e.sh', 'a b'])
    assert.deepEqual(app('services: {app: {image: x, command: []}}').command, [])
  })

  it('rejects an unterminated quote with the position', () => {
    const e = thrown(() => app(`services: {app: {image: x, command: "echo 'oops"}}`))
    assert.equal(e.code, 'COMPOSE_INVALID_VALUE')
    assert.match(e.message, /unterminated quote .*\(services\.app\.command\)/)
  })
})
