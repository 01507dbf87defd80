import {strict as assert} from 'node:assert'
import {buildRegistry} from '../../../src/plugins/core/registry.js'
import {definePlugin, defineTarget} from '../../../src/plugins/sdk/index.js'

const target = (name: string, description = name) =>
  defineTarget({name, description, deploy() {}, remove() {}, status: () => ({deployed: false, services: []})})

describe('plugin registry', () => {
  it('orders core first, then plugins by name, whatever order their hooks finished in', () => {
    const warnings: string[] = []
    const registry = buildRegistry(
      [
        {plugin: 'zeta', core: false, definition: definePlugin({targets: [target('z')], afterLoad: (p) => p}).definition},
        {plugin: 'berth', core: true, definition: definePlugin({targets: [target('local')]}).definition},
        {plugin: 'alpha', core: false, definition: definePlugin({targets: [target('a')], afterLoad: (p) => p, beforeDeploy() {}}).definition},
      ],
      (m) => warnings.push(m),
    )
    assert.deepEqual([...registry.targets.keys()], ['local', 'a', 'z'])
    assert.deepEqual(registry.afterLoad.map((h) => h.plugin), ['alpha', 'zeta'])
    assert.deepEqual(registry.beforeDeploy.map((h) => h.plugin), ['alpha'])
    assert.equal(registry.targets.get('local')!.core, true)
    assert.deepEqual(warnings, [])
  })

  it('keeps the first of two targets with one name and warns naming both plugins', () => {
    const warnings: string[] = []
    const registry = buildRegistry(
      [
        {plugin: 'berth-plugin-b', core: false, definition: {targets: [target('local', 'impostor')]}},
        {plugin: 'berth', core: true, definition: {targets: [target('local', 'real')]}},
      ],
      (m) => warnings.push(m),
    )
    assert.equal(registry.targets.get('local')!.value.description, 'real')
    assert.deepEqual(warnings, ['plugin berth-plugin-b: target "local" is already defined by berth; keeping that one'])
  })

  it('skips a plugin that registers something unusable, with one warning naming it', () => {
    const warnings: string[] = []
    const registry = buildRegistry(
      [
        {plugin: 'p-null', core: false, definition: null},
        {plugin: 'p-targets', core: false, definition: {targets: 'local'}},
        {plugin: 'p-hook', core: false, definition: {afterLoad: 'x'}},
        {plugin: 'p-target', core: false, definition: {targets: [{name: 'Bad Name', deploy() {}, remove() {}, status() {}}]}},
        {plugin: 'p-method', core: false, definition: {targets: [{name: 'half', deploy() {}}]}},
        {plugin: 'p-ok', core: false, definition: {targets: [target('ok')]}},
      ],
      (m) => warnings.push(m),
    )
    assert.deepEqual([...registry.targets.keys()], ['ok'])
    assert.deepEqual(warnings, [
      'plugin p-hook is skipped: afterLoad must be a function',
      'plugin p-method is skipped: target half has no remove() function',
      'plugin p-null is skipped: its berth:register hook must return definePlugin({...})',
      'plugin p-target is skipped: target name "Bad Name" must be lowercase letters, digits and \'-\', starting with a letter',
      'plugin p-targets is skipped: targets must be an array of defineTarget(...)',
    ])
    assert.equal(registry.problems.length, 5)
  })

  it('accepts targets made by another copy of the SDK (plain objects of the right shape)', () => {
    const foreign = {name: 'foreign', description: 'from a bundled SDK', deploy() {}, remove() {}, status: () => ({deployed: false, services: []})}
    const registry = buildRegistry([{plugin: 'bundled', core: false, definition: {targets: [foreign]}}], () => assert.fail('no warning'))
    assert.deepEqual(registry.targets.get('foreign')!.value.options, {})
  })

  it('definePlugin makes an oclif hook function that returns the definition', async () => {
    const definition = {targets: [target('x')]}
    const hook = definePlugin(definition)
    assert.equal(await hook({sdkVersion: '1.0.0'}), definition)
    assert.equal(hook.definition, definition)
  })

  it('defineTarget refuses a definition without its methods', () => {
    assert.throws(() => defineTarget({name: 'x', description: 'x'} as never), /target x has no deploy\(\) function/)
  })
})
