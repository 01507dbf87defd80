import assert from 'node:assert/strict'
import {EngineClient} from '../../../src/engine/index.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient, testEngine} from '../../support/engine-hooks.js'

describe('engine: system (private dockerd)', () => {
  let engine: EngineClient
  before(() => {
    engine = testClient()
  })
  after(() => engine.close())

  it('negotiates API 1.41 with Docker 20.10', async () => {
    assert.equal(await engine.apiVersion(), '1.41')
    const version = await engine.system.version()
    assert.match(version.Version, /^20\.10\./)
    assert.equal(version.ApiVersion, '1.41')
  })

  it('is what DOCKER_HOST points at', async () => {
    assert.equal(process.env.DOCKER_HOST, testEngine().host)
    const fromEnv = EngineClient.fromEnvironment()
    try {
      assert.equal(fromEnv.endpoint.host, testEngine().host)
      assert.equal(fromEnv.endpoint.source, 'DOCKER_HOST')
      await fromEnv.system.ping()
    } finally {
      await fromEnv.close()
    }
  })

  it('has the busybox base image, tagged twice', async () => {
    const image = await engine.images.inspect(BASE_IMAGE)
    assert.ok(image.RepoTags.includes('busybox:latest'))
    assert.ok(image.Config.Env?.some((e) => e.startsWith('PATH=')))
    assert.deepEqual(image.Config.Cmd, ['sh'])
  })
})
