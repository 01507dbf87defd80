import {strict as assert} from 'node:assert'
import {BerthError, CancelledError} from '../../../src/errors.js'
import {applyUp, type ApplyContext} from '../../../src/runtime/apply.js'
import type {RuntimeEngine} from '../../../src/runtime/engine-port.js'
import {LABEL} from '../../../src/runtime/labels.js'
import {planUp, serviceHashes, temporaryName} from '../../../src/runtime/plan.js'
import type {ProgressEvent} from '../../../src/runtime/progress-events.js'
import {containerFor, emptyObserved, project, withImage, withNetwork} from './fixtures.js'

interface FakeContainer {
  name: string
  state: 'created' | 'running' | 'exited' | 'paused'
  labels: Record<string, string>
}

/**
 * An engine that keeps containers by ID with the engine's name rules (a name is unique), and
 * fails the calls a test asks it to. Unit tests only: integration tests use the real engine.
 */
class FakeEngine {
  readonly containers = new Map<string, FakeContainer>()
  readonly calls: string[] = []
  failCreate?: string
  failStartOfNew?: string
  onCreate?: () => void
  private next = 0xa000

  add(id: string, name: string, state: FakeContainer['state']): void {
    this.containers.set(id, {name, state, labels: {}})
  }

  byName(name: string): [string, FakeContainer] | undefined {
    return [...this.containers.entries()].find(([, c]) => c.name === name)
  }

  port(): RuntimeEngine {
    const taken = (name: string) => {
      if (this.byName(name)) throw new Error(`Conflict. The container name "/${name}" is already in use`)
    }
    const get = (id: string) => {
      const c = this.containers.get(id)
      if (!c) throw new Error(`No such container: ${id}`)
      return c
    }
    const engine: Partial<RuntimeEngine> = {
      createContainer: async (name, body) => {
        this.calls.push(`create ${name}`)
        if (this.failCreate) throw new Error(this.failCreate)
        taken(name)
        const id = (this.next++).toString(16).padEnd(64, '0')
        this.containers.set(id, {name, state: 'created', labels: {...body.Labels}})
        this.onCreate?.()
        return id
      },
      connectNetwork: async () => {},
      startContainer: async (id) => {
        const c = get(id)
        this.calls.push(`start ${c.name}`)
        if (this.failStartOfNew && c.labels[LABEL.replace]) throw new Error(this.failStartOfNew)
        c.state = 'running'
      },
      stopContainer: async (id) => {
        const c = get(id)
        this.calls.push(`stop ${c.name}`)
        c.state = 'exited'
      },
      removeContainer: async (id) => {
        this.calls.push(`remove ${get(id).name}`)
        this.containers.delete(id)
      },
      pauseContainer: async (id) => {
        const c = get(id)
        this.calls.push(`pause ${c.name}`)
        c.state = 'paused'
      },
      renameContainer: async (id, name) => {
        const c = get(id)
        this.calls.push(`rename ${c.name} -> ${name}`)
        taken(name)
        c.name = name
      },
    }
    return engine as RuntimeEngine
  }
}

const yaml = (mode: string) =>
  project('demo', {
    web: {image: 'busybox', environment: {MODE: mode}, ports: [{mode: 'ingress', target: 80, published: '8080', protocol: 'tcp'}]},
  })

/** demo-web-1 running with MODE=one, the project now wanting MODE=two. */
function setup() {
  const fake = new FakeEngine()
  const observed = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
  const old = containerFor(yaml('one'), 'web', 1, 'running', {id: 'feedface0123'.padEnd(64, '9')})
  observed.containers.push(old)
  fake.add(old.id, old.name, 'running')
  const p = yaml('two')
  const plan = planUp(p, observed)
  assert.deepEqual(plan.operations.map((o) => o.kind), ['recreate-container'])
  const events: ProgressEvent[] = []
  const controller = new AbortController()
  const ctx: ApplyContext = {
    engine: fake.port(),
    project: p,
    observed,
    apiVersion: '1.41',
    hashes: serviceHashes(p),
    progress: (e) => events.push(e),
    warn: () => {},
    signal: controller.signal,
  }
  const tmp = temporaryName(old.id, 'demo-web-1')
  return {fake, ctx, plan, old, tmp, events, controller}
}

describe('runtime/apply: recreate never loses the old container', () => {
  it('creates the replacement under a temporary name, then stops and removes the old one and renames', async () => {
    const {fake, ctx, plan, old, tmp, events} = setup()
    assert.equal(tmp, 'feedface0123_demo-web-1')
    const result = await applyUp(ctx, plan)
    assert.deepEqual(fake.calls, [`create ${tmp}`, 'stop demo-web-1', `start ${tmp}`, 'remove demo-web-1', `rename ${tmp} -> demo-web-1`])
    assert.equal(fake.containers.size, 1)
    const [id, c] = [...fake.containers.entries()][0]
    assert.deepEqual([c.name, c.state, c.labels[LABEL.replace]], ['demo-web-1', 'running', old.id])
    assert.deepEqual(result.containers.web, [{id, name: 'demo-web-1'}])
    assert.deepEqual(events.map((e) => e.status), ['Recreating', 'Starting', 'Recreated', 'Started'])
  })

  it('a failed create leaves the old container running under its name, and the error names the service', async () => {
    const {fake, ctx, plan, old} = setup()
    fake.failCreate = 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available'
    await assert.rejects(applyUp(ctx, plan), (error: unknown) => {
      assert.ok(error instanceof BerthError)
      assert.equal(error.code, 'RECREATE_FAILED')
      assert.match(error.message, /^service "web": cannot create the new demo-web-1 \(kept the old one, still running\): Range of CPUs/)
      return true
    })
    assert.deepEqual([...fake.containers.entries()], [[old.id, {name: 'demo-web-1', state: 'running', labels: {}}]])
  })

  it('a failed start removes the replacement and starts the old container again', async () => {
    const {fake, ctx, plan, old, tmp, events} = setup()
    fake.failStartOfNew = 'driver failed programming external connectivity on endpoint x: Bind for 0.0.0.0:8080 failed: port is already allocated'
    await assert.rejects(applyUp(ctx, plan), (error: unknown) => {
      assert.ok(error instanceof BerthError)
      assert.equal(error.code, 'PORT_IN_USE')
      assert.match(error.message, /^service "web": host port 8080 is already in use .*; kept the old demo-web-1, still running$/)
      return true
    })
    assert.deepEqual(fake.calls, [`create ${tmp}`, 'stop demo-web-1', `start ${tmp}`, `remove ${tmp}`, 'start demo-web-1'])
    assert.deepEqual([...fake.containers.entries()], [[old.id, {name: 'demo-web-1', state: 'running', labels: {}}]])
    assert.equal(events.at(-1)?.status, 'Error')
  })

  it('Ctrl-C after the replacement is created rolls back before the old container is touched', async () => {
    const {fake, ctx, plan, old, tmp, controller} = setup()
    fake.onCreate = () => controller.abort()
    await assert.rejects(applyUp(ctx, plan), (error: unknown) => error instanceof CancelledError)
    assert.deepEqual(fake.calls, [`create ${tmp}`, `remove ${tmp}`])
    assert.deepEqual([...fake.containers.entries()], [[old.id, {name: 'demo-web-1', state: 'running', labels: {}}]])
  })

  it('a stopped old container stays stopped when the recreate fails', async () => {
    const {fake, ctx, plan, old, tmp} = setup()
    fake.containers.get(old.id)!.state = 'exited'
    const op = plan.operations[0]
    if (op.kind === 'recreate-container') op.container.state = 'exited'
    fake.failStartOfNew = 'exec: "nope": executable file not found in $PATH'
    await assert.rejects(applyUp(ctx, plan), /^BerthError: service "web": cannot start the new demo-web-1 \(kept the old demo-web-1\): exec/)
    assert.deepEqual(fake.calls, [`create ${tmp}`, `start ${tmp}`, `remove ${tmp}`])
    assert.equal(fake.containers.get(old.id)?.state, 'exited')
  })

  it('a paused old container is paused again when the recreate fails', async () => {
    const {fake, ctx, plan, old, tmp} = setup()
    fake.containers.get(old.id)!.state = 'paused'
    const op = plan.operations[0]
    if (op.kind === 'recreate-container') op.container.state = 'paused'
    fake.failStartOfNew = 'exec: "nope": executable file not found in $PATH'
    await assert.rejects(applyUp(ctx, plan), /kept the old demo-web-1, still running/)
    assert.deepEqual(fake.calls, [`create ${tmp}`, 'stop demo-web-1', `start ${tmp}`, `remove ${tmp}`, 'start demo-web-1', 'pause demo-web-1'])
    assert.equal(fake.containers.get(old.id)?.state, 'paused')
  })

  it('the next up renames a replacement left under its temporary name (and starts it)', async () => {
    const fake = new FakeEngine()
    const p = yaml('two')
    const observed = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
    const left = containerFor(p, 'web', 1, 'created', {name: temporaryName('0123456789ab'.padEnd(64, '0'), 'demo-web-1')})
    observed.containers.push(left)
    fake.add(left.id, left.name, 'created')
    const plan = planUp(p, observed)
    await applyUp({engine: fake.port(), project: p, observed, apiVersion: '1.41', hashes: serviceHashes(p), progress: () => {}, warn: () => {}}, plan)
    assert.deepEqual(fake.calls, [`rename ${left.name} -> demo-web-1`, 'start demo-web-1'])
    assert.deepEqual(fake.containers.get(left.id), {name: 'demo-web-1', state: 'running', labels: {}})
  })
})
