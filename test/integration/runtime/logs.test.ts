import {strict as assert} from 'node:assert'
import type {EngineClient} from '../../../src/engine/index.js'
import {projectLogs} from '../../../src/runtime/project-logs.js'
import {runLifecycle} from '../../../src/runtime/lifecycle.js'
import {testClient} from '../../support/engine-hooks.js'
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
