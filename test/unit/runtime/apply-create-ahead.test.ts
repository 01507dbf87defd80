import {strict as assert} from 'node:assert'
import {applyUp, type ApplyContext} from '../../../src/runtime/apply.js'
import type {RuntimeEngine} from '../../../src/runtime/engine-port.js'
import {planUp, serviceHashes} from '../../../src/runtime/plan.js'
import type {Project, ServiceConfig} from '../../../src/compose/types.js'
import {containerFor, emptyObserved, project, withImage, withNetwork} from './fixtures.js'

/** Records create/start calls in order, with the network mode each create asked for. */
function recordingEngine() {
  const calls: string[] = []
  const names = new Map<string, string>()
  let next = 0xb000
  const engine: Partial<RuntimeEngine> = {
    createContainer: async (name, body) => {
      const id = (next++).toString(16).padEnd(64, '0')
      names.set(id, name)
      const mode = body.HostConfig?.NetworkMode as string | undefined
      calls.push(`create ${name}${mode?.startsWith('container:') ? ` (network of ${names.get(mode.slice(10))})` : ''}`)
      return id
    },
    startContainer: async (id) => void calls.push(`start ${names.get(id) ?? id}`),
    stopContainer: async (id) => void calls.push(`stop ${names.get(id) ?? id}`),
    removeContainer: async (id) => void calls.push(`remove ${names.get(id) ?? id}`),
    renameContainer: async (id, name) => {
      calls.push(`rename ${names.get(id)} -> ${name}`)
      names.set(id, name)
    },
    connectNetwork: async () => {},
  }
  return {calls, engine: engine as RuntimeEngine}
}

function context(p: Project, observed: ReturnType<typeof emptyObserved>, engine: RuntimeEngine): ApplyContext {
  return {engine, project: p, observed, apiVersion: '1.41', hashes: serviceHashes(p), progress: () => {}, warn: () => {}}
}

const base = (extra: Partial<ServiceConfig> = {}) => ({image: 'busybox', ...extra})

describe('runtime/apply: every new container is created before any start', () => {
  it('a depends_on chain is created side by side first, then started in order', async () => {
    const p = project('demo', {a: base(), b: base({depends_on: {a: {condition: 'service_started', required: true}}}), c: base({depends_on: {b: {condition: 'service_started', required: true}}})})
    const observed = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
    const {calls, engine} = recordingEngine()
    await applyUp(context(p, observed, engine), planUp(p, observed))
    assert.deepEqual(calls.slice(0, 3).sort(), ['create demo-a-1', 'create demo-b-1', 'create demo-c-1'])
    assert.deepEqual(calls.slice(3), ['start demo-a-1', 'start demo-b-1', 'start demo-c-1'])
  })

  it('network_mode service:x is created after x, with x\'s new container', async () => {
    const p = project('demo', {db: base(), app: base({network_mode: 'service:db'})})
    const observed = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
    const {calls, engine} = recordingEngine()
    await applyUp(context(p, observed, engine), planUp(p, observed))
    assert.deepEqual(calls.slice(0, 2), ['create demo-db-1', 'create demo-app-1 (network of demo-db-1)'])
  })

  it('a container whose network_mode service is recreated waits for the replacement, not the old one', async () => {
    const old = project('demo', {db: base({environment: {V: '1'}}), app: base()})
    const p = project('demo', {db: base({environment: {V: '2'}}), app: base({network_mode: 'service:db'})})
    const observed = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
    observed.containers.push(containerFor(old, 'db', 1, 'running', {id: 'c0ffee'.padEnd(64, '0')}))
    const plan = planUp(p, observed)
    assert.deepEqual(plan.operations.map((o) => `${o.kind} ${'service' in o ? o.service : ''}`), ['recreate-container db', 'create-container app'])
    const {calls, engine} = recordingEngine()
    await applyUp(context(p, observed, engine), plan)
    const createApp = calls.findIndex((c) => c.startsWith('create demo-app-1'))
    assert.ok(createApp > calls.findIndex((c) => c.startsWith('rename ')), `app is created after db's replacement took its name: ${calls.join(', ')}`)
    assert.match(calls[createApp], /\(network of demo-db-1\)$/)
  })

  it('nor ahead of a new container that itself waits for a recreate (x recreated <- db new <- app new)', async () => {
    const old = project('demo', {x: base({environment: {V: '1'}})})
    const p = project('demo', {x: base({environment: {V: '2'}}), db: base({network_mode: 'service:x'}), app: base({network_mode: 'service:db'})})
    const observed = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
    observed.containers.push(containerFor(old, 'x', 1, 'running', {id: 'c0ffee'.padEnd(64, '0')}))
    const {calls, engine} = recordingEngine()
    await applyUp(context(p, observed, engine), planUp(p, observed))
    const createDb = calls.findIndex((c) => c.startsWith('create demo-db-1'))
    const createApp = calls.findIndex((c) => c.startsWith('create demo-app-1'))
    assert.ok(createDb >= 0 && createApp > createDb, calls.join(', '))
    assert.match(calls[createApp], /\(network of demo-db-1\)$/)
  })
})
