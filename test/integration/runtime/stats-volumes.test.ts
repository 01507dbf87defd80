import {strict as assert} from 'node:assert'
import {EngineClient} from '../../../src/engine/index.js'
import {NoSuchServiceError} from '../../../src/runtime/select.js'
import {sampleStats, statsContainers, watchStats, type StatsRow} from '../../../src/runtime/stats.js'
import {projectVolumes} from '../../../src/runtime/volumes.js'
import {testClient, testEngine} from '../../support/engine-hooks.js'
import {createServiceContainer, removeProject, uniqueProject, until} from './project-fixture.js'

const LOOP = ['sh', '-c', 'while :; do sleep 0.2; done']

describe('runtime (real engine): stats', function () {
  this.timeout(60_000)
  let engine: EngineClient
  const project = uniqueProject('stats')
  const ids: Record<string, string> = {}

  before(async () => {
    engine = testClient()
    ids.app1 = await createServiceContainer(engine, project, {service: 'app', cmd: LOOP})
    ids.app2 = await createServiceContainer(engine, project, {service: 'app', number: 2, cmd: LOOP})
    ids.db = await createServiceContainer(engine, project, {service: 'db', cmd: LOOP, start: false})
    ids.run = await createServiceContainer(engine, project, {service: 'app', cmd: LOOP, oneoff: true})
  })
  after(async () => {
    await removeProject(engine, project)
    await engine.close()
  })

  it('--no-stream: one sample per running container (one-offs too), in parallel', async () => {
    const containers = await statsContainers(engine, {name: project}, {})
    assert.equal(containers.length, 3)
    // The engine takes a second or two per sample: the three calls must overlap.
    const calls: Array<{start: number; end: number}> = []
    const watched = EngineClient.forHost(testEngine().host, {
      debug: (line) => {
        const m = /\/stats 200 (\d+)ms \(at (\d+)ms\)/.exec(line)
        if (m) calls.push({start: Number(m[2]), end: Number(m[2]) + Number(m[1])})
      },
    })
    let rows: StatsRow[]
    try {
      rows = await sampleStats(watched, containers)
    } finally {
      await watched.close()
    }
    assert.equal(calls.length, 3)
    assert.ok(Math.max(...calls.map((c) => c.start)) < Math.min(...calls.map((c) => c.end)), `overlapping calls: ${JSON.stringify(calls)}`)
    const byName = new Map(rows.map((r) => [r.name, r]))
    for (const name of [`${project}-app-1`, `${project}-app-2`]) {
      const row = byName.get(name)
      assert.ok(row, name)
      assert.ok(row.pids >= 2, `${name}: init, sh and sleep`)
      assert.ok(row.memory > 0 && row.memoryLimit > 0)
      assert.ok(row.cpuPercent >= 0)
    }
    assert.ok(rows.some((r) => r.name.startsWith(`${project}-app-run-`)), 'the one-off container')
  })

  it('-a adds stopped containers with zeros; a service narrows the list', async () => {
    const rows = await sampleStats(engine, await statsContainers(engine, {name: project}, {all: true, services: ['db']}))
    assert.deepEqual(rows, [{id: ids.db, name: `${project}-db-1`, cpuPercent: 0, memory: 0, memoryLimit: 0, memoryPercent: 0, netRx: 0, netTx: 0, blockRead: 0, blockWrite: 0, pids: 0}])
    assert.deepEqual(await statsContainers(engine, {name: project}, {services: ['db']}), [])
    await assert.rejects(statsContainers(engine, {name: project}, {services: ['nope']}), NoSuchServiceError)
  })

  it('streaming: one round per sample; follows starts and stops through the events', async () => {
    const controller = new AbortController()
    const rounds: StatsRow[][] = []
    const names = (round: StatsRow[]) => round.map((r) => r.name)
    const watching = watchStats(engine, {name: project}, {services: ['app', 'db'], signal: controller.signal, onRound: (rows) => rounds.push(rows)})
    try {
      await until(() => rounds.length >= 2, 15_000, 'two rounds')
      const oneoff = names(rounds[0]).at(-1)!
      assert.match(oneoff, new RegExp(`^${project}-app-run-`))
      assert.deepEqual(names(rounds[0]), [`${project}-app-1`, `${project}-app-2`, oneoff], 'numbered containers, then one-offs')
      // The first round already has CPU figures from two readings: the engine's or the stream's own.
      assert.ok(rounds[1].every((r) => r.pids >= 2 && r.memory > 0))
      await engine.containers.start(ids.db)
      await until(() => names(rounds.at(-1)!).includes(`${project}-db-1`), 15_000, 'db in a round')
      assert.deepEqual(names(rounds.at(-1)!), [`${project}-app-1`, `${project}-app-2`, oneoff, `${project}-db-1`])
      await engine.containers.stop(ids.app2, {timeout: 0})
      await until(() => !names(rounds.at(-1)!).includes(`${project}-app-2`), 15_000, 'app-2 gone')
      assert.deepEqual(names(rounds.at(-1)!), [`${project}-app-1`, oneoff, `${project}-db-1`])
    } finally {
      controller.abort()
      await watching
    }
  })

  it('streaming with -a: a stopped container stays, with zeros', async () => {
    const controller = new AbortController()
    const rounds: StatsRow[][] = []
    const watching = watchStats(engine, {name: project}, {all: true, services: ['app'], signal: controller.signal, onRound: (rows) => rounds.push(rows)})
    try {
      await until(() => rounds.length >= 1, 15_000, 'a round')
      const app2 = rounds[0].find((r) => r.name === `${project}-app-2`)
      assert.ok(app2, 'the stopped app-2 is listed')
      assert.equal(app2.pids, 0)
      await engine.containers.start(ids.app2)
      await until(() => (rounds.at(-1)!.find((r) => r.name === `${project}-app-2`)?.pids ?? 0) >= 2, 15_000, 'app-2 running again')
    } finally {
      controller.abort()
      await watching
    }
  })
})

describe('runtime (real engine): volumes', function () {
  this.timeout(30_000)
  let engine: EngineClient
  const project = uniqueProject('vols')

  before(async () => {
    engine = testClient()
    for (const key of ['data', 'cache']) {
      await engine.volumes.create({Name: `${project}_${key}`, Labels: {'com.docker.compose.project': project, 'com.docker.compose.volume': key}})
    }
    await engine.volumes.create({Name: `${project}_stranger`, Labels: {}})
    await createServiceContainer(engine, project, {service: 'db', cmd: LOOP, start: false})
    // The fixture mounts nothing; a container of `web` with the data volume:
    const {Id} = await engine.containers.create(
      {
        Image: 'berth-test/busybox:latest',
        Cmd: ['true'],
        Labels: {'com.docker.compose.project': project, 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False'},
        HostConfig: {Mounts: [{Type: 'volume', Source: `${project}_data`, Target: '/data'}]},
      } as never,
      {name: `${project}-web-1`},
    )
    assert.ok(Id)
  })
  after(async () => {
    await removeProject(engine, project)
    for (const key of ['data', 'cache', 'stranger']) await engine.volumes.remove(`${project}_${key}`, {force: true}).catch(() => undefined)
    await engine.close()
  })

  it("lists the project's labelled volumes, sorted; with a service, those its containers mount", async () => {
    assert.deepEqual((await projectVolumes(engine, {name: project})).map((v) => v.Name), [`${project}_cache`, `${project}_data`])
    assert.deepEqual((await projectVolumes(engine, {name: project}, {services: ['web']})).map((v) => v.Name), [`${project}_data`])
    assert.deepEqual(await projectVolumes(engine, {name: project}, {services: ['db']}), [])
    await assert.rejects(projectVolumes(engine, {name: project}, {services: ['nope']}), /no such service: nope \(services: db, web\)/)
  })
})
