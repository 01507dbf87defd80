/**
 * applyUp / applyImages with the flags of the up family, on a recording fake engine: -V gives a
 * recreated container new anonymous volumes, --quiet-pull / --quiet-build keep progress to the
 * status rows, and the replicas a scale up leaves alone still report Running.
 */
import {strict as assert} from 'node:assert'
import {applyImages, applyUp, type ApplyContext} from '../../../src/runtime/apply.js'
import type {ContainerCreateBody} from '../../../src/runtime/container-spec.js'
import type {RuntimeEngine} from '../../../src/runtime/engine-port.js'
import {planUp, serviceHashes, temporaryName, type Plan} from '../../../src/runtime/plan.js'
import type {ProgressEvent} from '../../../src/runtime/progress-events.js'
import type {Project} from '../../../src/compose/types.js'
import {containerFor, emptyObserved, project, withImage, withNetwork} from './fixtures.js'

function recordingEngine() {
  const bodies = new Map<string, ContainerCreateBody>()
  let next = 0xd000
  const engine: Partial<RuntimeEngine> = {
    createContainer: async (name, body) => {
      bodies.set(name, body)
      return (next++).toString(16).padEnd(64, '0')
    },
    startContainer: async () => {},
    stopContainer: async () => {},
    removeContainer: async () => {},
    renameContainer: async () => {},
    connectNetwork: async () => {},
    pullImage: async (_ref, onProgress) => {
      onProgress?.({id: 'layer1', status: 'Downloading'})
      onProgress?.({id: 'layer1', status: 'Pull complete'})
    },
    buildImage: async (request) => {
      request.onProgress?.('Step 1/2 : FROM busybox')
      request.onProgress?.('Step 2/2 : RUN true')
    },
  }
  return {bodies, engine: engine as RuntimeEngine}
}

function context(p: Project, observed: ReturnType<typeof emptyObserved>, engine: RuntimeEngine, events: ProgressEvent[] = []): ApplyContext {
  return {engine, project: p, observed, apiVersion: '1.41', hashes: serviceHashes(p), progress: (e) => events.push(e), warn: () => {}}
}

const db = () => project('demo', {db: {image: 'busybox', volumes: [{type: 'volume', target: '/data'}]}})

function running(p: Project) {
  const o = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
  o.containers.push(containerFor(p, 'db', 1, 'running', {anonymousVolumes: {'/data': 'feedface'.padEnd(64, '0')}}))
  return o
}

const dataMount = (body: ContainerCreateBody | undefined) => (body?.HostConfig?.Mounts as Array<{Target: string; Source?: string}> | undefined)?.find((m) => m.Target === '/data')

describe('runtime/apply: flags of the up family', () => {
  it('a recreate keeps the old anonymous volume; with -V the engine makes a new one', async () => {
    const p = db()
    const kept = recordingEngine()
    await applyUp(context(p, running(p), kept.engine), planUp(p, running(p), {forceRecreate: true}))
    const keptBody = [...kept.bodies.values()][0]
    assert.equal(dataMount(keptBody)?.Source, 'feedface'.padEnd(64, '0'))

    const renewed = recordingEngine()
    await applyUp(context(p, running(p), renewed.engine), planUp(p, running(p), {renewAnonVolumes: true}))
    const mount = dataMount([...renewed.bodies.values()][0])
    assert.ok(mount, 'the anonymous volume is still mounted')
    assert.equal(mount.Source, undefined, 'no source: a new anonymous volume')
  })

  it('the replicas a scale up leaves alone report Running beside the new ones', async () => {
    const p = db()
    const events: ProgressEvent[] = []
    const {engine} = recordingEngine()
    const o = running(p)
    await applyUp(context(p, o, engine, events), planUp(p, o, {scale: {db: 2}}))
    const rows = events.map((e) => `${e.resource} ${e.status}`)
    assert.ok(rows.includes('Container demo-db-1 Running'), rows.join(', '))
    assert.ok(rows.includes('Container demo-db-2 Started'), rows.join(', '))
    assert.ok(!rows.some((r) => r.startsWith('Container demo-db-1 ') && r !== 'Container demo-db-1 Running'), rows.join(', '))
  })

  it('create (--no-start) recreates a service without waiting for its dependency to become healthy', async () => {
    const old = project('demo', {db: {image: 'busybox', healthcheck: {test: ['CMD', 'true']}}, api: {image: 'busybox', environment: {V: '1'}, depends_on: {db: {condition: 'service_healthy', required: true}}}})
    const p = project('demo', {db: old.services.db, api: {...old.services.api, environment: {V: '2'}}})
    const o = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
    o.containers.push(containerFor(p, 'db', 1, 'created'), containerFor(old, 'api', 1, 'created'))
    const plan = planUp(p, o, {noStart: true})
    assert.deepEqual(plan.operations.map((op) => op.kind), ['recreate-container'])
    const {engine, bodies} = recordingEngine()
    // The fake engine has no inspectContainer: waiting for db's health would throw.
    await applyUp(context(p, o, engine), plan)
    assert.deepEqual([...bodies.keys()], [temporaryName(o.containers[1].id, 'demo-api-1')])
  })

  it('--quiet-pull and --quiet-build report only the status of each image, not its progress', async () => {
    const p = project('demo', {a: {image: 'example/a'}, b: {build: {context: '.'}}})
    const plan: Plan = {
      operations: [
        {kind: 'pull-image', service: 'a', image: 'example/a', cause: '--pull always'},
        {kind: 'build-image', service: 'b', image: 'demo-b', cause: '--build'},
      ],
      warnings: [],
    }
    const run = async (quiet: boolean) => {
      const events: ProgressEvent[] = []
      const {engine} = recordingEngine()
      await applyImages({engine, project: p, progress: (e) => events.push(e), quietPull: quiet, quietBuild: quiet}, plan)
      return events
    }
    const loud = await run(false)
    assert.ok(loud.some((e) => e.status === 'Pulling' && e.detail === 'layer1: Downloading'))
    assert.ok(loud.some((e) => e.status === 'Building' && e.detail?.startsWith('Step 2/2')))
    const quiet = await run(true)
    assert.deepEqual(quiet.map((e) => `${e.resource} ${e.status}${e.detail ? ` ${e.detail}` : ''}`).sort(), [
      'Image demo-b Building',
      'Image demo-b Built',
      'Image example/a Pulled',
      'Image example/a Pulling',
    ])
  })
})
