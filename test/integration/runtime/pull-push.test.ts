import {strict as assert} from 'node:assert'
import type {Project} from '../../../src/compose/types.js'
import type {EngineClient} from '../../../src/engine/index.js'
import {pullServices, pushServices} from '../../../src/runtime/pull-push.js'
import type {ProgressEvent} from '../../../src/runtime/progress-events.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'
import {startRegistry, type TestRegistry} from '../../support/registry.js'
import {uniqueProject} from './project-fixture.js'

function project(name: string, services: Project['services']): Project {
  return {name, workingDir: '/tmp', configFiles: [], services, disabledServices: {}, networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {}, environment: {}, profiles: []}
}

describe('runtime (real engine): pull and push through a local registry', function () {
  let engine: EngineClient
  let registry: TestRegistry
  before(async () => {
    engine = testClient()
    registry = await startRegistry()
  })
  after(async () => {
    await registry?.stop()
    await engine.close()
  })

  it('push sends buildable services with an image name; pull brings them back; unknown images fail clearly', async () => {
    const image = `${registry.address}/berth/${uniqueProject('app')}:1`
    const {repository, tag} = {repository: image.slice(0, image.lastIndexOf(':')), tag: '1'}
    await engine.images.tag(BASE_IMAGE, `${repository}:${tag}`)
    const p = project(uniqueProject('pp'), {
      app: {name: 'app', image, build: {context: '.'}},
      plain: {name: 'plain', image: BASE_IMAGE},
    })
    const events: ProgressEvent[] = []
    const pushed = await pushServices(engine, p, {progress: (e) => events.push(e)})
    assert.deepEqual(pushed, [image])
    assert.ok(events.some((e) => e.resource === `Image ${image}` && (e.status as string) === 'Pushed'))

    await engine.images.remove(image)
    assert.equal(await engine.images.find(image), undefined)
    const pulled = await pullServices(engine, p, {services: ['app']})
    assert.deepEqual(pulled, [image])
    assert.ok(await engine.images.find(image))

    const missing = project(uniqueProject('pp'), {gone: {name: 'gone', image: `${registry.address}/berth/does-not-exist:1`}})
    await assert.rejects(pullServices(engine, missing), (error: unknown) => error instanceof Error && /service gone: cannot pull image ".*does-not-exist:1"/.test(error.message))
    const warnings: string[] = []
    assert.deepEqual(await pullServices(engine, missing, {ignoreFailures: true, warn: (m) => warnings.push(m)}), [])
    assert.equal(warnings.length, 1)
  })
})
