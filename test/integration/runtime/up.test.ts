import {strict as assert} from 'node:assert'
import {createServer, type Server} from 'node:net'
import {BerthError, CancelledError} from '../../../src/errors.js'
import {converge} from '../../../src/runtime/converge.js'
import {LABEL} from '../../../src/runtime/labels.js'
import {observe} from '../../../src/runtime/observe.js'
import {useHarness, indexOf, testProject, type Harness} from './helpers.js'

describe('runtime/up (real engine)', function () {
  this.timeout(120_000)
  let h!: Harness
  useHarness((x) => (h = x))

  it('starts services in dependency order and honours each depends_on condition', async () => {
    const p = testProject('order', `
services:
  db:
    image: busybox
    init: true
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 600"]
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 500ms, retries: 30}
  migrate:
    image: busybox
    command: ["sh", "-c", "echo migrated; exit 0"]
    depends_on: {db: {condition: service_healthy}}
  api:
    image: busybox
    init: true
    command: ["sleep", "600"]
    depends_on:
      migrate: {condition: service_completed_successfully}
      db: {condition: service_started}
  web:
    image: busybox
    init: true
    command: ["sleep", "600"]
    depends_on: [api]
`)
    h.track(p)
    const project = await p.load()
    await converge(h.engine, project, {progress: (e) => h.events.push(e)})
    const c = (s: string) => `Container ${p.name}-${s}-1`
    assert.ok(indexOf(h.events, c('db'), 'Healthy') > indexOf(h.events, c('db'), 'Started'))
    // Containers are all created first (as docker compose does); the conditions hold back the starts.
    for (const s of ['migrate', 'api', 'web']) {
      const created = indexOf(h.events, c(s), 'Created')
      assert.ok(created >= 0 && created < indexOf(h.events, c('db'), 'Started'), `${s} created before any start`)
    }
    assert.ok(indexOf(h.events, c('migrate'), 'Starting') > indexOf(h.events, c('db'), 'Healthy'), 'migrate waits for a healthy db')
    assert.ok(indexOf(h.events, c('api'), 'Starting') > indexOf(h.events, c('migrate'), 'Exited'), 'api waits for migrate to complete')
    assert.ok(indexOf(h.events, c('web'), 'Starting') > indexOf(h.events, c('api'), 'Started'), 'web after api started')
    const observed = await observe(h.engine, p.name)
    const states = Object.fromEntries(observed.containers.map((x) => [x.service, x.state]))
    assert.deepEqual(states, {api: 'running', db: 'running', migrate: 'exited', web: 'running'})
  })

  it('a second up with nothing changed does no create, stop or start', async () => {
    const p = testProject('idem', `
services:
  a: {image: busybox, init: true, command: ["sleep", "600"], environment: {MODE: one}}
  b: {image: busybox, init: true, command: ["sleep", "600"], depends_on: [a], volumes: ["data:/data"]}
volumes:
  data: {}
`)
    h.track(p)
    const project = await p.load()
    await converge(h.engine, project)
    const before = await Promise.all((await observe(h.engine, p.name)).containers.map((c) => h.engine.inspectContainer(c.id)))
    const events: string[] = []
    const second = await converge(h.engine, await p.load(), {progress: (e) => events.push(`${e.resource} ${e.status}`)})
    assert.deepEqual(second.plan.operations, [])
    assert.deepEqual(events.filter((e) => !e.endsWith('Running')), [])
    const after = await Promise.all((await observe(h.engine, p.name)).containers.map((c) => h.engine.inspectContainer(c.id)))
    assert.deepEqual(after.map((i) => [i.Id, i.State.StartedAt]), before.map((i) => [i.Id, i.State.StartedAt]))
  })

  it('recreates a changed service and says which field changed', async () => {
    const yaml = (mode: string) => `
services:
  a: {image: busybox, init: true, command: ["sleep", "600"], environment: {MODE: ${mode}}}
  b: {image: busybox, init: true, command: ["sleep", "600"]}
`
    const p = testProject('recreate', yaml('one'))
    h.track(p)
    await converge(h.engine, await p.load())
    const first = await observe(h.engine, p.name)
    const second = await converge(h.engine, await p.load(yaml('two')))
    assert.deepEqual(second.plan.operations.map((o) => [o.kind, 'name' in o ? o.name : '', o.cause]), [['recreate-container', `${p.name}-a-1`, 'config changed (environment.MODE)']])
    const now = await observe(h.engine, p.name)
    const id = (o: typeof now, s: string) => o.containers.find((c) => c.service === s)!.id
    assert.notEqual(id(now, 'a'), id(first, 'a'))
    assert.equal(id(now, 'b'), id(first, 'b'))
    const info = await h.engine.inspectContainer(id(now, 'a'))
    assert.ok((info.Config.Env as string[]).includes('MODE=two'))
    assert.equal(info.State.Status, 'running')
  })

  it('scales up and down', async () => {
    const p = testProject('scale', `
services:
  w: {image: busybox, init: true, command: ["sleep", "600"]}
`)
    h.track(p)
    const project = await p.load()
    await converge(h.engine, project, {scale: {w: 3}})
    let names = (await observe(h.engine, p.name)).containers.map((c) => c.name)
    assert.deepEqual(names, [1, 2, 3].map((n) => `${p.name}-w-${n}`))
    const down = await converge(h.engine, project, {scale: {w: 1}, timeout: 0})
    assert.deepEqual(down.plan.operations.map((o) => o.kind), ['remove-container', 'remove-container'])
    names = (await observe(h.engine, p.name)).containers.map((c) => c.name)
    assert.deepEqual(names, [`${p.name}-w-1`])
  })

  it('keeps orphans with a warning, removes them with --remove-orphans', async () => {
    const p = testProject('orphans', `
services:
  a: {image: busybox, init: true, command: ["sleep", "600"]}
  old: {image: busybox, init: true, command: ["sleep", "600"]}
`)
    h.track(p)
    await converge(h.engine, await p.load())
    const withoutOld = `
services:
  a: {image: busybox, init: true, command: ["sleep", "600"]}
`
    const kept = await converge(h.engine, await p.load(withoutOld))
    assert.match(kept.plan.warnings.join('\n'), new RegExp(`orphan containers \\(${p.name}-old-1\\)`))
    assert.equal((await observe(h.engine, p.name)).containers.length, 2)
    await converge(h.engine, await p.load(withoutOld), {removeOrphans: true, timeout: 0})
    assert.deepEqual((await observe(h.engine, p.name)).containers.map((c) => c.service), ['a'])
  })

  it('a port already taken is an error naming the service and the port', async () => {
    const server: Server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve))
    const port = (server.address() as {port: number}).port
    try {
      const p = testProject('port', `
services:
  web: {image: busybox, init: true, command: ["sleep", "600"], ports: ["${port}:80"]}
`)
      h.track(p)
      await assert.rejects(converge(h.engine, await p.load()), (e: unknown) => {
        assert.ok(e instanceof BerthError)
        assert.equal(e.code, 'PORT_IN_USE')
        assert.match(e.message, new RegExp(`service "web": host port ${port} is already in use`))
        return true
      })
      // What was made is labelled, so down finds it.
      const left = await observe(h.engine, p.name)
      assert.ok(left.containers.every((c) => c.labels[LABEL.project] === p.name))
    } finally {
      server.close()
    }
  })

  it('a missing image is an error naming the service and the image', async () => {
    const p = testProject('noimage', `
services:
  app: {image: "127.0.0.1:1/berth/nothing:1"}
`)
    h.track(p)
    await assert.rejects(converge(h.engine, await p.load(), {pull: 'never'}), /service "app": image "127\.0\.0\.1:1\/berth\/nothing:1" is not present locally/)
    await assert.rejects(converge(h.engine, await p.load()), (e: unknown) => {
      assert.ok(e instanceof BerthError)
      assert.equal(e.code, 'PULL_FAILED')
      assert.match(e.message, /service "app": cannot pull image "127\.0\.0\.1:1\/berth\/nothing:1"/)
      return true
    })
    assert.equal((await observe(h.engine, p.name)).containers.length, 0, 'nothing was created')
  })

  it('a field the engine cannot carry fails before anything is made, naming service and field', async function () {
    if ((await h.engine.apiVersion()) !== '1.41') this.skip()
    const p = testProject('preflight', `
services:
  a: {image: busybox, command: ["sleep", "600"]}
  b:
    image: busybox
    volumes: [{type: volume, source: data, target: /d, volume: {subpath: x}}]
volumes:
  data: {}
`)
    h.track(p)
    await assert.rejects(converge(h.engine, await p.load()), /service "b": volumes\[0\]\.volume\.subpath .*needs Engine API 1\.45/)
    const left = await observe(h.engine, p.name)
    assert.equal(left.containers.length, 0)
    assert.ok(!left.networks.has(`${p.name}_default`) && !left.volumes.has(`${p.name}_data`), 'no network or volume either')
  })

  it('a dependency that crashes stops up with its state and last log lines', async () => {
    const p = testProject('crash', `
services:
  backend:
    image: busybox
    command: ["sh", "-c", "echo starting; echo boom >&2; exit 3"]
    healthcheck: {test: ["CMD", "true"], interval: 1s}
  web:
    image: busybox
    command: ["sleep", "600"]
    depends_on: {backend: {condition: service_healthy}}
`)
    h.track(p)
    await assert.rejects(converge(h.engine, await p.load()), (e: unknown) => {
      assert.ok(e instanceof BerthError)
      assert.equal(e.code, 'DEPENDENCY_FAILED')
      assert.match(e.message, /dependency "backend" of service "web" failed: .*-backend-1 exited with code 3/)
      assert.match(e.context ?? '', /starting/)
      assert.match(e.context ?? '', /boom/)
      return true
    })
    const observed = await observe(h.engine, p.name)
    // web was created before any start (as docker compose does) and never started.
    assert.deepEqual(Object.fromEntries(observed.containers.map((c) => [c.service, c.state])), {backend: 'exited', web: 'created'}, 'web was never started')
  })

  it('an unhealthy dependency stops up', async () => {
    const p = testProject('unhealthy', `
services:
  backend:
    image: busybox
    init: true
    command: ["sleep", "600"]
    healthcheck: {test: ["CMD", "false"], interval: 300ms, retries: 2}
  web:
    image: busybox
    command: ["sleep", "600"]
    depends_on: {backend: {condition: service_healthy}}
`)
    h.track(p)
    await assert.rejects(converge(h.engine, await p.load()), /dependency "backend" of service "web" failed: .* is unhealthy \(state: running, unhealthy\)/)
  })

  it('an optional dependency (required: false) that is not running does not block', async () => {
    const p = testProject('optional', `
services:
  extra: {image: busybox, command: ["sleep", "600"]}
  web:
    image: busybox
    init: true
    command: ["sleep", "600"]
    depends_on: {extra: {condition: service_started, required: false}}
`)
    h.track(p)
    const warnings: string[] = []
    await converge(h.engine, await p.load(), {services: ['web'], noDeps: true, warn: (w) => warnings.push(w)})
    assert.deepEqual((await observe(h.engine, p.name)).containers.map((c) => c.service), ['web'])
    assert.match(warnings.join('\n'), /optional dependency "extra" has no container/)
  })

  it('restart: true restarts dependents when a dependency is recreated', async () => {
    const yaml = (v: string) => `
services:
  db: {image: busybox, init: true, command: ["sleep", "600"], environment: {V: "${v}"}}
  app:
    image: busybox
    init: true
    command: ["sleep", "600"]
    depends_on: {db: {condition: service_started, restart: true}}
`
    const p = testProject('restart', yaml('1'))
    h.track(p)
    await converge(h.engine, await p.load())
    const app = (await observe(h.engine, p.name)).containers.find((c) => c.service === 'app')!
    const startedBefore = (await h.engine.inspectContainer(app.id)).State.StartedAt
    const second = await converge(h.engine, await p.load(yaml('2')), {timeout: 0})
    assert.deepEqual(second.plan.operations.map((o) => o.kind), ['recreate-container', 'restart-container'])
    const after = await h.engine.inspectContainer(app.id)
    assert.notEqual(after.State.StartedAt, startedBefore)
  })

  it('Ctrl-C during up stops before the next step and leaves only labelled resources', async () => {
    const p = testProject('cancel', `
services:
  a: {image: busybox, init: true, command: ["sleep", "600"]}
  b: {image: busybox, init: true, command: ["sleep", "600"], depends_on: [a]}
  c: {image: busybox, init: true, command: ["sleep", "600"], depends_on: [b]}
`)
    h.track(p)
    const abort = new AbortController()
    await assert.rejects(
      converge(h.engine, await p.load(), {signal: abort.signal, progress: (e) => e.status === 'Started' && abort.abort()}),
      (e: unknown) => e instanceof CancelledError,
    )
    const left = await observe(h.engine, p.name)
    assert.ok(left.containers.filter((c) => c.state === 'running').length < 3, 'stopped before starting everything')
    assert.ok(left.containers.every((c) => c.labels[LABEL.project] === p.name && c.labels[LABEL.configHash]))
    const all = await h.engine.listContainers({all: true})
    assert.ok(!all.some((c) => c.Names.some((n) => n.includes(p.name)) && c.Labels[LABEL.project] !== p.name), 'no unlabelled container')
  })
})
