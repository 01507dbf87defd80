/**
 * `pull` and its --policy, as docker compose v5 decides: each service's pull_policy by default
 * (never and build skip, missing / if_not_present pull only what is not here), `--policy missing`
 * pulls only what is not here, `--policy always` everything. The engine is faked: what matters
 * is which images are pulled, and that the skipped ones are reported.
 */
import {strict as assert} from 'node:assert'
import type {Project, ServiceConfig} from '../../../src/compose/types.js'
import type {EngineClient} from '../../../src/engine/client.js'
import type {ProgressEvent} from '../../../src/runtime/progress-events.js'
import {pullDecision, pullServices} from '../../../src/runtime/pull-push.js'

function project(services: Record<string, Omit<ServiceConfig, 'name'>>): Project {
  return {
    name: 'demo', workingDir: '/srv', configFiles: [],
    services: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, {name, ...s}])),
    disabledServices: {}, networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {}, environment: {}, profiles: [],
  }
}

function fakeEngine(localTags: string[]) {
  const pulled: string[] = []
  let lists = 0
  const engine = {
    images: {
      list: async () => {
        lists++
        return [{Id: 'sha256:1', RepoTags: localTags, RepoDigests: [], Labels: {}}]
      },
      pull: async (image: string) => {
        pulled.push(image)
        return {messages: []}
      },
    },
  }
  return {engine: engine as unknown as EngineClient, pulled, lists: () => lists}
}

const demo = project({
  plain: {image: 'reg.local/plain:1'},
  here: {image: 'reg.local/here:1', pull_policy: 'missing'},
  absent: {image: 'reg.local/absent:1', pull_policy: 'if_not_present'},
  never: {image: 'reg.local/here:1', pull_policy: 'never'},
  built: {image: 'reg.local/built:1', pull_policy: 'build', build: {context: '.'}},
  always: {image: 'reg.local/always:1', pull_policy: 'always'},
  nothing: {build: {context: '.'}},
})

async function run(policy?: 'missing' | 'always') {
  const fake = fakeEngine(['reg.local/here:1', 'reg.local/plain:1', 'reg.local/built:1', 'reg.local/always:1'])
  const events: ProgressEvent[] = []
  await pullServices(fake.engine, demo, {policy, progress: (e) => events.push(e)})
  const skipped = events.filter((e) => e.status === 'Skipped').map((e) => `${e.resource}${e.detail ? `: ${e.detail}` : ''}`)
  return {pulled: fake.pulled.sort(), skipped: skipped.sort(), lists: fake.lists()}
}

describe('runtime/pull-push: pull policies', () => {
  it('by default follows each service\'s pull_policy; one image shared by services is pulled when one of them would pull it', async () => {
    const r = await run()
    assert.deepEqual(r.pulled, ['reg.local/absent:1', 'reg.local/always:1', 'reg.local/plain:1'])
    assert.deepEqual(r.skipped, ['Image reg.local/built:1', 'Image reg.local/here:1: Image is already present locally'])
    assert.equal(r.lists, 1, 'one list call for the images that are here')
  })

  it('--policy missing pulls only the images that are not here, whatever the pull_policy', async () => {
    const r = await run('missing')
    assert.deepEqual(r.pulled, ['reg.local/absent:1'])
    assert.equal(r.skipped.length, 4)
    assert.ok(r.skipped.every((s) => s.endsWith(': Image is already present locally')))
  })

  it('--policy always pulls every image, pull_policy never and build included, without asking what is here', async () => {
    const r = await run('always')
    assert.deepEqual(r.pulled, ['reg.local/absent:1', 'reg.local/always:1', 'reg.local/built:1', 'reg.local/here:1', 'reg.local/plain:1'])
    assert.deepEqual(r.skipped, [])
    assert.equal(r.lists, 0)
  })

  it('decides per image from its services\' policies', () => {
    assert.equal(pullDecision({policies: [undefined]}, undefined), 'pull')
    assert.equal(pullDecision({policies: ['never', 'build']}, undefined), 'skip')
    assert.equal(pullDecision({policies: ['never', 'missing']}, undefined), 'if-missing')
    assert.equal(pullDecision({policies: ['never', 'daily']}, undefined), 'pull')
    assert.equal(pullDecision({policies: ['never']}, 'missing'), 'if-missing')
    assert.equal(pullDecision({policies: ['never']}, 'always'), 'pull')
  })
})
