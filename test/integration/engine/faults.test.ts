import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {CancelledError} from '../../../src/errors.js'
import {EngineClient, EngineTimeoutError, EngineUnreachableError, type EngineEvent} from '../../../src/engine/index.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'
import {startPrivateDockerd} from '../../support/private-dockerd.js'

describe('engine: faults, events and cancellation', () => {
  it('names the address and how to start an engine when the socket does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-nosock-'))
    const client = EngineClient.forHost(`unix://${dir}/docker.sock`)
    try {
      await assert.rejects(client.containers.list(), (error: unknown) => {
        assert.ok(error instanceof EngineUnreachableError)
        assert.equal(error.code, 'ENGINE_UNREACHABLE')
        assert.equal(error.message, `cannot reach the Docker Engine at unix://${dir}/docker.sock: no such socket`)
        assert.ok(error.hints.some((h) => h.includes('sudo dockerd') && h.includes('systemctl start docker')))
        return true
      })
    } finally {
      await client.destroy()
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('reports a refused tcp connection', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as {port: number}).port
    await new Promise((resolve) => server.close(resolve))
    const client = EngineClient.forHost(`tcp://127.0.0.1:${port}`)
    try {
      await assert.rejects(client.system.ping(), (error: unknown) => error instanceof EngineUnreachableError && error.reason === 'connection refused' && error.address === `tcp://127.0.0.1:${port}`)
    } finally {
      await client.destroy()
    }
  })

  it('times out a call that takes too long, and cancels one on abort', async () => {
    const engine = testClient()
    const {Id} = await engine.containers.create({Image: BASE_IMAGE, Cmd: ['sleep', '30']})
    try {
      await engine.containers.start(Id)
      const controller = new AbortController()
      const waiting = engine.containers.wait(Id, {signal: controller.signal})
      setTimeout(() => controller.abort(), 100)
      await assert.rejects(waiting, (error: unknown) => error instanceof CancelledError && error.exitCode === 130)
      const slow = new EngineClient({endpoint: engine.endpoint, timeoutMs: 200})
      try {
        await assert.rejects(slow.json({method: 'POST', path: `/containers/${Id}/wait`}), (error: unknown) => error instanceof EngineTimeoutError && /within 200 ms/.test(error.message))
      } finally {
        await slow.close()
      }
    } finally {
      await engine.containers.remove(Id, {force: true})
      await engine.close()
    }
  })

  it('streams events filtered by label', async () => {
    const engine = testClient()
    const controller = new AbortController()
    const since = Math.floor(Date.now() / 1000) - 1
    try {
      const {Id} = await engine.containers.create({Image: BASE_IMAGE, Cmd: ['true'], Labels: {'berth.test.events': 'yes'}})
      await engine.containers.start(Id)
      await engine.containers.wait(Id)
      await engine.containers.remove(Id)
      const events = await engine.system.events({since, until: Math.floor(Date.now() / 1000) + 1, filters: {type: ['container'], label: ['berth.test.events=yes']}, signal: controller.signal})
      const actions: string[] = []
      for await (const event of events as AsyncIterable<EngineEvent>) {
        assert.equal(event.Actor.ID, Id)
        actions.push(event.Action)
      }
      assert.deepEqual(actions, ['create', 'start', 'die', 'destroy'])
    } finally {
      controller.abort()
      await engine.close()
    }
  })

  it('fails a running stream and later calls when the engine stops mid-command', async () => {
    const second = await startPrivateDockerd()
    const client = EngineClient.forHost(second.host)
    try {
      await client.system.ping()
      const events = await client.system.events()
      const consumed = (async () => {
        for await (const _event of events) {
          // none expected
        }
      })().then(
        () => 'ended',
        (error: unknown) => error,
      )
      await second.stop()
      const outcome = await consumed
      assert.ok(outcome instanceof EngineUnreachableError, String(outcome))
      await assert.rejects(client.containers.list(), (error: unknown) => error instanceof EngineUnreachableError && error.address === second.host)
    } finally {
      await client.destroy()
      await second.stop()
    }
  })
})
