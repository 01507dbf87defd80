import {strict as assert} from 'node:assert'
import {converge} from '../../../src/runtime/converge.js'
import {down} from '../../../src/runtime/down.js'
import {observe} from '../../../src/runtime/observe.js'
import {harness, indexOf, testProject, type Harness} from './helpers.js'

const YAML = (external: string) => `
services:
  backend:
    image: busybox
    init: true
    command: ["sleep", "600"]
    volumes: ["data:/data", "/anon", "${external}:/ext"]
  web:
    image: busybox
    init: true
    command: ["sleep", "600"]
    depends_on: [backend]
    networks: [front, default]
networks:
  front: {}
volumes:
  data: {}
  ${external}: {external: true}
`

describe('runtime/down (real engine)', function () {
  this.timeout(120_000)
  let h: Harness
  let external: string
  beforeEach(async () => {
    h = harness()
    external = `berth-ext-${process.pid}-${Date.now()}`
    await h.engine.createVolume({Name: external})
    h.cleanups.push(() => h.engine.removeVolume(external).catch(() => {}))
  })
  afterEach(async () => {
    await h.close()
  })

  it('removes containers in reverse dependency order and the networks, and keeps named volumes', async () => {
    const p = testProject('down', YAML(external))
    h.track(p)
    const project = await p.load()
    await converge(h.engine, project)
    const plan = await down(h.engine, p.name, project, {timeout: 0, progress: (e) => h.events.push(e)})
    // web is stopped before backend is asked to stop; removals run beside the later stops.
    const webStopped = indexOf(h.events, `Container ${p.name}-web-1`, 'Stopped')
    assert.ok(webStopped >= 0 && webStopped < indexOf(h.events, `Container ${p.name}-backend-1`, 'Stopping'), 'web goes before backend')
    assert.match(plan.warnings.join('\n'), new RegExp(`kept volumes: ${p.name}_data`))
    const after = await observe(h.engine, p.name)
    assert.equal(after.containers.length, 0)
    assert.ok(!after.networks.has(`${p.name}_default`) && !after.networks.has(`${p.name}_front`))
    assert.ok(after.volumes.has(`${p.name}_data`), 'named volume survives down without -v')
    assert.ok(after.volumes.has(external))
  })

  it('down -v removes the project volumes (named and anonymous) but never an external one', async () => {
    const p = testProject('downv', YAML(external))
    h.track(p)
    const project = await p.load()
    await converge(h.engine, project)
    const anon = (await observe(h.engine, p.name)).containers.find((c) => c.service === 'backend')!.anonymousVolumes['/anon']
    assert.ok(anon, 'an anonymous volume was made')
    await down(h.engine, p.name, project, {volumes: true, timeout: 0})
    const after = await observe(h.engine, p.name)
    assert.ok(!after.volumes.has(`${p.name}_data`))
    assert.ok(!after.volumes.has(anon))
    assert.ok(after.volumes.has(external), 'external volume untouched')
  })

  it('works from labels alone (no Compose file)', async () => {
    const p = testProject('labels', YAML(external))
    h.track(p)
    await converge(h.engine, await p.load())
    const plan = await down(h.engine, p.name, undefined, {volumes: true, timeout: 0})
    assert.deepEqual(
      plan.operations.map((o) => ('name' in o ? o.name : '')),
      [`${p.name}-web-1`, `${p.name}-backend-1`, `${p.name}_default`, `${p.name}_front`, `${p.name}_data`],
    )
    const after = await observe(h.engine, p.name)
    assert.equal(after.containers.length, 0)
    assert.ok(!after.volumes.has(`${p.name}_data`))
    assert.ok(after.volumes.has(external))
  })

  it('--dry-run touches nothing', async () => {
    const p = testProject('dry', YAML(external))
    h.track(p)
    const project = await p.load()
    await converge(h.engine, project)
    const before = await observe(h.engine, p.name)
    const plan = await down(h.engine, p.name, project, {volumes: true, dryRun: true})
    assert.equal(plan.operations.length, 5)
    const after = await observe(h.engine, p.name)
    assert.deepEqual(after.containers.map((c) => [c.id, c.state]), before.containers.map((c) => [c.id, c.state]))
  })
})
