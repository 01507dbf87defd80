/**
 * How steps share containers and commits: the last COPY before a RUN goes into the RUN's container,
 * a COPY followed by another COPY keeps its own image, and metadata steps after the last RUN are a
 * second commit of the RUN's container. What a user sees must not change: the files, the config,
 * and which steps re-run after a change.
 */
import {strict as assert} from 'node:assert'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {EngineClient} from '../../../src/engine/index.js'
import {buildImage, BuildError} from '../../../src/build/index.js'
import {testClient} from '../../support/engine-hooks.js'
import {buildFixture, cacheMap, runIn} from './helpers.js'

describe('build step groups (integration, private dockerd)', function () {
  this.timeout(180_000)
  let engine: EngineClient
  let dir: string
  const unique = () => `${process.pid}-${Date.now()}-${Math.random()}`
  const dockerfile = (text: string) => writeFileSync(path.join(dir, 'Dockerfile'), text)

  before(() => {
    engine = testClient()
  })
  after(async () => {
    await engine.close()
  })
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'berth-build-groups-'))
  })
  afterEach(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  it('COPY, COPY, RUN: a change in either file re-runs from that COPY on, with the new content', async () => {
    writeFileSync(path.join(dir, 'a.txt'), `a ${unique()}\n`)
    writeFileSync(path.join(dir, 'b.txt'), `b ${unique()}\n`)
    dockerfile('FROM berth-test/busybox:latest\nCOPY a.txt /w/\nCOPY b.txt /w/\nRUN cat /w/a.txt /w/b.txt > /w/ab.txt\nCMD ["cat", "/w/ab.txt"]\n')
    const first = await buildFixture(engine, dir)
    assert.ok(first.steps.every((s) => !s.cached), cacheMap(first).join('\n'))

    writeFileSync(path.join(dir, 'b.txt'), 'b changed\n')
    const changedB = await buildFixture(engine, dir)
    assert.deepEqual(cacheMap(changedB), ['CACHED COPY a.txt /w/', 'RAN COPY b.txt /w/', 'RAN RUN cat /w/a.txt /w/b.txt > /w/ab.txt', 'RAN CMD ["cat","/w/ab.txt"]'])
    const a = (await runIn(engine, changedB.imageId, ['cat', '/w/a.txt'])).out
    assert.equal((await runIn(engine, changedB.imageId, ['cat', '/w/ab.txt'])).out, `${a}b changed\n`)

    writeFileSync(path.join(dir, 'a.txt'), 'a changed\n')
    const changedA = await buildFixture(engine, dir)
    assert.ok(cacheMap(changedA).every((s) => s.startsWith('RAN')), cacheMap(changedA).join('\n'))
    assert.equal((await runIn(engine, changedA.imageId, ['cat', '/w/ab.txt'])).out, 'a changed\nb changed\n')

    const again = await buildFixture(engine, dir)
    assert.equal(again.imageId, changedA.imageId)
    assert.ok(again.steps.every((s) => s.cached))
  })

  it('metadata after the last RUN: the final config has it, the RUN image does not, and the RUN stays cached', async () => {
    const tag = unique()
    dockerfile(`FROM berth-test/busybox:latest\nRUN echo ${tag} > /run.txt\nENV AFTER=1\nLABEL org.example.after=yes\nEXPOSE 9000\nCMD ["cat", "/run.txt"]\n`)
    const first = await buildFixture(engine, dir)
    const config = (await engine.images.inspect(first.imageId)).Config
    assert.ok(config.Env?.includes('AFTER=1'))
    assert.equal(config.Labels?.['org.example.after'], 'yes')
    assert.deepEqual(Object.keys(config.ExposedPorts ?? {}), ['9000/tcp'])
    assert.deepEqual(config.Cmd, ['cat', '/run.txt'])
    assert.equal((await runIn(engine, first.imageId, ['cat', '/run.txt'])).out, `${tag}\n`)

    // Another tail on the same RUN: the RUN's own image (without the first tail's config) is reused.
    dockerfile(`FROM berth-test/busybox:latest\nRUN echo ${tag} > /run.txt\nCMD ["ls", "/"]\n`)
    const other = await buildFixture(engine, dir)
    assert.deepEqual(cacheMap(other), [`CACHED RUN echo ${tag} > /run.txt`, 'RAN CMD ["ls","/"]'])
    const otherConfig = (await engine.images.inspect(other.imageId)).Config
    assert.ok(!otherConfig.Env?.includes('AFTER=1'), otherConfig.Env?.join(' '))
    assert.equal(otherConfig.Labels?.['org.example.after'], undefined)
    assert.equal(otherConfig.ExposedPorts ?? null, null)
    assert.deepEqual(otherConfig.Cmd, ['ls', '/'])
  })

  it('without an output view a failing RUN still reports its last 20 lines of output', async () => {
    dockerfile('FROM berth-test/busybox:latest\nRUN for i in $(seq 1 30); do echo line-$i; done; exit 7\n')
    await assert.rejects(buildImage(engine, {context: dir}, {}), (error: unknown) => {
      assert.ok(error instanceof BuildError)
      assert.match(error.message, /exit code 7/)
      const context = String(error.context)
      assert.match(context, /last 20 lines/)
      assert.ok(context.includes('line-30') && context.includes('line-11'), context)
      assert.ok(!context.includes('line-10\n'), context)
      return true
    })
  })

  it('nothing changed is answered from the local hint; a hint whose image is gone falls back to the engine', async () => {
    const tag = unique()
    dockerfile(`FROM berth-test/busybox:latest\nRUN echo ${tag} > /a.txt\nRUN echo ${tag} > /b.txt\n`)
    const first = await buildFixture(engine, dir)
    const again = await buildFixture(engine, dir)
    assert.equal(again.imageId, first.imageId)
    assert.ok(again.steps.every((s) => s.cached))

    await engine.images.remove(first.imageId, {force: true, noprune: true})
    const rebuilt = await buildFixture(engine, dir)
    assert.deepEqual(cacheMap(rebuilt), [`CACHED RUN echo ${tag} > /a.txt`, `RAN RUN echo ${tag} > /b.txt`])
    assert.equal((await runIn(engine, rebuilt.imageId, ['cat', '/b.txt'])).out, `${tag}\n`)
    const last = await buildFixture(engine, dir)
    assert.equal(last.imageId, rebuilt.imageId)
    assert.ok(last.steps.every((s) => s.cached))
  })

  it('steps start on the longest hinted prefix while the engine lists; the list has the last word (a later step cached from another context)', async () => {
    const tag = unique()
    const other = mkdtempSync(path.join(os.tmpdir(), 'berth-build-groups-'))
    try {
      const full = `FROM berth-test/busybox:latest\nRUN echo ${tag} > /a.txt\nRUN date +%s%N > /b.txt\nCMD ["cat", "/b.txt"]\n`
      // This context's hints know the first RUN only; the same steps are built in another context.
      dockerfile(`FROM berth-test/busybox:latest\nRUN echo ${tag} > /a.txt\n`)
      await buildFixture(engine, dir)
      writeFileSync(path.join(other, 'Dockerfile'), full)
      const elsewhere = await buildFixture(engine, other)
      dockerfile(full)
      const events: string[] = []
      const result = await buildImage(engine, {context: dir}, {
        stepCached: (s) => events.push(`cached ${s.text}`),
        stepStarted: (s) => s.text.startsWith('FROM') || events.push(`started ${s.text}`),
      })
      // The guess (start after the first RUN) missed: nothing ran, nothing but CACHED was shown.
      assert.equal(result.imageId, elsewhere.imageId)
      assert.ok(result.steps.every((s) => s.cached), result.steps.map((s) => s.text).join('\n'))
      assert.deepEqual(events, [`cached RUN echo ${tag} > /a.txt`, 'cached RUN date +%s%N > /b.txt', 'cached CMD ["cat","/b.txt"]'])
      // A guess that holds: a new last step starts on the hinted image; CACHED lines come first.
      dockerfile(`${full}LABEL org.example.more=${tag}\n`)
      events.length = 0
      const more = await buildImage(engine, {context: dir}, {
        stepCached: (s) => events.push(`cached ${s.text.split(' ')[0]}`),
        stepStarted: (s) => s.text.startsWith('FROM') || events.push(`started ${s.text.split(' ')[0]}`),
      })
      assert.deepEqual(events, ['cached RUN', 'cached RUN', 'cached CMD', 'started LABEL'])
      assert.equal((await runIn(engine, more.imageId, ['cat', '/b.txt'])).out, (await runIn(engine, elsewhere.imageId, ['cat', '/b.txt'])).out)
      const leftovers = await engine.containers.list({all: true})
      assert.deepEqual(leftovers.filter((c) => c.Image.startsWith('sha256:')), [])
    } finally {
      rmSync(other, {recursive: true, force: true})
    }
  })

  it('a WORKDIR after a COPY into the RUN container sees the directory the COPY made (--chown owner kept)', async () => {
    writeFileSync(path.join(dir, 'x.txt'), `x ${unique()}\n`)
    dockerfile('FROM berth-test/busybox:latest\nCOPY --chown=nobody:nobody x.txt /made/by/copy/\nWORKDIR /made/by/copy\nRUN stat -c "%u %n" /made/by/copy . > /stat.txt\n')
    const built = await buildFixture(engine, dir)
    assert.equal((await runIn(engine, built.imageId, ['cat', '/stat.txt'])).out, '65534 /made/by/copy\n65534 .\n')
    assert.equal((await engine.images.inspect(built.imageId)).Config.WorkingDir, '/made/by/copy')
  })
})
