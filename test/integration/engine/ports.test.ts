import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import type {EngineClient} from '../../../src/engine/index.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolve(port))
    })
  })
}

describe('engine: the private dockerd publishes ports and resolves names on user-defined networks', () => {
  let engine: EngineClient
  const cleanup: (() => Promise<unknown>)[] = []

  before(() => {
    engine = testClient()
  })
  after(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined)
    await engine.close()
  })

  it('serves a page from a published port and reaches a service by its alias', async () => {
    const network = `berth-engine-ports-${process.pid}`
    await engine.networks.create({Name: network})
    cleanup.push(() => engine.networks.remove(network))
    const port = await freePort()
    const web = await engine.containers.create({
      Image: BASE_IMAGE,
      Cmd: ['httpd', '-f', '-p', '8080', '-h', '/www'],
      ExposedPorts: {'8080/tcp': {}},
      HostConfig: {NetworkMode: network, PortBindings: {'8080/tcp': [{HostIp: '127.0.0.1', HostPort: String(port)}]}, Init: true},
      NetworkingConfig: {EndpointsConfig: {[network]: {Aliases: ['web']}}},
    })
    cleanup.push(() => engine.containers.remove(web.Id, {force: true}))
    await engine.containers.start(web.Id)

    let body = ''
    for (let attempt = 0; attempt < 50 && !body; attempt++) {
      body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => '')
      if (!body) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.match(body, /berth test base image/)

    const client = await engine.containers.create({Image: BASE_IMAGE, Cmd: ['wget', '-q', '-O', '-', 'http://web:8080/'], HostConfig: {NetworkMode: network}})
    cleanup.push(() => engine.containers.remove(client.Id, {force: true}))
    await engine.containers.start(client.Id)
    assert.equal((await engine.containers.wait(client.Id)).StatusCode, 0)
    let logs = ''
    for await (const chunk of await engine.containers.logs(client.Id, {tty: false})) logs += chunk.data.toString()
    assert.match(logs, /berth test base image/)

    const listed = await engine.containers.list({filters: {id: [web.Id]}})
    assert.deepEqual(listed[0].Ports.map((p) => [p.IP, p.PrivatePort, p.PublicPort, p.Type]), [['127.0.0.1', 8080, port, 'tcp']])
  })
})
