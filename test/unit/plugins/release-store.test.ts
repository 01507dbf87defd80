import {strict as assert} from 'node:assert'
import {mkdtemp, readdir, readFile, rm, writeFile, mkdir} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BerthError} from '../../../src/errors.js'
import {releaseStoreFor} from '../../../src/plugins/sdk/host.js'
import {FileReleaseStore, MemoryReleaseStore, type ReleaseRecord, type ReleaseStore} from '../../../src/plugins/sdk/release-store.js'

function record(name: string, revision: number, status = 'deployed'): ReleaseRecord {
  return {name, revision, status, updatedAt: `2026-11-22T15:0${revision}:00Z`, data: {values: {replicas: revision}}}
}

function contract(make: () => Promise<ReleaseStore>) {
  it('gets the latest revision, or a given one', async () => {
    const store = await make()
    await store.put(record('web', 1, 'superseded'))
    await store.put(record('web', 2))
    assert.equal((await store.get('web'))?.revision, 2)
    assert.equal((await store.get('web', 1))?.status, 'superseded')
    assert.equal(await store.get('web', 3), undefined)
    assert.equal(await store.get('api'), undefined)
  })

  it('lists by name then revision, all releases or one', async () => {
    const store = await make()
    await store.put(record('web', 2))
    await store.put(record('api', 1))
    await store.put(record('web', 1))
    assert.deepEqual((await store.list()).map((r) => `${r.name}:${r.revision}`), ['api:1', 'web:1', 'web:2'])
    assert.deepEqual((await store.list('web')).map((r) => r.revision), [1, 2])
    assert.deepEqual(await store.list('db'), [])
  })

  it('put replaces a revision; records round-trip intact', async () => {
    const store = await make()
    await store.put(record('web', 1))
    await store.put({...record('web', 1), status: 'failed'})
    assert.deepEqual(await store.get('web', 1), {...record('web', 1), status: 'failed'})
  })

  it('delete removes one revision or all, and says how many', async () => {
    const store = await make()
    for (const n of [1, 2, 3]) await store.put(record('web', n))
    assert.equal(await store.delete('web', 2), 1)
    assert.equal(await store.delete('web', 2), 0)
    assert.deepEqual((await store.list('web')).map((r) => r.revision), [1, 3])
    assert.equal(await store.delete('web'), 2)
    assert.deepEqual(await store.list(), [])
  })

  it('refuses names that could escape the store, and bad revisions', async () => {
    const store = await make()
    for (const name of ['../etc', 'Web', 'a/b', '', '-x', 'x'.repeat(54)]) {
      await assert.rejects(store.put(record(name, 1)), (e: unknown) => e instanceof BerthError && e.code === 'RELEASE_NAME_INVALID', name)
    }
    await assert.rejects(store.put(record('web', 0)), (e: unknown) => e instanceof BerthError && e.code === 'RELEASE_REVISION_INVALID')
  })
}

describe('MemoryReleaseStore', () => {
  contract(async () => new MemoryReleaseStore())

  it('hands out copies, so callers cannot change stored history', async () => {
    const store = new MemoryReleaseStore()
    const r = record('web', 1)
    await store.put(r)
    ;(r.data as {values: {replicas: number}}).values.replicas = 99
    const got = await store.get('web')
    ;(got!.data as {values: {replicas: number}}).values.replicas = 42
    assert.deepEqual((await store.get('web'))!.data, {values: {replicas: 1}})
  })
})

describe('FileReleaseStore', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-releases-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  contract(async () => new FileReleaseStore(join(dir, 'releases', 'local')))

  it('keeps one JSON file per revision and leaves no temporary files', async () => {
    const store = new FileReleaseStore(dir)
    await store.put(record('web', 1))
    await store.put(record('web', 2))
    assert.deepEqual((await readdir(join(dir, 'web'))).sort(), ['1.json', '2.json'])
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'web', '2.json'), 'utf8')), record('web', 2))
  })

  it('concurrent puts of one revision leave one whole record', async () => {
    const store = new FileReleaseStore(dir)
    await Promise.all(Array.from({length: 20}, (_, i) => store.put({...record('web', 1), status: `s${i}`})))
    const text = await readFile(join(dir, 'web', '1.json'), 'utf8')
    assert.match(JSON.parse(text).status, /^s\d+$/)
    assert.deepEqual(await readdir(join(dir, 'web')), ['1.json'])
  })

  it('ignores stray files and reports a corrupt record by its path', async () => {
    const store = new FileReleaseStore(dir)
    await store.put(record('web', 1))
    await writeFile(join(dir, 'web', '1.json.123.ab.tmp'), '{half')
    await mkdir(join(dir, 'NOT-A-RELEASE'))
    assert.deepEqual((await store.list()).map((r) => r.revision), [1])
    await writeFile(join(dir, 'web', '2.json'), '{half')
    await assert.rejects(store.get('web'), (e: unknown) => e instanceof BerthError && e.code === 'RELEASE_RECORD_CORRUPT' && e.message.includes(join(dir, 'web', '2.json')))
  })

  it('a missing directory is an empty store', async () => {
    const store = new FileReleaseStore(join(dir, 'nothing'))
    assert.deepEqual(await store.list(), [])
    assert.equal(await store.get('web'), undefined)
    assert.equal(await store.delete('web'), 0)
  })
})

describe('releaseStoreFor', () => {
  it("uses the target's own store, else files under <dataDir>/releases/<target>", async () => {
    const own = new MemoryReleaseStore()
    assert.equal(releaseStoreFor({name: 'kube', releaseStore: () => own}, {dataDir: '/d'}), own)
    const files = releaseStoreFor({name: 'local'}, {dataDir: '/d'})
    assert.ok(files instanceof FileReleaseStore)
    assert.equal(files.dir, '/d/releases/local')
  })
})
