import assert from 'node:assert/strict'
import {ConflictError, EngineServerError, NotFoundError, type EngineClient} from '../../../src/engine/index.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'

describe('engine: networks and volumes (private dockerd)', () => {
  let engine: EngineClient
  const suffix = `${process.pid}`

  before(() => {
    engine = testClient()
  })
  after(() => engine.close())

  it('creates, lists, connects, disconnects and removes a network', async () => {
    const name = `berth-engine-net-${suffix}`
    const {Id} = await engine.networks.create({Name: name, Driver: 'bridge', Labels: {'berth.test': 'net'}, IPAM: {Config: [{Subnet: '172.29.0.0/24'}]}})
    await assert.rejects(engine.networks.create({Name: name}), (error: unknown) => error instanceof ConflictError)
    const listed = await engine.networks.list({filters: {label: ['berth.test=net']}})
    assert.deepEqual(listed.map((n) => n.Id), [Id])

    const container = await engine.containers.create({Image: BASE_IMAGE, Cmd: ['sleep', '60'], HostConfig: {NetworkMode: name}, NetworkingConfig: {EndpointsConfig: {[name]: {Aliases: ['web']}}}})
    try {
      await engine.containers.start(container.Id)
      const inspected = await engine.networks.inspect(name)
      assert.equal(inspected.IPAM.Config?.[0]?.Subnet, '172.29.0.0/24')
      assert.ok(inspected.Containers?.[container.Id])
      await assert.rejects(engine.networks.remove(name), (error: unknown) => error instanceof EngineServerError && /active endpoints/.test(error.message))
      await engine.networks.disconnect(name, container.Id)
      assert.equal(Object.keys((await engine.networks.inspect(name)).Containers ?? {}).length, 0)
      await engine.networks.connect(name, container.Id, {Aliases: ['again']})
      const settings = (await engine.containers.inspect(container.Id)).NetworkSettings.Networks[name]
      assert.ok(settings.Aliases?.includes('again'))
    } finally {
      await engine.containers.remove(container.Id, {force: true})
    }
    await engine.networks.remove(name)
    await assert.rejects(engine.networks.inspect(name), (error: unknown) => error instanceof NotFoundError && error.kind === 'network')
  })

  it('creates, lists, mounts, and removes a volume', async () => {
    const name = `berth-engine-vol-${suffix}`
    const volume = await engine.volumes.create({Name: name, Labels: {'berth.test': 'vol'}})
    assert.equal(volume.Name, name)
    assert.deepEqual((await engine.volumes.list({filters: {label: ['berth.test=vol']}})).map((v) => v.Name), [name])
    const writer = await engine.containers.create({Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo kept > /data/file'], HostConfig: {Mounts: [{Type: 'volume', Source: name, Target: '/data'}]}})
    await engine.containers.start(writer.Id)
    assert.equal((await engine.containers.wait(writer.Id)).StatusCode, 0)
    await assert.rejects(engine.volumes.remove(name), (error: unknown) => error instanceof ConflictError && /in use/.test(error.message))
    await engine.containers.remove(writer.Id)
    assert.equal((await engine.volumes.inspect(name)).Labels?.['berth.test'], 'vol')
    await engine.volumes.remove(name)
    await assert.rejects(engine.volumes.inspect(name), (error: unknown) => error instanceof NotFoundError && error.kind === 'volume')
  })
})
