/** --dry-run of start, stop, restart, kill, pause, unpause and rm: which containers, in which order, and why. */
import {strict as assert} from 'node:assert'
import type {EngineClient} from '../../../src/engine/client.js'
import type {ContainerSummary} from '../../../src/engine/types.js'
import {formatSteps} from '../../../src/runtime/dry-run.js'
import {lifecycleSteps, planLifecycle, type LifecycleSelection} from '../../../src/runtime/lifecycle.js'
import type {ProjectRef} from '../../../src/runtime/select.js'
import {project} from './fixtures.js'

function container(service: string, number: number, state: ContainerSummary['State'], dependsOn = ''): ContainerSummary {
  return {
    Id: `id-${service}-${number}`,
    Names: [`/demo-${service}-${number}`],
    Image: 'busybox',
    ImageID: 'sha256:1',
    Command: '',
    Created: 0,
    Ports: [],
    Labels: {
      'com.docker.compose.project': 'demo',
      'com.docker.compose.service': service,
      'com.docker.compose.container-number': String(number),
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.depends_on': dependsOn,
    },
    State: state,
    Status: '',
    HostConfig: {NetworkMode: 'default'},
    NetworkSettings: {Networks: {}},
    Mounts: [],
  }
}

const started = {condition: 'service_started' as const, required: true}
/** db <- api (healthy, restart: true) <- web; cache alone. */
const demo: ProjectRef = {
  name: 'demo',
  project: project('demo', {
    db: {image: 'busybox'},
    api: {image: 'busybox', depends_on: {db: {condition: 'service_healthy', required: true, restart: true}}},
    web: {image: 'busybox', depends_on: {api: started}},
    cache: {image: 'busybox'},
  }),
}

const list = [
  container('api', 1, 'running'),
  container('cache', 1, 'paused'),
  container('db', 1, 'exited'),
  container('web', 1, 'running'),
  container('web', 2, 'created'),
]

function selection(targets: ContainerSummary[], extra: Partial<LifecycleSelection> = {}): LifecycleSelection {
  return {all: list, targets, orphans: [], named: [], ...extra}
}

const rows = (steps: Array<{resource: string; action: string; cause: string}>) => steps.map((s) => `${s.resource} ${s.action} | ${s.cause}`)

/** An engine that only lists (the only call a dry run of these verbs makes), honouring the service label filter. */
function listingEngine(containers: ContainerSummary[]): EngineClient {
  return {
    containers: {
      list: async (options: {filters?: {label?: string[]}}) => {
        const service = options.filters?.label?.find((l) => l.startsWith('com.docker.compose.service='))?.split('=')[1]
        return containers.filter((c) => !service || c.Labels['com.docker.compose.service'] === service)
      },
    },
  } as unknown as EngineClient
}

describe('runtime/lifecycle: --dry-run steps', () => {
  it('stop: dependents first (reverse dependency order), each with its state', () => {
    const running = list.filter((c) => c.State === 'running' || c.State === 'paused')
    assert.deepEqual(rows(lifecycleSteps(demo, 'stop', selection(running))), [
      'container:demo-web-1 stop | running',
      'container:demo-api-1 stop | running',
      'container:demo-cache-1 stop | paused',
    ])
  })

  it('start: dependencies first, with the condition a dependent waits for', () => {
    const stopped = list.filter((c) => c.State === 'exited' || c.State === 'created')
    assert.deepEqual(rows(lifecycleSteps(demo, 'start', selection([...stopped, list[0]]))), [
      'container:demo-db-1 start | exited',
      'container:demo-api-1 start | running; after db is healthy',
      'container:demo-web-2 start | created',
    ])
  })

  it('kill names its signal and keeps the listed order; --remove-orphans adds the orphans last', () => {
    const orphan = container('old', 1, 'exited')
    const steps = lifecycleSteps(demo, 'kill', selection([list[3], list[0]], {orphans: [orphan]}), {killSignal: 'SIGHUP'})
    assert.deepEqual(rows(steps), [
      'container:demo-web-1 kill SIGHUP | running',
      'container:demo-api-1 kill SIGHUP | running',
      'container:demo-old-1 remove | orphan: service "old" is not in the Compose file',
    ])
    assert.equal(lifecycleSteps(demo, 'kill', selection([list[0]]))[0].action, 'kill SIGKILL')
  })

  it('rm: stop+remove for a running container (-s), anonymous volumes named with -v', () => {
    assert.deepEqual(rows(lifecycleSteps(demo, 'rm', selection([list[2], list[0]]), {stopFirst: true, volumes: true})), [
      'container:demo-api-1 stop+remove | running; with its anonymous volumes',
      'container:demo-db-1 remove | exited; with its anonymous volumes',
    ])
  })

  it('restart SERVICE: a dependent restarted for restart: true says on which service', () => {
    assert.deepEqual(rows(lifecycleSteps(demo, 'restart', selection([list[2], list[0]], {named: ['db']}))), [
      'container:demo-db-1 restart | exited',
      'container:demo-api-1 restart | running; restart: true on db',
    ])
  })

  it('planLifecycle selects as the verb does, from one list call: pause takes running containers, unpause paused ones', async () => {
    const engine = listingEngine(list)
    assert.deepEqual(rows(await planLifecycle(engine, demo, 'pause')), ['container:demo-api-1 pause | running', 'container:demo-web-1 pause | running'])
    assert.deepEqual(rows(await planLifecycle(engine, demo, 'unpause')), ['container:demo-cache-1 unpause | paused'])
    assert.deepEqual(rows(await planLifecycle(engine, demo, 'stop', {services: ['web']})), ['container:demo-web-1 stop | running'])
    // restart db takes api along (restart: true), web stays (a plain depends_on).
    assert.deepEqual(rows(await planLifecycle(engine, demo, 'restart', {services: ['db'], restartDependents: true})), [
      'container:demo-db-1 restart | exited',
      'container:demo-api-1 restart | running; restart: true on db',
    ])
  })

  it('planLifecycle fails as the verb does: an unknown service, start without containers', async () => {
    await assert.rejects(planLifecycle(listingEngine(list), demo, 'stop', {services: ['nope']}), /no such service: nope/)
    await assert.rejects(planLifecycle(listingEngine([]), demo, 'start'), /project "demo" has no containers to start/)
  })

  it('prints one line when there is nothing to do', async () => {
    const steps = await planLifecycle(listingEngine([container('db', 1, 'exited')]), demo, 'stop')
    assert.equal(formatSteps(steps, 'no container to stop'), 'nothing to do: no container to stop\n')
  })
})
