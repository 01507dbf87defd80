import {strict as assert} from 'node:assert'
import type {EngineClient} from '../../../src/engine/index.js'
import {runLifecycle, type LifecycleEvent} from '../../../src/runtime/lifecycle.js'
import {listProjects} from '../../../src/runtime/projects.js'
import {formatPsJson, formatPsTable, projectPs} from '../../../src/runtime/ps.js'
import {NoSuchServiceError} from '../../../src/runtime/select.js'
import {testClient} from '../../support/engine-hooks.js'
import {createServiceContainer, removeProject, uniqueProject} from './project-fixture.js'

describe('runtime (real engine): ps, ls and the lifecycle verbs', function () {
  let engine: EngineClient
  const project = uniqueProject('psls')

  before(async () => {
    engine = testClient()
    await createServiceContainer(engine, project, {service: 'db', cmd: ['sleep', '600']})
    await createServiceContainer(engine, project, {service: 'web', cmd: ['sleep', '600'], dependsOn: 'db:service_started:false', ports: [{target: 80, published: 18081}]})
    await createServiceContainer(engine, project, {service: 'job', cmd: ['sh', '-c', 'exit 3']})
    await createServiceContainer(engine, project, {service: 'web', cmd: ['true'], oneoff: true, start: false})
  })

  after(async () => {
    await removeProject(engine, project)
    await engine.close()
  })

  it('ps lists running service containers only; -a adds stopped and one-off ones', async () => {
    // the job exits by itself
    for (let i = 0; i < 100; i++) {
      const rows = await projectPs(engine, {name: project}, {all: true})
      if (rows.find((r) => r.Service === 'job')?.State === 'exited') break
      await new Promise((r) => setTimeout(r, 100))
    }
    const running = await projectPs(engine, {name: project})
    assert.deepEqual(running.map((r) => r.Name), [`${project}-db-1`, `${project}-web-1`])
    const table = formatPsTable(running)
    const lines = table.split('\n')
    assert.match(lines[0], /^NAME +IMAGE +COMMAND +SERVICE +CREATED +STATUS +PORTS$/)
    assert.match(lines[2], new RegExp(`^${project}-web-1 +berth-test/busybox:latest +"sleep 600" +web +.* ago +Up .* +127\\.0\\.0\\.1:18081->80/tcp$`))

    const all = await projectPs(engine, {name: project}, {all: true})
    assert.equal(all.length, 4)
    const job = JSON.parse(formatPsJson(all).split('\n').find((l) => l.includes('"Service":"job"')) as string) as {ExitCode: number; State: string}
    assert.equal(job.State, 'exited')
    assert.equal(job.ExitCode, 3)

    const exited = await projectPs(engine, {name: project}, {status: ['exited']})
    assert.deepEqual(exited.map((r) => r.Service), ['job'])
  })

  it('ls shows the project with per-state counts and its config files', async () => {
    const running = (await listProjects(engine)).find((p) => p.Name === project)
    assert.deepEqual(running, {Name: project, Status: 'running(2)', ConfigFiles: `/tmp/${project}/compose.yaml`})
    const all = (await listProjects(engine, {all: true})).find((p) => p.Name === project)
    assert.equal(all?.Status, 'created(1), exited(1), running(2)')
  })

  it('stop goes in reverse dependency order, start in dependency order, kill/pause/unpause act on running containers', async () => {
    const events: LifecycleEvent[] = []
    const report = (e: LifecycleEvent) => events.push(e)
    await runLifecycle(engine, {name: project}, 'stop', {services: ['web', 'db'], timeout: 1, report})
    const stopped = events.filter((e) => e.status === 'Stopped').map((e) => e.service)
    assert.deepEqual(stopped, ['web', 'db'])
    assert.deepEqual((await projectPs(engine, {name: project})).length, 0)

    events.length = 0
    await runLifecycle(engine, {name: project}, 'start', {services: ['web', 'db'], report})
    assert.deepEqual(events.filter((e) => e.status === 'Started').map((e) => e.service), ['db', 'web'])
    assert.equal((await projectPs(engine, {name: project})).length, 2)

    await runLifecycle(engine, {name: project}, 'pause', {services: ['db']})
    assert.deepEqual((await projectPs(engine, {name: project}, {status: ['paused']})).map((r) => r.Service), ['db'])
    await runLifecycle(engine, {name: project}, 'unpause', {services: ['db']})
    assert.deepEqual((await projectPs(engine, {name: project}, {status: ['paused']})).length, 0)

    await runLifecycle(engine, {name: project}, 'kill', {services: ['db'], killSignal: 'SIGKILL'})
    const db = (await projectPs(engine, {name: project}, {all: true})).find((r) => r.Service === 'db')
    assert.equal(db?.State, 'exited')
    assert.equal(db?.ExitCode, 137)
  })

  it('start waits for a dependency to be healthy before starting its dependents', async () => {
    const other = uniqueProject('health')
    try {
      await createServiceContainer(engine, other, {service: 'db', cmd: ['sh', '-c', 'sleep 1.5; touch /tmp/ok; sleep 600'], healthcheck: 'test -f /tmp/ok', start: false})
      await createServiceContainer(engine, other, {service: 'web', cmd: ['sleep', '600'], dependsOn: 'db:service_healthy:false', start: false})
      const started: Record<string, number> = {}
      await runLifecycle(engine, {name: other}, 'start', {report: (e) => e.status === 'Started' && (started[e.service] = Date.now())})
      assert.ok(started.web - started.db >= 1000, `web started ${started.web - started.db} ms after db`)
      const [db] = await engine.containers.list({filters: {label: [`com.docker.compose.project=${other}`, 'com.docker.compose.service=db']}})
      assert.match(db.Status, /\(healthy\)/)
    } finally {
      await removeProject(engine, other)
    }
  })

  it('rm removes only stopped containers unless -s, and a bad service name is one clear error', async () => {
    await assert.rejects(runLifecycle(engine, {name: project}, 'rm', {services: ['nope']}), (error: unknown) => error instanceof NoSuchServiceError && /no such service: nope/.test(error.message))
    const removed = await runLifecycle(engine, {name: project}, 'rm', {})
    assert.deepEqual(removed.map((c) => c.Labels['com.docker.compose.service']).sort(), ['db', 'job'])
    const left = await projectPs(engine, {name: project}, {all: true})
    assert.deepEqual(left.map((r) => r.Service).sort(), ['web', 'web'])
    await runLifecycle(engine, {name: project}, 'rm', {stopFirst: true, timeout: 0, services: ['web']})
    const after = await projectPs(engine, {name: project}, {all: true})
    assert.deepEqual(after.map((r) => r.Name), [after.find((r) => r.Name.includes('-run-'))?.Name])
  })
})
