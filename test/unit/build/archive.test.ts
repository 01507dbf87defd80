/**
 * The builder's archives (src/build/context/archive.ts, written with tar-stream's pack), read back
 * by two independent readers: tar-stream's extract and GNU tar. Names, modes (setuid, 000), owners
 * (ids beyond ustar's fields as PAX records), mtimes, symlinks, hard links, directories, devices;
 * long paths and link targets; a context copy as a stream and as one buffer; a large file streamed;
 * ADD's local tars (plain and gzip) re-rooted with their hard links.
 */
import {strict as assert} from 'node:assert'
import {execFileSync, spawnSync} from 'node:child_process'
import {linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {extract, type Header} from 'tar-stream'
import {packEntries, packToBuffer, packedSize, tarBuffer, type EntryHeader} from '../../../src/build/context/archive.js'
import {IgnoreMatcher} from '../../../src/build/context/dockerignore.js'
import {selectSources, type PlannedEntry} from '../../../src/build/context/select.js'
import {walkContext} from '../../../src/build/context/walk.js'
import {loadTarStream} from '../../../src/build/load-tar-stream.js'

type Read = Array<{header: Header & {pax?: Record<string, string> | null}; body: string}>

async function read(tar: Buffer): Promise<Read> {
  const out: Read = []
  const x = extract()
  const done = (async () => {
    for await (const entry of x) {
      const chunks: Buffer[] = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      out.push({header: entry.header as Read[number]['header'], body: Buffer.concat(chunks).toString()})
    }
  })()
  x.end(tar)
  await done
  return out
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const haveTar = spawnSync('tar', ['--version']).status === 0
/** `tar -tv` lines of an archive, ids as numbers. */
function gnuList(tar: Buffer): string[] {
  return execFileSync('tar', ['-tvf', '-', '--numeric-owner'], {input: tar, encoding: 'utf8'}).trim().split('\n')
}

const base = {mode: 0o644, uid: 0, gid: 0, mtimeMs: 1_700_000_000_500}
const file = (name: string, body: string, extra: Partial<EntryHeader> = {}) => ({header: {...base, name, type: 'file' as const, ...extra}, body: Buffer.from(body)})
const entry = (name: string, type: EntryHeader['type'], extra: Partial<EntryHeader> = {}) => ({header: {...base, name, type, ...extra}})

describe('build: archives (tar-stream)', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'berth-archive-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('loads tar-stream (the package when there is no bundle), once', async () => {
    const first = await loadTarStream()
    assert.equal(typeof first.pack, 'function')
    assert.equal(typeof first.extract, 'function')
    assert.equal(await loadTarStream(), first)
  })

  it('headers read back by tar-stream: names, modes, owners, mtimes (seconds), types, link targets, devices', async () => {
    const tar = await tarBuffer([
      entry('/srv/app', 'directory', {mode: 0o755, uid: 1000, gid: 2000}),
      file('srv/app/run.sh', '#!/bin/sh\n', {mode: 0o4755}),
      file('srv/app/secret', 'x', {mode: 0}),
      entry('srv/app/ln', 'symlink', {mode: 0o777, linkname: '../other'}),
      entry('srv/app/hard', 'link', {linkname: 'srv/app/run.sh'}),
      entry('dev/fifo', 'fifo'),
      entry('dev/null2', 'character-device', {devmajor: 1, devminor: 3}),
      file('héllo/wörld.txt', 'ü'),
    ])
    assert.equal(tar.length % 512, 0)
    const entries = await read(tar)
    const seen = entries.map(({header: h, body}) => [h.name, h.type, h.mode, h.uid, h.gid, h.mtime?.getTime(), h.linkname ?? null, body])
    assert.deepEqual(seen, [
      ['srv/app/', 'directory', 0o755, 1000, 2000, 1_700_000_000_000, null, ''],
      ['srv/app/run.sh', 'file', 0o4755, 0, 0, 1_700_000_000_000, null, '#!/bin/sh\n'],
      ['srv/app/secret', 'file', 0, 0, 0, 1_700_000_000_000, null, 'x'],
      ['srv/app/ln', 'symlink', 0o777, 0, 0, 1_700_000_000_000, '../other', ''],
      ['srv/app/hard', 'link', 0o644, 0, 0, 1_700_000_000_000, 'srv/app/run.sh', ''],
      ['dev/fifo', 'fifo', 0o644, 0, 0, 1_700_000_000_000, null, ''],
      ['dev/null2', 'character-device', 0o644, 0, 0, 1_700_000_000_000, null, ''],
      ['héllo/wörld.txt', 'file', 0o644, 0, 0, 1_700_000_000_000, null, 'ü'],
    ])
    assert.deepEqual([entries[6].header.devmajor, entries[6].header.devminor], [1, 3])
    assert.deepEqual(await tarBuffer([]), Buffer.alloc(1024))
  })

  it('long paths (ustar prefix or PAX), long link targets and big ids (PAX records)', async () => {
    const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}/file.txt`
    const oneSegment = `dir/${'x'.repeat(150)}.txt`
    const longLink = `../${'l'.repeat(200)}`
    const tar = await tarBuffer([
      file(deep, 'deep'),
      entry(`${deep.slice(0, -9)}/subdir`, 'directory'),
      file(oneSegment, 'one'),
      entry('ln', 'symlink', {linkname: longLink}),
      entry('hard', 'link', {linkname: oneSegment}),
      file('big-ids', 'ids', {uid: 3_000_000, gid: 4_000_000}),
      file('edge-ids', 'edge', {uid: 0o777777, gid: 0o777777}),
    ])
    const entries = await read(tar)
    assert.deepEqual(entries.map((e) => [e.header.name, e.header.type, e.body]), [
      [deep, 'file', 'deep'], [`${deep.slice(0, -9)}/subdir/`, 'directory', ''], [oneSegment, 'file', 'one'], ['ln', 'symlink', ''], ['hard', 'link', ''], ['big-ids', 'file', 'ids'], ['edge-ids', 'file', 'edge'],
    ])
    assert.equal(entries[3].header.linkname, longLink)
    assert.equal(entries[4].header.linkname, oneSegment)
    // tar-stream keeps PAX ids as records (GNU tar applies them: next test); the largest ustar id fits.
    assert.deepEqual([entries[5].header.pax?.uid, entries[5].header.pax?.gid], ['3000000', '4000000'])
    assert.deepEqual([entries[6].header.uid, entries[6].header.gid, entries[6].header.pax], [0o777777, 0o777777, null])
  })

  it('GNU tar lists the same archives (checksums and PAX records it accepts)', async function () {
    if (!haveTar) this.skip()
    const deep = `${'a'.repeat(90)}/${'b'.repeat(90)}/c.txt`
    const long = `x/${'y'.repeat(300)}`
    const longLink = `../${'z'.repeat(150)}`
    const listing = gnuList(await tarBuffer([
      entry('top', 'directory', {mode: 0o750}),
      file('top/f.txt', 'hello', {uid: 1000, gid: 1000}),
      file('top/none', '', {mode: 0}),
      file(deep, 'deep'),
      file(long, 'long'),
      file('big-ids', 'ids', {uid: 3_000_000, gid: 4_000_000}),
      entry('top/ln', 'symlink', {mode: 0o777, linkname: longLink}),
      entry('top/hard', 'link', {linkname: 'top/f.txt'}),
    ]))
    assert.equal(listing.length, 8)
    assert.match(listing[0], /^drwxr-x--- 0\/0 +0 2023-11-1[45] \d\d:\d\d top\/$/)
    assert.match(listing[1], /^-rw-r--r-- 1000\/1000 +5 .* top\/f\.txt$/)
    assert.match(listing[2], /^---------- 0\/0 +0 .* top\/none$/)
    assert.ok(listing[3].endsWith(` ${deep}`), listing[3])
    assert.ok(listing[4].endsWith(` ${long}`), listing[4])
    assert.match(listing[5], /^-rw-r--r-- 3000000\/4000000 +3 .* big-ids$/)
    assert.ok(listing[6].startsWith('lrwxrwxrwx') && listing[6].endsWith(` top/ln -> ${longLink}`), listing[6])
    assert.ok(listing[7].endsWith(' top/hard link to top/f.txt'), listing[7])
  })

  it('a context copy: the stream and the one buffer are the same bytes; owners (big ones too), modes, symlinks, a large file streamed', async () => {
    mkdirSync(path.join(dir, 'app/lib'), {recursive: true})
    for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, 'app/lib', `f${i}.txt`), `file ${i}\n`.repeat(i))
    writeFileSync(path.join(dir, 'app/empty'), '')
    symlinkSync('lib/f1.txt', path.join(dir, 'app/ln'))
    const big = Buffer.alloc(3 << 20, 'b')
    writeFileSync(path.join(dir, 'app/big.bin'), big)
    const ctx = await walkContext(dir, IgnoreMatcher.fromText(''))
    const entries = selectSources(ctx, {instruction: 'COPY', sources: ['app'], dest: '/srv/'})
    entries.push({dest: '/srv/inline.txt', type: 'file', mode: 0o600, mtimeMs: 0, content: Buffer.from('inline\n')})
    for (const owner of [{uid: 7, gid: 8}, {uid: 3_000_000, gid: 8}]) {
      const streamed = await collect(packEntries(entries, owner))
      const buffered = await packToBuffer(entries, owner)
      assert.ok(streamed.equals(buffered))
      const small = entries.filter((e) => e.dest !== '/srv/big.bin')
      const smallTar = await packToBuffer(small, owner)
      assert.ok(smallTar.equals(await collect(packEntries(small, owner))))
      // The estimate is for copies packed ahead, owned by root; ids in PAX records add blocks.
      if (owner.uid < 0o777777) assert.ok(packedSize(small) >= smallTar.length)
      const back = await read(buffered)
      assert.equal(back.length, entries.length)
      const byName = new Map(back.map((e) => [e.header.name, e]))
      assert.equal(byName.get('srv/lib/f3.txt')?.body, 'file 3\n'.repeat(3))
      assert.equal(byName.get('srv/big.bin')?.body, big.toString())
      assert.equal(byName.get('srv/inline.txt')?.header.mode, 0o600)
      assert.deepEqual([byName.get('srv/ln')?.header.type, byName.get('srv/ln')?.header.linkname], ['symlink', 'lib/f1.txt'])
      assert.equal(byName.get('srv/lib/')?.header.type, 'directory')
      const uid = (e: Read[number] | undefined) => Number(e?.header.pax?.uid ?? e?.header.uid)
      assert.deepEqual([uid(byName.get('srv/lib/')), uid(byName.get('srv/empty')), byName.get('srv/empty')?.header.gid], [owner.uid, owner.uid, 8])
      if (haveTar) assert.equal(gnuList(buffered).filter((line) => line.includes(` ${owner.uid}/8 `)).length, entries.length)
    }
  })

  it('ADD of a local tar (plain and gzip): entries re-rooted under the destination, hard links with them, owners and long names kept', async function () {
    if (!haveTar) this.skip()
    const src = path.join(dir, 'src')
    const long = `${'n'.repeat(120)}.txt`
    mkdirSync(path.join(src, 'pkg/bin'), {recursive: true})
    writeFileSync(path.join(src, 'pkg/bin/tool'), 'tool\n')
    linkSync(path.join(src, 'pkg/bin/tool'), path.join(src, 'pkg/bin/alias'))
    symlinkSync('bin/tool', path.join(src, 'pkg/current'))
    writeFileSync(path.join(src, 'pkg', long), 'long\n')
    const ctxDir = path.join(dir, 'ctx')
    mkdirSync(ctxDir)
    for (const [name, flags] of [['plain.tar', []], ['zipped.tgz', ['-z']]] as const) {
      execFileSync('tar', ['-c', ...flags, '--format=pax', '--owner=3000000', '--group=42', '--sort=name', '-f', path.join(ctxDir, name), '-C', src, 'pkg'])
    }
    const ctx = await walkContext(ctxDir, IgnoreMatcher.fromText(''))
    for (const name of ['plain.tar', 'zipped.tgz']) {
      const entries: PlannedEntry[] = selectSources(ctx, {instruction: 'ADD', sources: [name], dest: '/opt/'})
      assert.equal(entries.length, 1)
      assert.equal(entries[0].extract, true)
      const tar = await collect(packEntries(entries, {uid: 0, gid: 0}))
      const back = await read(tar)
      const byName = new Map(back.map((e) => [e.header.name, e.header]))
      assert.deepEqual([...byName.keys()].sort(), ['opt/pkg/', 'opt/pkg/bin/', 'opt/pkg/bin/alias', 'opt/pkg/bin/tool', 'opt/pkg/current', `opt/pkg/${long}`].sort(), name)
      // GNU tar writes the second name of an inode as a hard link to the first.
      const hard = [...byName.values()].find((h) => h.type === 'link')
      assert.ok(hard?.linkname === 'opt/pkg/bin/tool' || hard?.linkname === 'opt/pkg/bin/alias', JSON.stringify(hard))
      assert.equal(byName.get('opt/pkg/current')?.linkname, 'bin/tool')
      const listing = gnuList(tar)
      assert.ok(listing.every((line) => line.includes(' 3000000/42 ')), listing.join('\n'))
      assert.ok(listing.some((line) => line.endsWith(` opt/pkg/${long}`)), listing.join('\n'))
      // Unpacked by GNU tar, the hard link and its target are one file.
      const out = path.join(dir, `out-${name}`)
      mkdirSync(out)
      execFileSync('tar', ['-x', '-f', '-', '-C', out], {input: tar})
      assert.equal(execFileSync('stat', ['-c', '%h', path.join(out, 'opt/pkg/bin/alias')], {encoding: 'utf8'}).trim(), '2')
    }
  })
})
