import {strict as assert} from 'node:assert'
import type {EngineClient} from '../../../src/engine/client.js'
import type {EngineRequest} from '../../../src/engine/client.js'
import {BerthError} from '../../../src/errors.js'
import {localDigest, pinnedReference, resolveImageDigests} from '../../../src/runtime/image-digests.js'

const D1 = 'sha256:' + '1'.repeat(64)
const D2 = 'sha256:' + '2'.repeat(64)

/** An engine with these local images; the registry knows `registry` (image -> digest), or fails. */
function fakeEngine(images: Array<{tags: string[]; digests: string[]}>, registry: Record<string, string> = {}) {
  const asked: string[] = []
  let lists = 0
  const engine = {
    images: {
      list: async () => {
        lists++
        return images.map((i, n) => ({Id: `sha256:${String(n).padStart(64, '0')}`, RepoTags: i.tags, RepoDigests: i.digests, Labels: {}}))
      },
    },
    json: async (req: EngineRequest) => {
      const name = decodeURIComponent(req.path.replace(/^\/distribution\//, '').replace(/\/json$/, ''))
      asked.push(name)
      const digest = registry[name]
      if (!digest) throw Object.assign(new Error('Error response from daemon: manifest unknown'), {daemonMessage: 'manifest unknown: manifest unknown'})
      return {Descriptor: {digest}}
    },
  }
  return {engine: engine as unknown as EngineClient, asked, lists: () => lists}
}

describe('runtime/image-digests', () => {
  it('writes name:tag@digest, adding :latest to a name without a tag; a pinned image stays as written', () => {
    assert.equal(pinnedReference('busybox', D1), `busybox:latest@${D1}`)
    assert.equal(pinnedReference('127.0.0.1:5000/app:1', D1), `127.0.0.1:5000/app:1@${D1}`)
    assert.equal(pinnedReference('127.0.0.1:5000/app', D1), `127.0.0.1:5000/app:latest@${D1}`)
    assert.equal(pinnedReference(`app@${D2}`, D1), `app@${D2}`)
  })

  it('takes the digest of the same repository from the local image (docker.io names included)', () => {
    const images = [
      {id: 'sha256:a', repoTags: ['busybox:latest', 'mirror.local/busybox:1'], repoDigests: [`busybox@${D1}`, `mirror.local/busybox@${D2}`], labels: {}},
      {id: 'sha256:b', repoTags: ['built:1'], repoDigests: [], labels: {}},
    ]
    assert.equal(localDigest(images, 'busybox'), D1)
    assert.equal(localDigest(images, 'docker.io/library/busybox:latest'), D1)
    assert.equal(localDigest(images, 'mirror.local/busybox:1'), D2)
    assert.equal(localDigest(images, 'built:1'), undefined)
    assert.equal(localDigest(images, 'absent:1'), undefined)
  })

  it('leaves the choice to the registry when the local image has several digests for the repository', () => {
    const images = [{id: 'sha256:a', repoTags: ['app:1', 'app:2'], repoDigests: [`app@${D1}`, `app@${D2}`], labels: {}}]
    assert.equal(localDigest(images, 'app:1'), undefined)
  })

  it('pins every service with one list call, asking the registry only for images without a local digest', async () => {
    const fake = fakeEngine([{tags: ['busybox:latest'], digests: [`busybox@${D1}`]}, {tags: ['127.0.0.1:5000/app:1'], digests: []}], {'127.0.0.1:5000/app:1': D2})
    const pinned = await resolveImageDigests(fake.engine, {web: 'busybox', worker: 'busybox', app: '127.0.0.1:5000/app:1', fixed: `x@${D2}`})
    assert.deepEqual(pinned, {web: `busybox:latest@${D1}`, worker: `busybox:latest@${D1}`, app: `127.0.0.1:5000/app:1@${D2}`, fixed: `x@${D2}`})
    assert.equal(fake.lists(), 1)
    assert.deepEqual(fake.asked, ['127.0.0.1:5000/app:1'])
  })

  it('an image with no digest anywhere is one error naming the image, its services and why', async () => {
    const fake = fakeEngine([{tags: ['built:1'], digests: []}])
    await assert.rejects(resolveImageDigests(fake.engine, {b: 'built:1', a: 'built:1'}), (error: unknown) => {
      assert.ok(error instanceof BerthError)
      assert.equal(error.code, 'IMAGE_DIGEST_UNKNOWN')
      assert.equal(
        error.message,
        'cannot pin image "built:1" (service a, b) to a digest: the local image has no digest from its registry, and asking its registry failed: manifest unknown: manifest unknown',
      )
      assert.ok(!error.message.includes('\n'))
      return true
    })
    await assert.rejects(resolveImageDigests(fakeEngine([]).engine, {web: 'absent:1'}), /"absent:1" \(service web\) to a digest: it is not here/)
  })

  it('makes no engine call when there is nothing to pin', async () => {
    const fake = fakeEngine([])
    assert.deepEqual(await resolveImageDigests(fake.engine, {a: `x@${D1}`}), {a: `x@${D1}`})
    assert.equal(fake.lists(), 0)
  })
})
