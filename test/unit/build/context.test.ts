import {strict as assert} from 'node:assert'
import {mkdtempSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync, chmodSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {extract} from 'tar-stream'
import {IgnoreMatcher} from '../../../src/build/context/dockerignore.js'
import {walkContext, type WalkedContext} from '../../../src/build/context/walk.js'
import {digestEntries, selectSources, type PlannedEntry} from '../../../src/build/context/select.js'
import {StatCache} from '../../../src/build/context/stat-cache.js'
import {packEntries} from '../../../src/build/context/archive.js'

function makeContext(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-ctx-'))
  const write = (rel: string, content: string, mode = 0o644) => {
    mkdirSync(path.dirname(path.join(dir, rel)), {recursive: true})
    writeFileSync(path.join(dir, rel), content)
    chmodSync(path.join(dir, rel), mode)
  }
  write('Dockerfile', 'FROM x\n')
  write('.dockerignore', 'logs\n!logs/keep.log\n*.tmp\n')
  write('app/main.js', 'main')
  write('app/lib/util.js', 'util')
  write('app/run.sh', '#!/bin/sh\n', 0o755)
  write('logs/a.log', 'a')
  write('logs/keep.log', 'keep')
  write('x.tmp', 'tmp')
  write('a.txt', 'a')
  write('b.txt', 'b')
  symlinkSync('app/main.js', path.join(dir, 'link.js'))
  symlinkSync('../../etc/passwd', path.join(dir, 'escape'))
  symlinkSync('app', path.join(dir, 'applink'))
  return dir
}

describe('build/context', () => {
  let dir: string
  let ctx: WalkedContext
  before(async () => {
    dir = makeContext()
    ctx = await walkContext(dir, IgnoreMatcher.fromText('logs\n!logs/keep.log\n*.tmp\n'))
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('walks the context, applying .dockerignore and keeping parents of re-included files', () => {
    const rels = [...ctx.entries.keys()].sort()
    assert.deepEqual(rels, ['.', '.dockerignore', 'Dockerfile', 'a.txt', 'app', 'app/lib', 'app/lib/util.js', 'app/main.js', 'app/run.sh', 'applink', 'b.txt', 'escape', 'link.js', 'logs', 'logs/keep.log'])
    assert.equal(ctx.entries.get('app/run.sh')!.mode, 0o755)
    assert.equal(ctx.entries.get('link.js')!.linkTarget, 'app/main.js')
  })

  const dests = (entries: PlannedEntry[]) => entries.map((e) => `${e.dest}:${e.type}`)

  it('a directory source copies its contents (plus the destination directory itself)', () => {
    assert.deepEqual(dests(selectSources(ctx, {instruction: 'COPY', sources: ['app'], dest: '/srv'})).sort(), ['/srv/lib/util.js:file', '/srv/lib:dir', '/srv/main.js:file', '/srv/run.sh:file', '/srv:dir'])
  })

  it('a file source goes to dest, or into dest/ with its name', () => {
    assert.deepEqual(dests(selectSources(ctx, {instruction: 'COPY', sources: ['a.txt'], dest: '/x/y'})), ['/x/y:file'])
    assert.deepEqual(dests(selectSources(ctx, {instruction: 'COPY', sources: ['./a.txt'], dest: '/x/'})), ['/x/a.txt:file'])
    assert.deepEqual(dests(selectSources(ctx, {instruction: 'COPY', sources: ['/a.txt'], dest: '/x', destIsDir: true})), ['/x/a.txt:file'])
  })

  it('globs match one segment per *; several sources need dest/', () => {
    assert.deepEqual(dests(selectSources(ctx, {instruction: 'COPY', sources: ['*.txt'], dest: '/t/'})), ['/t/a.txt:file', '/t/b.txt:file'])
    assert.deepEqual(dests(selectSources(ctx, {instruction: 'COPY', sources: ['app/*.js'], dest: '/t/'})), ['/t/main.js:file'])
    assert.throws(() => selectSources(ctx, {instruction: 'COPY', sources: ['*.txt'], dest: '/t'}), /more than one source file, the destination must be a directory and end with a \//)
    assert.throws(() => selectSources(ctx, {instruction: 'COPY', sources: ['*.none'], dest: '/t/'}), /no source files were specified/)
  })

  it('refuses sources outside the context and symlinks pointing out', () => {
    assert.throws(() => selectSources(ctx, {instruction: 'COPY', sources: ['../x'], dest: '/'}), /forbidden path outside the build context: \.\.\/x/)
    assert.throws(() => selectSources(ctx, {instruction: 'COPY', sources: ['app/../../x'], dest: '/'}), /outside the build context/)
    assert.throws(() => selectSources(ctx, {instruction: 'COPY', sources: ['escape'], dest: '/e'}), /symlink to \.\.\/\.\.\/etc\/passwd, outside the build context/)
  })

  it('follows symlinks named as sources (and through symlinked directories) inside the context', () => {
    const viaLink = selectSources(ctx, {instruction: 'COPY', sources: ['link.js'], dest: '/l'})
    assert.equal(viaLink[0].source?.rel, 'app/main.js')
    const viaDir = selectSources(ctx, {instruction: 'COPY', sources: ['applink/lib/util.js'], dest: '/u'})
    assert.equal(viaDir[0].source?.rel, 'app/lib/util.js')
  })

  it('excluded files are not found; re-included ones are', () => {
    assert.throws(() => selectSources(ctx, {instruction: 'COPY', sources: ['logs/a.log'], dest: '/l'}), /file not found in build context or excluded by \.dockerignore/)
    assert.deepEqual(dests(selectSources(ctx, {instruction: 'COPY', sources: ['logs'], dest: '/l/'})).sort(), ['/l/keep.log:file', '/l:dir'])
  })

  it('--chmod applies to files and directories; heredoc files are 0644', () => {
    const entries = selectSources(ctx, {instruction: 'COPY', sources: ['app'], dest: '/srv', chmod: 0o600, inline: []})
    assert.ok(entries.every((e) => e.mode === 0o600))
    const inline = selectSources(ctx, {instruction: 'COPY', sources: [], inline: [{name: 'hello.txt', content: 'hi\n'}], dest: '/etc/'})
    assert.deepEqual(inline.map((e) => [e.dest, e.mode, e.content?.toString()]), [['/etc/hello.txt', 0o644, 'hi\n']])
  })

  it('the digest covers content, mode, owner and path but not mtime', async () => {
    const cache = await StatCache.load(undefined)
    const select = () => selectSources(ctx, {instruction: 'COPY', sources: ['app'], dest: '/srv'})
    const base = await digestEntries(select(), '', cache)
    assert.equal(await digestEntries(select(), '', cache), base)
    assert.notEqual(await digestEntries(select(), '1000:1000', cache), base)
    assert.notEqual(await digestEntries(selectSources(ctx, {instruction: 'COPY', sources: ['app'], dest: '/srv2'}), '', cache), base)
    assert.notEqual(await digestEntries(selectSources(ctx, {instruction: 'COPY', sources: ['app'], dest: '/srv', chmod: 0o700}), '', cache), base)

    // touch: new mtime, same content -> same digest (one re-hash)
    const file = path.join(dir, 'app/main.js')
    utimesSync(file, new Date(), new Date(Date.now() + 5000))
    const touched = await walkContext(dir, IgnoreMatcher.fromText('logs\n!logs/keep.log\n*.tmp\n'))
    const before = cache.hashedFiles
    assert.equal(await digestEntries(selectSources(touched, {instruction: 'COPY', sources: ['app'], dest: '/srv'}), '', cache), base)
    assert.equal(cache.hashedFiles - before, 1)

    // content change -> new digest
    writeFileSync(file, 'changed')
    const changed = await walkContext(dir, IgnoreMatcher.fromText('logs\n!logs/keep.log\n*.tmp\n'))
    assert.notEqual(await digestEntries(selectSources(changed, {instruction: 'COPY', sources: ['app'], dest: '/srv'}), '', cache), base)
    writeFileSync(file, 'main')
  })

  it('the stat cache persists hashes between runs', async () => {
    const file = path.join(dir, 'cache.json')
    const first = await StatCache.load(file)
    const entry = ctx.entries.get('a.txt')!
    const hash = await first.hash(entry)
    await first.save()
    const second = await StatCache.load(file)
    assert.equal(await second.hash(entry), hash)
    assert.equal(second.hashedFiles, 0)
  })

  it('packs a tar with names, modes, owners, mtimes and link targets', async () => {
    const entries = selectSources(ctx, {instruction: 'COPY', sources: ['app', 'link.js'], dest: '/srv/'})
    // link.js was followed to the file; add a real symlink entry too
    entries.push({dest: '/srv/ln', type: 'symlink', mode: 0o777, mtimeMs: 0, linkTarget: 'main.js'})
    const stream = packEntries(entries, {uid: 1000, gid: 2000})
    const seen: Array<[string, string, number, number, number, string]> = []
    await new Promise<void>((resolve, reject) => {
      const x = extract()
      x.on('entry', (h, body, next) => {
        const chunks: Buffer[] = []
        body.on('data', (c: unknown) => {
          chunks.push(c as Buffer)
        })
        body.on('end', () => {
          seen.push([h.name, h.type ?? '', h.mode ?? 0, h.uid ?? -1, h.gid ?? -1, h.type === 'symlink' ? (h.linkname ?? '') : Buffer.concat(chunks).toString()])
          next()
        })
      })
      x.on('finish', resolve)
      x.on('error', reject)
      stream.pipe(x)
    })
    const byName = new Map(seen.map((s) => [s[0], s]))
    // a directory source puts its contents into the destination
    assert.deepEqual(byName.get('srv/run.sh'), ['srv/run.sh', 'file', 0o755, 1000, 2000, '#!/bin/sh\n'])
    assert.deepEqual(byName.get('srv/lib/'), ['srv/lib/', 'directory', ctx.entries.get('app/lib')!.mode, 1000, 2000, ''])
    assert.deepEqual(byName.get('srv/link.js')?.[5], 'main')
    assert.equal(byName.has('srv/main.js'), true)
    assert.deepEqual(byName.get('srv/ln')?.slice(1), ['symlink', 0o777, 1000, 2000, 'main.js'])
  })
})
