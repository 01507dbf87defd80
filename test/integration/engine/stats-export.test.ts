import {strict as assert} from 'node:assert'
import type {Readable} from 'node:stream'
import {NotFoundError, type EngineClient} from '../../../src/engine/index.js'
import {exportContainer} from '../../../src/engine/resources/export.js'
import {containerStats, streamContainerStats, type StatsSample} from '../../../src/engine/resources/stats.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'
import {tarNames} from '../../support/tar-names.js'

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

describe('engine: container stats and export (private dockerd)', function () {
  this.timeout(60_000)
  let engine: EngineClient
  let running: string
  let stopped: string

  before(async () => {
    engine = testClient()
    const made = await engine.containers.create({Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo marker > /made-here; while :; do sleep 0.2; done'], HostConfig: {Init: true}}, {name: `berth-stats-run-${process.pid}`})
    running = made.Id
    await engine.containers.start(running)
    const idle = await engine.containers.create({Image: BASE_IMAGE, Cmd: ['true']}, {name: `berth-stats-idle-${process.pid}`})
    stopped = idle.Id
  })
  after(async () => {
    for (const id of [running, stopped]) await engine.containers.remove(id, {force: true}).catch(() => undefined)
    await engine.close()
  })

  it('one sample of a running container carries the earlier reading (precpu) for CPU %', async () => {
    const sample = await containerStats(engine, running)
    assert.equal(sample.id, running)
    assert.equal(sample.name, `/berth-stats-run-${process.pid}`)
    assert.ok((sample.pids_stats?.current ?? 0) >= 2, 'init, sh and sleep')
    assert.ok((sample.memory_stats?.usage ?? 0) > 0)
    assert.ok((sample.memory_stats?.limit ?? 0) > 0)
    assert.ok((sample.cpu_stats?.system_cpu_usage ?? 0) > 0)
    assert.ok((sample.precpu_stats?.system_cpu_usage ?? 0) > 0, 'stream=false waits for a second reading')
    assert.ok((sample.cpu_stats?.system_cpu_usage ?? 0) > (sample.precpu_stats?.system_cpu_usage ?? 0))
  })

  it('a stopped container answers at once with an empty sample', async () => {
    const started = Date.now()
    const sample = await containerStats(engine, stopped)
    assert.ok(Date.now() - started < 1000)
    assert.match(sample.read ?? '', /^0001-01-01/)
    assert.equal(sample.pids_stats?.current ?? 0, 0)
    assert.equal(sample.memory_stats?.usage ?? 0, 0)
  })

  it('a stream sends a sample about every second, each one later than the last', async () => {
    const controller = new AbortController()
    const stream = await streamContainerStats(engine, running, {signal: controller.signal})
    const samples: StatsSample[] = []
    for await (const sample of stream as AsyncIterable<StatsSample>) {
      samples.push(sample)
      if (samples.length === 3) break
    }
    controller.abort()
    assert.equal(samples.length, 3)
    const times = samples.map((s) => Date.parse(s.read ?? ''))
    assert.ok(times[1] > times[0] && times[2] > times[1])
    // From the second sample on, precpu is the previous reading.
    assert.equal(samples[2].precpu_stats?.system_cpu_usage, samples[1].cpu_stats?.system_cpu_usage)
  })

  it('a container that is not there is a NotFoundError naming it', async () => {
    await assert.rejects(containerStats(engine, 'berth-no-such-container'), (error: unknown) => error instanceof NotFoundError && error.kind === 'container')
    await assert.rejects(exportContainer(engine, 'berth-no-such-container'), (error: unknown) => error instanceof NotFoundError && error.kind === 'container')
  })

  it('exports the whole filesystem of a running or a stopped container as a tar', async () => {
    const names = tarNames(await bytesOf(await exportContainer(engine, running)))
    assert.ok(names.includes('made-here'), 'the file the container wrote')
    assert.ok(names.includes('bin/busybox'))
    assert.ok(names.includes('.dockerenv'))
    const idle = tarNames(await bytesOf(await exportContainer(engine, stopped)))
    assert.ok(idle.includes('bin/busybox'))
    assert.ok(!idle.includes('made-here'))
  })
})
