/**
 * The builder's tar writer, read back by two independent readers: tar-stream's extract and GNU tar.
 * Short and long paths (ustar prefix split, PAX path), long link targets, ids and sizes beyond
 * ustar's octal fields, and the archive packers (stream and one buffer) giving the same bytes.
 */
import {strict as assert} from 'node:assert'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {extract, type Header} from 'tar-stream'
import {encodeHeader, endOfArchive, padding, paxRecord, splitName, type TarHeader} from '../../../src/build/context/tar.js'
import {packEntries, packToBuffer, packedSize} from '../../../src/build/context/archive.js'
import {IgnoreMatcher} from '../../../src/build/context/dockerignore.js'
import {selectSources} from '../../../src/build/context/select.js'
import {walkContext} from '../../../src/build/context/walk.js'

function archive(entries: Array<{header: TarHeader; body?: string}>): Buffer {
  const parts: Buffer[] = []
  for (const {header, body} of entries) {
    const content = Buffer.from(body ?? '')
    parts.push(encodeHeader({...header, size: header.type === 'file' ? content.length : undefined}))
    if (header.type === 'file') parts.push(content, padding(content.length))
  }
  parts.push(endOfArchive())
  return Buffer.concat(parts)
}

async function read(tar: Buffer): Promise<Array<{header: Header; body: string}>> {
  const out: Array<{header: Header; body: string}> = []
  const x = extract()
  const done = (async () => {
    for await (const entry of x) {
      const chunks: Buffer[] = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      out.push({header: entry.header, body: Buffer.concat(chunks).toString()})
    }
  })()
  x.end(tar)
  await done
  return out
}

const base = {mode: 0o644, uid: 0, gid: 0, mtimeMs: 1_700_000_000_500}

describe('build: tar writer', () => {
  it('writes ustar headers tar-stream reads back: names, modes, owners, mtimes (seconds), types, link targets', async () => {
    const tar = archive([
      {header: {...base, name: 'srv/app', type: 'dir', mode: 0o755, uid: 1000, gid: 2000}},
      {header: {...base, name: 'srv/app/run.sh', type: 'file', mode: 0o4755}, body: '#!/bin/sh\n'},
      {header: {...base, name: 'srv/app/ln', type: 'symlink', mode: 0o777, linkname: '../other'}},
      {header: {...base, name: 'srv/app/hard', type: 'link', linkname: 'srv/app/run.sh'}},
      {header: {...base, name: 'dev/fifo', type: 'fifo'}},
      {header: {...base, name: 'dev/null2', type: 'char', devmajor: 1, devminor: 3}},
      {header: {...base, name: 'héllo/wörld.txt', type: 'file'}, body: 'ü'},
    ])
    assert.equal(tar.length % 512, 0)
    const entries = await read(tar)
    const seen = entries.map(({header: h, body}) => [h.name, h.type, h.mode, h.uid, h.gid, h.mtime?.getTime(), h.linkname ?? null, body])
    assert.deepEqual(seen, [
      ['srv/app/', 'directory', 0o755, 1000, 2000, 1_700_000_000_000, null, ''],
      ['srv/app/run.sh', 'file', 0o4755, 0, 0, 1_700_000_000_000, null, '#!/bin/sh\n'],
      ['srv/app/ln', 'symlink', 0o777, 0, 0, 1_700_000_000_000, '../other', ''],
      ['srv/app/hard', 'link', 0o644, 0, 0, 1_700_000_000_000, 'srv/app/run.sh', ''],
      ['dev/fifo', 'fifo', 0o644, 0, 0, 1_700_000_000_000, null, ''],
      ['dev/null2', 'character-device', 0o644, 0, 0, 1_700_000_000_000, null, ''],
      ['héllo/wörld.txt', 'file', 0o644, 0, 0, 1_700_000_000_000, null, 'ü'],
    ])
    assert.deepEqual([entries[5].header.devmajor, entries[5].header.devminor], [1, 3])
  })

  it('long paths: split into ustar prefix and name when they fit, else a PAX record; long link targets and big ids in PAX', async () => {
    const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}/file.txt`
    const oneSegment = `dir/${'x'.repeat(150)}.txt`
    const longLink = `../${'l'.repeat(200)}`
    assert.deepEqual(splitName(deep), {prefix: `${'d'.repeat(60)}/${'e'.repeat(60)}`, name: `${'f'.repeat(60)}/file.txt`})
    assert.equal(splitName(oneSegment), undefined)
    assert.equal(encodeHeader({...base, name: deep, type: 'file', size: 1}).length, 512)
    assert.ok(encodeHeader({...base, name: oneSegment, type: 'file', size: 1}).length > 512)
    const tar = archive([
      {header: {...base, name: deep, type: 'file'}, body: 'deep'},
      {header: {...base, name: `${deep.slice(0, -9)}/subdir`, type: 'dir'}},
      {header: {...base, name: oneSegment, type: 'file'}, body: 'one'},
      {header: {...base, name: 'ln', type: 'symlink', linkname: longLink}},
      {header: {...base, name: 'big-ids', type: 'file', uid: 3_000_000, gid: 4_000_000}, body: 'ids'},
    ])
    const entries = await read(tar)
    assert.deepEqual(entries.map((e) => [e.header.name, e.body]), [[deep, 'deep'], [`${deep.slice(0, -9)}/subdir/`, ''], [oneSegment, 'one'], ['ln', ''], ['big-ids', 'ids']])
    assert.equal(entries[3].header.linkname, longLink)
    // tar-stream keeps PAX ids as records (GNU tar applies them: next test).
    const pax = entries[4].header.pax as Record<string, string> | undefined
    assert.deepEqual([pax?.uid, pax?.gid], ['3000000', '4000000'])
  })

  it('GNU tar lists the same archive (checksums and PAX records it accepts)', function () {
    if (spawnSync('tar', ['--version']).status !== 0) this.skip()
    const deep = `${'a'.repeat(90)}/${'b'.repeat(90)}/c.txt`
    const long = `x/${'y'.repeat(300)}`
    const tar = archive([
      {header: {...base, name: 'top', type: 'dir', mode: 0o750}},
      {header: {...base, name: 'top/f.txt', type: 'file', uid: 1000, gid: 1000}, body: 'hello'},
      {header: {...base, name: deep, type: 'file'}, body: 'deep'},
      {header: {...base, name: long, type: 'file'}, body: 'long'},
      {header: {...base, name: 'big-ids', type: 'file', uid: 3_000_000, gid: 4_000_000}, body: 'ids'},
    ])
    const listing = execFileSync('tar', ['-tvf', '-', '--numeric-owner'], {input: tar, encoding: 'utf8'}).trim().split('\n')
    assert.equal(listing.length, 5)
    assert.match(listing[0], /^drwxr-x--- 0\/0 +0 .* top\/$/)
    assert.match(listing[1], /^-rw-r--r-- 1000\/1000 +5 .* top\/f\.txt$/)
    assert.ok(listing[2].endsWith(` ${deep}`), listing[2])
    assert.ok(listing[3].endsWith(` ${long}`), listing[3])
    assert.match(listing[4], /^-rw-r--r-- 3000000\/4000000 +3 .* big-ids$/)
  })

  it('PAX record lengths count their own digits', () => {
    for (const value of ['a', 'b'.repeat(89), 'c'.repeat(90), 'd'.repeat(993), 'é'.repeat(50)]) {
      const record = paxRecord('path', value)
      assert.equal(Number(record.split(' ')[0]), Buffer.byteLength(record), `${value.length} characters`)
      assert.ok(record.endsWith(`path=${value}\n`))
    }
  })

  it('packEntries (stream) and packToBuffer (one buffer) write the same bytes for a context copy', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-tar-'))
    try {
      mkdirSync(path.join(dir, 'app/lib'), {recursive: true})
      for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, 'app/lib', `f${i}.txt`), `file ${i}\n`.repeat(i))
      writeFileSync(path.join(dir, 'app/empty'), '')
      const ctx = await walkContext(dir, IgnoreMatcher.fromText(''))
      const entries = selectSources(ctx, {instruction: 'COPY', sources: ['app'], dest: '/srv/'})
      entries.push({dest: '/srv/inline.txt', type: 'file', mode: 0o600, mtimeMs: 0, content: Buffer.from('inline\n')})
      const chunks: Buffer[] = []
      for await (const chunk of packEntries(entries, {uid: 7, gid: 8})) chunks.push(chunk as Buffer)
      const streamed = Buffer.concat(chunks)
      const buffered = await packToBuffer(entries, {uid: 7, gid: 8})
      assert.ok(streamed.equals(buffered))
      assert.ok(packedSize(entries) >= buffered.length)
      const read1 = await read(buffered)
      assert.equal(read1.length, entries.length)
      assert.equal(read1.find((e) => e.header.name === 'srv/lib/f3.txt')?.body, 'file 3\n'.repeat(3))
      assert.deepEqual(read1.find((e) => e.header.name === 'srv/inline.txt')?.header.mode, 0o600)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
