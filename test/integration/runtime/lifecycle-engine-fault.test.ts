import {strict as assert} from 'node:assert'
import {EngineClient, EngineUnreachableError} from '../../../src/engine/index.js'
import {BerthError} from '../../../src/errors.js'
import {projectLogs} from '../../../src/runtime/project-logs.js'
import {projectPs} from '../../../src/runtime/ps.js'
import {ensureBaseImage} from '../../support/base-image.js'
import {startPrivateDockerd, type TestEngine} from '../../support/private-dockerd.js'
import {collect, createServiceContainer, uniqueProject, until} from './project-fixture.js'

describe('runtime (real engine): the engine stops in the middle of a command', function () {
  let daemon: TestEngine | undefined
  let engine: EngineClient | undefined

  after(async () => {
    await engine?.destroy()
    await daemon?.stop()
  })

  it('the engine crashes: logs -f ends with one clear engine error, and the next command says the engine is unreachable', async function () {
    if (process.env.BERTH_TEST_DOCKER_HOST) this.skip() // needs a daemon of its own to stop
    daemon = await startPrivateDockerd()
    engine = EngineClient.forHost(daemon.host)
    await ensureBaseImage(engine)
    const project = uniqueProject('fault')
    await createServiceContainer(engine, project, {service: 'web', cmd: ['sh', '-c', 'echo alive; sleep 600']})
    const out = await collect()
    const following = projectLogs(engine, {name: project}, {follow: true, color: false, prefix: true, out: out.stream})
    const outcome = following.then(
      () => 'ended',
      (error: unknown) => error,
    )
    await until(() => out.text().includes('alive'), 20_000, 'the first line')
    // A crash, not a shutdown: the daemon dies without stopping the containers first.
    process.kill(daemon.pid as number, 'SIGKILL')
    const result = await Promise.race([outcome, new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000))])
    assert.ok(result instanceof BerthError, `logs -f should fail with a BerthError, got ${String(result)}`)
    assert.equal(result.message.split('\n').length, 1)
    assert.match(result.code, /^ENGINE_/, `${result.code}: ${result.message}`)
    assert.match(result.message, /Docker Engine/)

    await assert.rejects(projectPs(engine, {name: project}), (error: unknown) => error instanceof EngineUnreachableError && /cannot reach the Docker Engine at unix:\/\//.test(error.message))
  })
})
