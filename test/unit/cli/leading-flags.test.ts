import {strict as assert} from 'node:assert'
import {moveLeadingFlags} from '../../../src/cli/leading-flags.js'

const commands = new Set(['up', 'config', 'image:build', 'image', 'plugins:install'])
const move = (...argv: string[]) => moveLeadingFlags(argv, (id) => commands.has(id))

describe('cli/leading-flags: project flags before the command, as docker compose takes them', () => {
  it('moves -p, -f (repeated), --project-directory, --env-file, --profile and --debug after the command', () => {
    assert.deepEqual(move('-p', 'demo', 'up', '-d'), ['up', '-p', 'demo', '-d'])
    assert.deepEqual(move('-f', 'a.yaml', '-f', 'b.yaml', 'config', '--services'), ['config', '-f', 'a.yaml', '-f', 'b.yaml', '--services'])
    assert.deepEqual(move('--project-directory', '/x', '--env-file=.env.dev', '--profile', 'debug', '--debug', 'up', 'web'), ['up', '--project-directory', '/x', '--env-file=.env.dev', '--profile', 'debug', '--debug', 'web'])
  })

  it('moves --dry-run (a global flag in docker compose) like the others: it takes no value', () => {
    assert.deepEqual(move('--dry-run', 'up', '-d'), ['up', '--dry-run', '-d'])
    assert.deepEqual(move('-p', 'demo', '--dry-run', 'config', 'web'), ['config', '-p', 'demo', '--dry-run', 'web'])
    assert.deepEqual(move('--dry-run', '-p', 'demo', 'up', 'web'), ['up', '--dry-run', '-p', 'demo', 'web'])
    assert.deepEqual(move('--dry-run'), ['--dry-run'])
  })

  it('puts them after every word of a command with a topic (image build), not inside it', () => {
    assert.deepEqual(move('-f', 'Dockerfile.dev', 'image', 'build', '.'), ['image', 'build', '-f', 'Dockerfile.dev', '.'])
    assert.deepEqual(move('-p', 'x', 'plugins', 'install', 'pkg'), ['plugins', 'install', '-p', 'x', 'pkg'])
  })

  it('drops a leading project flag the command does not take (docker compose ignores -f for version)', () => {
    const flagsOf: Record<string, string[]> = {up: ['file', 'project-name', 'dry-run', 'debug'], version: ['format', 'short', 'debug']}
    const accepts = (id: string, name: string) => flagsOf[id]?.includes(name) ?? false
    const m = (...argv: string[]) => moveLeadingFlags(argv, (id) => id in flagsOf, accepts)
    assert.deepEqual(m('-f', 'a.yaml', 'version', '--short'), ['version', '--short'])
    assert.deepEqual(m('--dry-run', '--debug', 'version'), ['version', '--debug'])
    assert.deepEqual(m('-f', 'a.yaml', '-p', 'x', 'up', '-d'), ['up', '-f', 'a.yaml', '-p', 'x', '-d'])
    assert.deepEqual(m('-p', 'x', 'plugin-cmd', 'arg'), ['plugin-cmd', '-p', 'x', 'arg'], 'a command not in the manifest keeps them all')
  })

  it('an unknown command keeps its first word as the command (oclif then reports it)', () => {
    assert.deepEqual(move('-p', 'x', 'nope', 'more'), ['nope', '-p', 'x', 'more'])
  })

  it('leaves argv alone when nothing leads, a flag lacks its value, or no command follows', () => {
    assert.deepEqual(move('up', '-p', 'x'), ['up', '-p', 'x'])
    assert.deepEqual(move('-p'), ['-p'])
    assert.deepEqual(move('-p', 'x'), ['-p', 'x'])
    assert.deepEqual(move('-p', 'x', '--version'), ['-p', 'x', '--version'])
    assert.deepEqual(move('--version'), ['--version'])
    assert.deepEqual(move('-x', 'up'), ['-x', 'up'])
  })
})
