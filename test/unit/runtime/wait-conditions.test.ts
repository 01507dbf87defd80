import {strict as assert} from 'node:assert'
import type {ContainerInspect} from '../../../src/engine/types.js'
import type {RuntimeEngine} from '../../../src/runtime/engine-port.js'
import {findImage, normalizeImageRef} from '../../../src/runtime/observe.js'
import {DependencyFailedError, waitForCondition} from '../../../src/runtime/wait-conditions.js'

type State = Partial<ContainerInspect['State']>

/** An engine whose one container goes through the given states, one per inspect call. */
function engineWith(states: State[], healthcheck = true, logs = 'line 1\nline 2\n'): RuntimeEngine {
  let i = 0
  return {
    async inspectContainer(id: string) {
      const state = states[Math.min(i++, states.length - 1)]
      return {Id: id, State: {Status: 'running', ExitCode: 0, Restarting: false, ...state}, Config: {Healthcheck: healthcheck ? {Test: ['CMD', 'true']} : undefined}} as unknown as ContainerInspect
    },
    async containerLogTail() {
      return logs
    },
  } as unknown as RuntimeEngine
}

const c = [{id: 'x', name: 'demo-db-1'}]

describe('runtime/wait-conditions', () => {
  it('service_healthy waits through starting until healthy', async () => {
    await waitForCondition(engineWith([{Health: {Status: 'starting'} as never}, {Health: {Status: 'healthy'} as never}]), 'db', c, 'service_healthy', {dependent: 'web', intervalMs: 1})
  })

  it('service_healthy fails on unhealthy, naming both services, the state and the last log lines', async () => {
    await assert.rejects(waitForCondition(engineWith([{Health: {Status: 'unhealthy'} as never}]), 'db', c, 'service_healthy', {dependent: 'web', intervalMs: 1}), (e: unknown) => {
      assert.ok(e instanceof DependencyFailedError)
      assert.equal(e.message, 'dependency "db" of service "web" failed: demo-db-1 is unhealthy (state: running, unhealthy); last log lines:')
      assert.equal(e.context, '  | line 1\n  | line 2')
      return true
    })
  })

  it('service_healthy fails at once when the dependency exited, or has no healthcheck', async () => {
    await assert.rejects(waitForCondition(engineWith([{Status: 'exited', ExitCode: 2}]), 'db', c, 'service_healthy', {dependent: 'web', intervalMs: 1}), /demo-db-1 exited with code 2 \(state: exited\)/)
    await assert.rejects(waitForCondition(engineWith([{}], false), 'db', c, 'service_healthy', {dependent: 'web', intervalMs: 1}), /demo-db-1 has no healthcheck/)
  })

  it('service_completed_successfully needs exit code 0', async () => {
    await waitForCondition(engineWith([{}, {Status: 'exited', ExitCode: 0}]), 'job', c, 'service_completed_successfully', {dependent: 'web', intervalMs: 1})
    await assert.rejects(waitForCondition(engineWith([{Status: 'exited', ExitCode: 1}]), 'job', c, 'service_completed_successfully', {dependent: 'web', intervalMs: 1}), /exited with code 1/)
  })

  it('service_started is met once the container left "created"', async () => {
    await waitForCondition(engineWith([{Status: 'created'}, {Status: 'running'}]), 'db', c, 'service_started', {dependent: 'web', intervalMs: 1})
  })

  it('gives up after the timeout', async () => {
    await assert.rejects(waitForCondition(engineWith([{Health: {Status: 'starting'} as never}]), 'db', c, 'service_healthy', {dependent: 'web', intervalMs: 5, timeoutMs: 20}), /did not become healthy in time \(demo-db-1\)/)
  })
})

describe('runtime/observe: image references', () => {
  it('normalises references like the engine', () => {
    assert.equal(normalizeImageRef('busybox'), 'busybox:latest')
    assert.equal(normalizeImageRef('docker.io/library/busybox:1'), 'busybox:1')
    assert.equal(normalizeImageRef('127.0.0.1:5000/app'), '127.0.0.1:5000/app:latest')
    assert.equal(normalizeImageRef('app@sha256:abc'), 'app@sha256:abc')
  })

  it('finds a local image by tag, by digest and by ID', () => {
    const images = [{id: 'sha256:0123456789abcdef', repoTags: ['busybox:latest'], repoDigests: ['busybox@sha256:ddd'], labels: {}}]
    assert.equal(findImage(images, 'docker.io/busybox')?.id, 'sha256:0123456789abcdef')
    assert.equal(findImage(images, 'busybox@sha256:ddd')?.id, 'sha256:0123456789abcdef')
    assert.equal(findImage(images, '0123456789ab')?.id, 'sha256:0123456789abcdef')
    assert.equal(findImage(images, 'busybox:1'), undefined)
  })
})
