/** pull --dry-run and push --dry-run: the images each would transfer, and why; `commandText` for exec --dry-run. */
import {strict as assert} from 'node:assert'
import type {EngineClient} from '../../../src/engine/client.js'
import {commandText} from '../../../src/runtime/exec.js'
import {planPull, planPush} from '../../../src/runtime/pull-push.js'
import {project} from './fixtures.js'

const demo = project('demo', {
  db: {image: 'postgres:16'},
  cache: {image: 'redis:7', pull_policy: 'missing'},
  here: {image: 'busybox', pull_policy: 'if_not_present'},
  pinned: {image: 'nginx', pull_policy: 'always'},
  local: {image: 'app:dev', pull_policy: 'never'},
  api: {image: '127.0.0.1:5000/api:1', build: {context: '.'}},
  worker: {image: '127.0.0.1:5000/api:1', build: {context: '.'}},
  tool: {build: {context: './tool'}},
})

/** Only busybox is here; counts list calls. */
function engine(): EngineClient & {lists: number} {
  const e = {
    lists: 0,
    images: {
      list: async () => {
        e.lists++
        return [{Id: 'sha256:b', RepoTags: ['busybox:latest'], RepoDigests: [], Labels: {}}]
      },
    },
  }
  return e as unknown as EngineClient & {lists: number}
}

describe('runtime/pull-push: --dry-run', () => {
  it('pull: each image once, with the reason its policy gives; skipped images are no steps', async () => {
    const e = engine()
    const steps = await planPull(e, demo)
    assert.deepEqual(steps.map((s) => `${s.resource} ${s.action} | ${s.cause}`), [
      'image:postgres:16 pull | service db',
      'image:redis:7 pull | service cache (not found locally)',
      'image:nginx pull | service pinned (pull_policy: always)',
      'image:127.0.0.1:5000/api:1 pull | services api, worker',
    ])
    assert.equal(e.lists, 1, 'one list call for the policies that ask what is here')
  })

  it('pull --policy always / missing, --ignore-buildable, services named', async () => {
    assert.deepEqual((await planPull(engine(), demo, {policy: 'always', services: ['here', 'local']})).map((s) => s.cause), ['service here (--policy always)', 'service local (--policy always)'])
    assert.deepEqual((await planPull(engine(), demo, {policy: 'missing', services: ['here', 'db']})).map((s) => s.resource), ['image:postgres:16'])
    assert.deepEqual((await planPull(engine(), demo, {ignoreBuildable: true})).map((s) => s.resource), ['image:postgres:16', 'image:redis:7', 'image:nginx'])
    await assert.rejects(planPull(engine(), demo, {services: ['nope']}), /no such service: nope/)
  })

  it('push: services with build: and image:, once per image, with the registry', () => {
    assert.deepEqual(planPush(demo), [{resource: 'image:127.0.0.1:5000/api:1', action: 'push', cause: 'services api, worker (to 127.0.0.1:5000)'}])
    assert.deepEqual(planPush(demo, {services: ['db']}), [])
  })

  it('exec: the command as a shell would take it back', () => {
    assert.equal(commandText(['echo', 'hi']), 'echo hi')
    assert.equal(commandText(['sh', '-c', 'echo $HOME']), `sh -c 'echo $HOME'`)
    assert.equal(commandText(['printf', "it's", '']), `printf 'it'\\''s' ''`)
    assert.equal(commandText(['ls', '-l', '/var/log', 'a=b', 'x@y:1']), 'ls -l /var/log a=b x@y:1')
  })
})
