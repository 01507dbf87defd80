/** The kube plugin registers through the SDK like any plugin: a `kube` target beside local and swarm, with checked options. */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {buildRegistry} from '../../../../src/plugins/core/registry.js'
import {parseTargetOptions} from '../../../../src/plugins/sdk/options.js'
import kubePlugin from '../../../../src/plugins/kube/register.js'
import localPlugin from '../../../../src/plugins/local/register.js'
import swarmPlugin from '../../../../src/plugins/swarm/register.js'

describe('kube plugin registration', () => {
  it('adds the kube target beside local and swarm, and package.json declares its register hook', () => {
    const warnings: string[] = []
    const registry = buildRegistry(
      [localPlugin, swarmPlugin, kubePlugin].map((p) => ({plugin: 'berth', core: true, definition: p.definition})),
      (m) => warnings.push(m),
    )
    assert.deepEqual([...registry.targets.keys()].sort(), ['kube', 'local', 'swarm'])
    assert.deepEqual(warnings, [])
    const pjson = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'))
    assert.ok(pjson.oclif.hooks['berth:register'].includes('./dist/plugins/kube/register.js'))
  })

  it('checks --option values before anything runs', () => {
    const target = kubePlugin.definition.targets![0]!
    assert.deepEqual(parseTargetOptions('kube', target.options, ['namespace=shop', 'volumes=true']), {namespace: 'shop', volumes: true})
    assert.throws(() => parseTargetOptions('kube', target.options, ['controller=job']), /must be one of deployment, statefulset, daemonset/)
  })

  it('keeps the register hook cheap: the target module imports nothing heavy at load', () => {
    const source = readFileSync(new URL('../../../../src/plugins/kube/target.ts', import.meta.url), 'utf8')
    assert.deepEqual(source.match(/^import .*$/gm), ["import {defineTarget, option} from '../sdk/index.js'"])
  })
})
