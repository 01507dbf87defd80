/** --dry-run's shared parts: the steps' layout (the one `up --dry-run` prints plans in), build steps, and the read-only engine. */
import {strict as assert} from 'node:assert'
import type {EngineClient, EngineRequest} from '../../../src/engine/client.js'
import {BerthError} from '../../../src/errors.js'
import {buildSteps, DryRunWriteError, formatSteps, readOnlyEngine} from '../../../src/runtime/dry-run.js'
import {describe as describeOp, formatPlan, type Plan} from '../../../src/runtime/plan.js'

describe('runtime/dry-run', () => {
  it('numbers the steps and aligns their columns exactly as formatPlan lays out a plan', () => {
    const plan: Plan = {
      warnings: [],
      operations: [
        {kind: 'pull-image', service: 'web', image: 'busybox', cause: 'not found locally'},
        {kind: 'stop-container', service: 'web', number: 1, name: 'demo-web-1', id: 'x', cause: 'scale web: 1 -> 0'},
        {kind: 'remove-network', key: 'default', name: 'demo_default', cause: 'down'},
      ],
    }
    const steps = plan.operations.map((op) => ({...describeOp(op), cause: op.cause}))
    assert.equal(formatSteps(steps, 'unused'), formatPlan(plan))
    assert.equal(
      formatSteps([{resource: 'container:demo-web-1', action: 'kill SIGKILL', cause: 'running'}, {resource: 'container:demo-db-1', action: 'kill SIGKILL', cause: 'paused'}], 'x'),
      '#1 container:demo-web-1  kill SIGKILL  running\n#2 container:demo-db-1   kill SIGKILL  paused\n',
    )
  })

  it('prints one `nothing to do` line for no steps', () => {
    assert.equal(formatSteps([], 'no container to stop'), 'nothing to do: no container to stop\n')
  })

  it('a build step per image, named by its first tag, with what makes it differ', () => {
    assert.deepEqual(
      buildSteps([
        {services: ['api', 'worker'], options: {tags: ['demo-api', 'registry.local/api:1'], noCache: true}},
        {services: ['web'], options: {tags: ['web:dev'], target: 'dev', pull: true}},
      ]),
      [
        {resource: 'image:demo-api', action: 'build', cause: 'services api, worker; also tagged registry.local/api:1; no cache'},
        {resource: 'image:web:dev', action: 'build', cause: 'service web; target dev; pulls base images'},
      ],
    )
  })

  it('the read-only engine lets GET and HEAD through and refuses anything else, and every hijack, before it is sent', async () => {
    const sent: string[] = []
    const client = {
      request: async (req: EngineRequest) => {
        sent.push(`${req.method} ${req.path}`)
        return {status: 200}
      },
      hijack: async () => {
        sent.push('hijack')
        return {}
      },
    } as unknown as EngineClient
    const guarded = readOnlyEngine(client)
    await guarded.request({method: 'GET', path: '/containers/json'})
    await guarded.request({method: 'HEAD', path: '/containers/x/archive'})
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      await assert.rejects(guarded.request({method, path: '/containers/x/stop'}), (error: unknown) => {
        assert.ok(error instanceof DryRunWriteError && error instanceof BerthError)
        assert.equal((error as BerthError).code, 'DRY_RUN_WRITE')
        assert.match((error as Error).message, new RegExp(`refused to send ${method} /containers/x/stop`))
        return true
      })
    }
    await assert.rejects(guarded.hijack({path: '/exec/1/start'}), DryRunWriteError)
    assert.deepEqual(sent, ['GET /containers/json', 'HEAD /containers/x/archive'])
  })
})
