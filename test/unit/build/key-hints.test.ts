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

  it('keeps only the newest 64 entries', async () => {
    const file = path.join(dir, 'hints.json')
    const hints = await KeyHints.load(file)
    for (let i = 0; i < 70; i++) hints.set(`k${i}`, `i${i}`)
    assert.equal(hints.size, 64)
    assert.equal(hints.get('k5'), undefined)
    assert.equal(hints.get('k6'), 'i6')
    assert.equal(hints.get('k69'), 'i69')
  })

  it('a corrupt file is no hints, and one file per context directory', async () => {
    const file = path.join(dir, 'hints.json')
    writeFileSync(file, '{not json')
    assert.equal((await KeyHints.load(file)).size, 0)
    assert.notEqual(keyHintsFileFor('/a'), keyHintsFileFor('/b'))
    assert.equal(keyHintsFileFor('/a/../a'), keyHintsFileFor('/a'))
  })
})
