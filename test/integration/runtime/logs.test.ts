import {strict as assert} from 'node:assert'
import type {EngineClient} from '../../../src/engine/index.js'
import {converge} from '../../../src/runtime/converge.js'
import {projectLogs} from '../../../src/runtime/project-logs.js'
import {runLifecycle} from '../../../src/runtime/lifecycle.js'
import {testClient} from '../../support/engine-hooks.js'
import {useHarness, testProject, type Harness} from './helpers.js'
import {collect, createServiceContainer, removeProject, uniqueProject, until} from './project-fixture.js'

describe('runtime (real engine): logs', function () {
  let engine: EngineClient
  before(() => {
    engine = testClient()
  })
  after(async () => {
    await engine.close()
  })

  it('merges stdout and stderr of several containers (frames and TTY) with padded prefixes', async () => {
    const project = uniqueProject('logs')
    try {
      await createServiceContainer(engine, project, {service: 'api', cmd: ['sh', '-c', 'echo out-line; echo err-line >&2']})
      await createServiceContainer(engine, project, {service: 'frontend', tty: true, cmd: ['sh', '-c', 'echo tty-line']})
      await new Promise((r) => setTimeout(r, 500))
      const out = await collect()
      await projectLogs(engine, {name: project}, {color: false, prefix: true, out: out.stream})
      const lines = out.text().split('\n').filter((l) => l !== '').sort()
      assert.deepEqual(lines, ['api-1       | err-line', 'api-1       | out-line', 'frontend-1  | tty-line\r'])

      const tail = await collect()
      await projectLogs(engine, {name: project}, {color: false, prefix: false, services: ['api'], tail: 1, out: tail.stream})
      assert.equal(tail.text().split('\n').filter((l) => l !== '').length, 1)
    } finally {
      await removeProject(engine, project)
    }
  })

  it('-f picks up a container started later and ends when the project stops', async () => {
    const project = uniqueProject('logsf')
    try {
      await createServiceContainer(engine, project, {service: 'web', cmd: ['sh', '-c', 'echo web-started; sleep 600']})
      const out = await collect()
      let finished = false
      const following = projectLogs(engine, {name: project}, {follow: true, color: false, prefix: true, out: out.stream}).then(() => {
        finished = true
      })
      await until(() => out.text().includes('web-started'), 20_000, 'the first container\'s line')
      await createServiceContainer(engine, project, {service: 'worker', cmd: ['sh', '-c', 'echo worker-started; sleep 600']})
      await until(() => out.text().includes('worker-1  | worker-started'), 20_000, 'the late container\'s line')
      assert.equal(finished, false)
      await runLifecycle(engine, {name: project}, 'stop', {timeout: 0})
      await Promise.race([following, new Promise((_, reject) => setTimeout(() => reject(new Error('logs -f did not end when the project stopped')), 20_000))])
      assert.match(out.text(), /^web-1 exited with code \d+$/m)
    } finally {
      await removeProject(engine, project)
    }
  })

  it('-f keeps following across a restart of the only container', async () => {
    const project = uniqueProject('logsr')
    try {
      await createServiceContainer(engine, project, {service: 'solo', cmd: ['sh', '-c', 'echo "boot $(date +%s%N)"; sleep 600']})
      const out = await collect()
      let finished = false
      const following = projectLogs(engine, {name: project}, {follow: true, color: false, prefix: false, out: out.stream}).then(() => {
        finished = true
      })
      await until(() => out.text().includes('boot'), 20_000, 'the first boot line')
      await runLifecycle(engine, {name: project}, 'restart', {timeout: 0})
      await until(() => (out.text().match(/^boot/gm) ?? []).length >= 2, 20_000, 'the boot line after the restart')
      await new Promise((r) => setTimeout(r, 2000))
      assert.equal(finished, false, 'logs -f ended at the restart')
      await runLifecycle(engine, {name: project}, 'stop', {timeout: 0})
      await Promise.race([following, new Promise((_, reject) => setTimeout(() => reject(new Error('logs -f did not end')), 20_000))])
    } finally {
      await removeProject(engine, project)
    }
  })
})

describe('runtime (real engine): logs --index on a scaled service', function () {
  this.timeout(120_000)
  let h!: Harness
  useHarness((x) => (h = x))

  async function upScaled(label: string) {
    const p = testProject(label, `
services:
  worker:
    image: busybox
    init: true
    command: ["sh", "-c", "echo boot $$HOSTNAME; exec sleep 600"]
  other:
    image: busybox
    init: true
    command: ["sh", "-c", "echo other-line; exec sleep 600"]
`)
    h.track(p)
    const project = await p.load()
    await converge(h.engine, project, {scale: {worker: 3}})
    const ref = {name: p.name, project}
    const all = await collect()
    await until(async () => {
      await projectLogs(h.client, ref, {color: false, prefix: true, out: all.stream})
      return (all.text().match(/\| boot /g) ?? []).length >= 3
    }, 20_000, 'three boot lines')
    return ref
  }

  it('shows only the container with that number; needs one service; names the numbers there are', async () => {
    const ref = await upScaled('logsidx')
    const ids = Object.fromEntries(
      (await h.client.containers.list({filters: {label: [`com.docker.compose.project=${ref.name}`, 'com.docker.compose.service=worker']}})).map((c) => [c.Labels['com.docker.compose.container-number'], c.Id.slice(0, 12)]),
    )
    const out = await collect()
    await projectLogs(h.client, ref, {services: ['worker'], index: 2, color: false, prefix: true, out: out.stream})
    assert.equal(out.text(), `worker-2  | boot ${ids['2']}\n`)

    const bare = await collect()
    await projectLogs(h.client, ref, {services: ['worker'], index: 3, color: false, prefix: false, out: bare.stream})
    assert.equal(bare.text(), `boot ${ids['3']}\n`)

    const only = (message: string) => (error: Error) => error.message === message
    await assert.rejects(projectLogs(h.client, ref, {index: 2, color: false, prefix: true, out: out.stream}), only('--index needs exactly one service'))
    await assert.rejects(projectLogs(h.client, ref, {services: ['worker', 'other'], index: 2, color: false, prefix: true, out: out.stream}), only('--index needs exactly one service'))
    await assert.rejects(projectLogs(h.client, ref, {services: ['worker'], index: 4, color: false, prefix: true, out: out.stream}), only('service "worker" has no container with index 4 (containers: 1, 2, 3)'))
  })

  it('-f --index follows that container alone and ends when it stops, while the others run on', async () => {
    const ref = await upScaled('logsidxf')
    const out = await collect()
    let finished = false
    const following = projectLogs(h.client, ref, {services: ['worker'], index: 2, follow: true, color: false, prefix: true, out: out.stream}).then(() => {
      finished = true
    })
    await until(() => out.text().includes('worker-2  | boot'), 20_000, 'the line of worker-2')
    // Restarting the service: worker-2's exit and second boot show, nothing of the other replicas.
    await runLifecycle(h.client, ref, 'restart', {services: ['worker'], timeout: 0})
    await until(() => out.text().includes('worker-2 exited with code'), 20_000, 'the exit of worker-2 during the restart')
    await until(() => (out.text().match(/worker-2 {2}\| boot/g) ?? []).length >= 2, 20_000, 'worker-2 booting again')
    assert.equal(finished, false)
    const [two] = await h.client.containers.list({filters: {label: [`com.docker.compose.project=${ref.name}`, 'com.docker.compose.container-number=2', 'com.docker.compose.service=worker']}})
    await h.client.containers.stop(two.Id, {timeout: 0})
    await Promise.race([following, new Promise((_, reject) => setTimeout(() => reject(new Error('logs -f --index did not end when its container stopped')), 20_000))])
    assert.ok(!/worker-[13]/.test(out.text()), out.text())
    const running = await h.client.containers.list({filters: {label: [`com.docker.compose.project=${ref.name}`, 'com.docker.compose.service=worker']}})
    assert.equal(running.length, 2, 'worker-1 and worker-3 still run')
  })
})
