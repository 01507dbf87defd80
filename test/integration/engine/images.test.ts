import assert from 'node:assert/strict'
import {EngineStreamError, NotFoundError, type EngineClient, type ProgressMessage} from '../../../src/engine/index.js'
import {BASE_IMAGE, buildRootfsTar} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'
import {startRegistry, type TestRegistry} from '../../support/registry.js'

/** A tar of the given files, in memory. */
async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const {pack} = await import('tar-stream')
  const tar = pack()
  for (const [name, content] of Object.entries(files)) tar.entry({name}, content)
  tar.finalize()
  const chunks: Buffer[] = []
  for await (const chunk of tar) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

describe('engine: images (private dockerd, local registry)', () => {
  let engine: EngineClient
  let registry: TestRegistry

  before(async () => {
    engine = testClient()
    registry = await startRegistry()
  })
  after(async () => {
    await registry?.stop()
    await engine.close()
  })

  it('imports a rootfs tar with changes and tags it', async () => {
    const id = await engine.images.import(await buildRootfsTar(), {repository: 'berth-test/imported', tag: 'v1', changes: ['ENV GREETING=hello', 'WORKDIR /www', 'CMD ["httpd", "-f"]']})
    assert.match(id, /^sha256:[0-9a-f]{64}$/)
    const image = await engine.images.inspect('berth-test/imported:v1')
    assert.equal(image.Id, id)
    assert.ok(image.Config.Env?.includes('GREETING=hello'))
    assert.equal(image.Config.WorkingDir, '/www')
    assert.deepEqual(image.Config.Cmd, ['httpd', '-f'])
    await engine.images.tag('berth-test/imported:v1', 'berth-test/imported:v2')
    const listed = await engine.images.list({filters: {reference: ['berth-test/imported']}})
    assert.deepEqual(listed.flatMap((i) => i.RepoTags ?? []).sort(), ['berth-test/imported:v1', 'berth-test/imported:v2'])
    const removed = await engine.images.remove('berth-test/imported:v2')
    assert.deepEqual(removed, [{Untagged: 'berth-test/imported:v2'}])
    assert.equal(await engine.images.find('berth-test/imported:v2'), undefined)
  })

  it('pushes to and pulls from a local registry with progress', async () => {
    const name = `${registry.address}/berth/busybox:push-test`
    await engine.images.tag(BASE_IMAGE, name)
    const pushed: ProgressMessage[] = []
    const push = await engine.images.push(name, {onProgress: (m) => pushed.push(m)})
    const digest = push.aux.find((a) => typeof a.Digest === 'string')?.Digest
    assert.match(String(digest), /^sha256:/)
    assert.ok(pushed.some((m) => m.status === 'Pushed' || m.status === 'Layer already exists'))
    await engine.images.remove(name)
    assert.equal(await engine.images.find(name), undefined)

    const statuses: string[] = []
    await engine.images.pull(name, {onProgress: (m) => m.status && statuses.push(m.status)})
    assert.ok(statuses.some((s) => s.startsWith('Digest: sha256:')), statuses.join('|'))
    assert.ok(statuses.some((s) => s.startsWith('Status: Downloaded newer image')))
    const pulled = await engine.images.inspect(name)
    assert.ok(pulled.RepoDigests.some((d) => d.endsWith(String(digest))))
  })

  it('answers a missing image in the registry with NotFoundError', async () => {
    await assert.rejects(engine.images.pull(`${registry.address}/berth/absent:nope`), (error: unknown) => {
      assert.ok(error instanceof NotFoundError, String(error))
      assert.equal(error.kind, 'image')
      assert.equal(error.ref, `${registry.address}/berth/absent:nope`)
      assert.match(error.message, /absent/)
      return true
    })
  })

  it('saves and loads images', async () => {
    await engine.images.tag(BASE_IMAGE, 'berth-test/saved:one')
    const chunks: Buffer[] = []
    for await (const chunk of await engine.images.save(['berth-test/saved:one'])) chunks.push(chunk as Buffer)
    await engine.images.remove('berth-test/saved:one')
    const loaded = await engine.images.load(Buffer.concat(chunks))
    assert.deepEqual(loaded, ['berth-test/saved:one'])
  })

  it('commits a container and builds from a context tar', async () => {
    const {Id} = await engine.containers.create({Image: BASE_IMAGE, Cmd: ['sh', '-c', 'echo made > /made.txt']})
    await engine.containers.start(Id)
    await engine.containers.wait(Id)
    const committed = await engine.images.commit(Id, {repository: 'berth-test/committed', tag: 'latest', changes: ['LABEL made=yes']})
    await engine.containers.remove(Id)
    assert.equal((await engine.images.inspect('berth-test/committed')).Id, committed)
    assert.equal((await engine.images.inspect('berth-test/committed')).Config.Labels?.made, 'yes')

    const tar = await tarOf({Dockerfile: 'FROM berth-test/committed\nRUN cat /made.txt > /copied.txt\nLABEL built=yes\n'})
    const messages: string[] = []
    const id = await engine.images.build(tar, {tags: ['berth-test/built:latest'], onProgress: (m) => m.stream && messages.push(m.stream)})
    assert.match(id, /^sha256:/)
    assert.equal((await engine.images.inspect('berth-test/built:latest')).Config.Labels?.built, 'yes')

    const failing = await tarOf({Dockerfile: 'FROM berth-test/committed\nRUN exit 7\n'})
    await assert.rejects(engine.images.build(failing, {tags: ['berth-test/failing']}), (error: unknown) => error instanceof EngineStreamError && /exit|returned a non-zero code: 7/.test(error.message))
  })
})
