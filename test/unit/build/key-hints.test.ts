import {strict as assert} from 'node:assert'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {KeyHints, keyHintsFileFor} from '../../../src/build/cache.js'

describe('build key hints (local file)', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'berth-key-hints-'))
  })
  afterEach(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  it('remembers key -> image id across loads, written only when something changed', async () => {
    const file = path.join(dir, 'sub', 'hints.json')
    const first = await KeyHints.load(file)
    assert.equal(first.size, 0)
    await first.save()
    assert.throws(() => readFileSync(file), /ENOENT/)
    first.set('sha256:k1', 'sha256:i1')
    await first.save()
    const second = await KeyHints.load(file)
    assert.equal(second.get('sha256:k1'), 'sha256:i1')
    assert.equal(second.get('sha256:other'), undefined)
  })

  it('keeps only the newest 256 entries; setting an entry again makes it the newest', async () => {
    const file = path.join(dir, 'hints.json')
    const hints = await KeyHints.load(file)
    for (let i = 0; i < 256; i++) hints.set(`k${i}`, `i${i}`)
    hints.set('k0', 'i0')
    for (let i = 256; i < 262; i++) hints.set(`k${i}`, `i${i}`)
    assert.equal(hints.size, 256)
    assert.equal(hints.get('k0'), 'i0')
    assert.equal(hints.get('k1'), undefined)
    assert.equal(hints.get('k6'), undefined)
    assert.equal(hints.get('k7'), 'i7')
    assert.equal(hints.get('k261'), 'i261')
  })

  it('re-setting the newest entry is no change; making an older one the newest is saved', async () => {
    const file = path.join(dir, 'hints.json')
    const first = await KeyHints.load(file)
    first.set('a', '1')
    first.set('b', '2')
    await first.save()
    const second = await KeyHints.load(file)
    second.set('b', '2')
    await second.save()
    writeFileSync(file, JSON.stringify({a: '1', b: '2', marker: 'unchanged'}))
    second.set('b', '2')
    await second.save()
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).marker, 'unchanged')
    second.set('a', '1')
    await second.save()
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(file, 'utf8'))), ['b', 'a'])
  })

  it('a corrupt file is no hints, and one file per context directory', async () => {
    const file = path.join(dir, 'hints.json')
    writeFileSync(file, '{not json')
    assert.equal((await KeyHints.load(file)).size, 0)
    assert.notEqual(keyHintsFileFor('/a'), keyHintsFileFor('/b'))
    assert.equal(keyHintsFileFor('/a/../a'), keyHintsFileFor('/a'))
  })
})
