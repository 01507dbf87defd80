import {strict as assert} from 'node:assert'
import {createServer} from 'node:net'
import {BerthError, CancelledError} from '../../../src/errors.js'
import {converge} from '../../../src/runtime/converge.js'
import type {RuntimeEngine} from '../../../src/runtime/engine-port.js'
import {LABEL} from '../../../src/runtime/labels.js'
import {observe} from '../../../src/runtime/observe.js'
import {useHarness, testProject, type Harness} from './helpers.js'

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve))
  const port = (server.address() as {port: number}).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

const service = (mode: string, extra = '') => `
services:
  web: {image: busybox, init: true, command: ["sleep", "600"], environment: {MODE: ${mode}}${extra}}
`

describe('runtime/recreate: the old container stays until its replacement runs (real engine)', function () {
  this.timeout(120_000)
  let h!: Harness
  useHarness((x) => (h = x))

  /** Every container on the engine whose name mentions the project: [name, state, MODE]. */
  async function containersOf(project: string): Promise<Array<[string, string, string | undefined]>> {
    const all = await h.engine.listContainers({all: true})
    const mine = all.filter((c) => c.Names.some((n) => n.includes(project)) || c.Labels[LABEL.project] === project)
    for (const c of mine) assert.equal(c.Labels[LABEL.project], project, `${c.Names[0]} carries the project label`)
    const out: Array<[string, string, string | undefined]> = []
    for (const c of mine) {
      const info = await h.engine.inspectContainer(c.Id)
      const mode = (info.Config.Env as string[]).find((e) => e.startsWith('MODE='))?.slice(5)
      out.push([c.Names[0].replace(/^\//, ''), info.State.Status, mode])
    }
    return out.sort()
  }

  it('a successful recreate leaves exactly one container, under its name, running the new config', async () => {
    const p = testProject('rc-ok', service('one'))
    h.track(p)
    await converge(h.engine, await p.load())
    const before = (await observe(h.engine, p.name)).containers[0]
    const outcome = await converge(h.engine, await p.load(service('two')))
    assert.deepEqual(outcome.plan.operations.map((o) => o.kind), ['recreate-container'])
    assert.deepEqual(await containersOf(p.name), [[`${p.name}-web-1`, 'running', 'two']])
    const after = (await observe(h.engine, p.name)).containers[0]
    assert.notEqual(after.id, before.id)
    assert.equal(after.labels[LABEL.replace], before.id, 'labelled with the container it replaced, like compose')
    // Converged: a third up does nothing.
    assert.deepEqual((await converge(h.engine, await p.load())).plan.operations, [])
  })

  it('a replacement that cannot start (its port is published by another container) leaves the old one running under its name', async () => {
    const port = await freePort()
    const other = testProject('rc-holder', `
services:
  holder: {image: busybox, init: true, command: ["sleep", "600"], ports: ["${port}:80"]}
`)
    h.track(other)
    await converge(h.engine, await other.load())
    const p = testProject('rc-port', service('one'))
    h.track(p)
    await converge(h.engine, await p.load())
    const old = (await observe(h.engine, p.name)).containers[0]
    await assert.rejects(converge(h.engine, await p.load(service('two', `, ports: ["${port}:80"]`))), (e: unknown) => {
      assert.ok(e instanceof BerthError, String(e))
      assert.equal(e.code, 'PORT_IN_USE')
      assert.match(e.message, new RegExp(`^service "web": host port ${port} is already in use .*; kept the old ${p.name}-web-1, still running$`))
      return true
    })
    assert.deepEqual(await containersOf(p.name), [[`${p.name}-web-1`, 'running', 'one']])
    assert.equal((await observe(h.engine, p.name)).containers[0].id, old.id, 'the very same container')
  })

  it('a replacement the engine refuses to create leaves the old one running under its name', async () => {
    const p = testProject('rc-create', service('one'))
    h.track(p)
    await converge(h.engine, await p.load())
    // More CPUs than any test machine has: the engine refuses at create time.
    await assert.rejects(converge(h.engine, await p.load(service('two', ', cpus: 4096'))), (e: unknown) => {
      assert.ok(e instanceof BerthError, String(e))
      assert.equal(e.code, 'RECREATE_FAILED')
      assert.match(e.message, new RegExp(`^service "web": cannot create the new ${p.name}-web-1 \\(kept the old one, still running\\): .*CPU`))
      return true
    })
    assert.deepEqual(await containersOf(p.name), [[`${p.name}-web-1`, 'running', 'one']])
  })

  it('Ctrl-C mid-recreate rolls back, and the next up leaves no temporary or unlabelled leftovers', async () => {
    const p = testProject('rc-cancel', service('one'))
    h.track(p)
    await converge(h.engine, await p.load())
    const abort = new AbortController()
    const engine: RuntimeEngine = {
      ...h.engine,
      async createContainer(name, body, platform) {
        const id = await h.engine.createContainer(name, body, platform)
        abort.abort() // Ctrl-C while the replacement exists
        return id
      },
    }
    await assert.rejects(converge(engine, await p.load(service('two')), {signal: abort.signal}), (e: unknown) => e instanceof CancelledError)
    assert.deepEqual(await containersOf(p.name), [[`${p.name}-web-1`, 'running', 'one']])
    await converge(h.engine, await p.load())
    assert.deepEqual(await containersOf(p.name), [[`${p.name}-web-1`, 'running', 'two']])
  })

  it('a process killed mid-recreate: the next up removes a leftover replacement, or gives a lone one its name', async () => {
    const p = testProject('rc-killed', service('one'))
    h.track(p)
    await converge(h.engine, await p.load())
    const old = (await observe(h.engine, p.name)).containers[0]
    const killed = () => {
      throw new Error('killed')
    }
    // Killed right after creating the replacement: nothing else happens (not even the roll-back).
    await assert.rejects(converge({...h.engine, stopContainer: async () => killed(), removeContainer: async () => killed()}, await p.load(service('two'))), /killed/)
    const temporary = `${old.id.slice(0, 12)}_${p.name}-web-1`
    assert.deepEqual(await containersOf(p.name), [[`${p.name}-web-1`, 'running', 'one'], [temporary, 'created', 'two']].sort())
    await converge(h.engine, await p.load())
    assert.deepEqual(await containersOf(p.name), [[`${p.name}-web-1`, 'running', 'two']])

    // Killed after the old one was removed, before the rename: the replacement runs under its temporary name.
    const current = (await observe(h.engine, p.name)).containers[0]
    await assert.rejects(converge({...h.engine, renameContainer: async () => killed()}, await p.load(service('three'))), /killed/)
    assert.deepEqual(await containersOf(p.name), [[`${current.id.slice(0, 12)}_${p.name}-web-1`, 'running', 'three']])
    const next = await converge(h.engine, await p.load())
    assert.deepEqual(next.plan.operations.map((o) => o.kind), ['rename-container'])
    assert.deepEqual(await containersOf(p.name), [[`${p.name}-web-1`, 'running', 'three']])
  })
})
