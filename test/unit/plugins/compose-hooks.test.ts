import {strict as assert} from 'node:assert'
import type {Project} from '../../../src/compose/types.js'
import {applyAfterLoad, runBeforeDeploy} from '../../../src/plugins/core/compose-hooks.js'
import {buildRegistry} from '../../../src/plugins/core/registry.js'
import {DeployVetoed, PluginError, type PluginDefinition} from '../../../src/plugins/sdk/index.js'

function project(): Project {
  return {
    name: 'demo',
    workingDir: '/tmp/demo',
    configFiles: ['/tmp/demo/compose.yaml'],
    services: {web: {name: 'web', image: 'busybox'}},
    disabledServices: {},
    networks: {},
    volumes: {},
    secrets: {},
    configs: {},
    extensions: {'x-replicas': 3},
    environment: {},
    profiles: [],
  }
}

const registry = (plugins: Record<string, PluginDefinition>) =>
  buildRegistry(Object.entries(plugins).map(([plugin, definition]) => ({plugin, core: false, definition})), () => {})

function pluginError(error: unknown): PluginError {
  assert.ok(error instanceof PluginError, `expected a PluginError, got ${String(error)}`)
  return error
}

describe('after-load hooks', () => {
  it('run in order, each on the previous result; in-place changes count', async () => {
    const seen: unknown[] = []
    const r = registry({
      a: {afterLoad: (p) => void (p.services.web!.scale = p.extensions['x-replicas'] as number)},
      b: {afterLoad: (p) => ({...p, services: {...p.services, extra: {name: 'extra', image: 'busybox'}}})},
      c: {afterLoad: (p) => void seen.push(Object.keys(p.services))},
    })
    const original = project()
    const result = await applyAfterLoad(r, original)
    assert.equal(result.services.web!.scale, 3)
    assert.deepEqual(seen, [['web', 'extra']])
    assert.equal(original.services.web!.scale, undefined, "the caller's project is never changed")
  })

  it('a hook that throws changes nothing and is named in the error', async () => {
    const r = registry({
      a: {afterLoad: (p) => void (p.services.web!.image = 'changed')},
      b: {
        afterLoad(p) {
          p.services.web!.image = 'half-done'
          throw new Error('x-thing is not a mapping\nsecond line')
        },
      },
    })
    const original = project()
    await assert.rejects(applyAfterLoad(r, original), (e: unknown) => {
      const error = pluginError(e)
      assert.equal(error.plugin, 'b')
      assert.equal(error.message, 'plugin b: after-load hook failed: x-thing is not a mapping')
      return true
    })
    assert.equal(original.services.web!.image, 'busybox')
  })

  it('a hook that returns something other than a project is an error', async () => {
    const r = registry({odd: {afterLoad: () => 42 as never}})
    await assert.rejects(applyAfterLoad(r, project()), /plugin odd: after-load hook returned something that is not a project/)
  })
})

describe('before-deploy hooks', () => {
  const intent = {target: 'example', options: {file: 'out.json'}, action: 'deploy' as const}

  it('see a read-only project; passing hooks let the deploy through', async () => {
    let frozen = false
    const r = registry({
      a: {
        beforeDeploy(p, i) {
          frozen = Object.isFrozen(p.services.web)
          assert.equal(i.target, 'example')
        },
      },
    })
    await runBeforeDeploy(r, project(), intent)
    assert.equal(frozen, true)
  })

  it('a veto names the plugin and the target; the first in order wins', async () => {
    const r = registry({
      b: {beforeDeploy: () => Promise.reject(new DeployVetoed('second'))},
      a: {
        beforeDeploy() {
          throw new DeployVetoed('privileged services are not allowed', {hints: ['drop privileged: true']})
        },
      },
    })
    await assert.rejects(runBeforeDeploy(r, project(), intent), (e: unknown) => {
      const error = pluginError(e)
      assert.equal(error.code, 'DEPLOY_VETOED')
      assert.equal(error.message, 'plugin a vetoed deploy to example: privileged services are not allowed')
      assert.deepEqual(error.hints, ['drop privileged: true'])
      return true
    })
  })

  it('a hook that fails otherwise is reported as a failure, not a veto', async () => {
    const r = registry({c: {beforeDeploy: () => void (undefined as unknown as {x: number}).x}})
    await assert.rejects(runBeforeDeploy(r, project(), {...intent, action: 'remove'}), (e: unknown) => {
      const error = pluginError(e)
      assert.equal(error.code, 'PLUGIN_HOOK_FAILED')
      assert.match(error.message, /^plugin c: before-deploy hook failed: /)
      return true
    })
  })
})
