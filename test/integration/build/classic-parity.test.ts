/**
 * Behaviours checked side by side with the classic builder (`DOCKER_BUILDKIT=0 docker build`,
 * docker CLI 28) on the same private engine:
 *   - RUN on a base image with neither CMD nor ENTRYPOINT: every image the build commits keeps the
 *     Cmd the classic builder leaves (none), also with build args and with metadata after the RUN;
 *   - VOLUME, then RUN/COPY/WORKDIR writing into the volume path: what a RUN writes there is
 *     discarded, what COPY (from the context or another stage) and WORKDIR make there is kept.
 * Cache hits step by step are checked on a second build.
 */
import {strict as assert} from 'node:assert'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {EngineClient} from '../../../src/engine/index.js'
import {buildImage, CACHE_LABEL} from '../../../src/build/index.js'
import {buildRootfsTar} from '../../support/base-image.js'
import {testClient, testEngine} from '../../support/engine-hooks.js'
import {cacheMap, runIn, type Built} from './helpers.js'

const NO_CMD_BASE = 'berth-test/no-cmd:latest'

describe('build parity with the classic builder (integration, private dockerd)', function () {
  this.timeout(180_000)
  let engine: EngineClient
  let dir: string

  const classicBuild = (context: string, args: Record<string, string> = {}): string => {
    const cli = ['-H', testEngine().host, 'build', '-q', '--rm', '--force-rm']
    for (const [k, v] of Object.entries(args)) cli.push('--build-arg', `${k}=${v}`)
    cli.push(context)
    return execFileSync('docker', cli, {env: {...process.env, DOCKER_BUILDKIT: '0'}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim().split('\n').pop()!
  }
  const berthBuild = async (context: string, args: Record<string, string> = {}): Promise<Built> => {
    const result = await buildImage(engine, {context, args}, {})
    return {imageId: result.imageId, steps: result.steps.map((s) => ({text: s.text, cached: s.cached})), output: '', warnings: result.warnings}
  }
  /** Cmd and Entrypoint of an image and of each ancestor the build made (newest first). */
  const commands = async (id: string, depth: number): Promise<Array<{Cmd: unknown; Entrypoint: unknown}>> => {
    const out = []
    for (let i = 0, current = id; i < depth; i++) {
      const image = await engine.images.inspect(current)
      // An empty list and none behave the same for a container; the classic builder writes none.
      const none = (v: unknown) => (Array.isArray(v) && v.length === 0 ? null : (v ?? null))
      out.push({Cmd: image.Config.Cmd ?? null, Entrypoint: none(image.Config.Entrypoint)})
      current = image.Parent as string
    }
    return out
  }

  before(async function () {
    if (spawnSync('docker', ['--version']).status !== 0) this.skip()
    engine = testClient()
    if (!(await engine.images.find(NO_CMD_BASE))) {
      await engine.images.import(await buildRootfsTar(), {repository: 'berth-test/no-cmd', tag: 'latest', changes: ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']})
    }
    const base = await engine.images.inspect(NO_CMD_BASE)
    assert.equal(base.Config.Cmd ?? null, null)
    assert.equal(base.Config.Entrypoint ?? null, null)
  })
  after(async () => {
    await engine?.close()
  })
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'berth-build-parity-'))
  })
  afterEach(() => {
    rmSync(dir, {recursive: true, force: true})
  })

  it('RUN on a base without CMD/ENTRYPOINT: each committed image keeps no Cmd, as the classic builder leaves it', async () => {
    const tag = `${process.pid}-${Date.now()}`
    writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${NO_CMD_BASE}\nRUN echo ${tag} > /one.txt\nARG V=1\nRUN echo "$V" > /two.txt\nLABEL org.example.after=run\n`)
    const classicId = classicBuild(dir, {V: '2'})
    const built = await berthBuild(dir, {V: '2'})
    // LABEL, RUN (with a build arg), ARG, RUN: four images of the classic builder, newest first.
    const classic = await commands(classicId, 4)
    assert.deepEqual(classic, Array(4).fill({Cmd: null, Entrypoint: null}))
    // Berth's: each RUN, and the LABEL as a second commit of the last RUN's container: the first
    // RUN's image and its two children (the first RUN's text is unique to this test).
    const firstRun = (await engine.images.inspect(built.imageId)).Parent as string
    const children = (await engine.images.list({all: true, filters: {label: [CACHE_LABEL]}})).filter((i) => i.ParentId === firstRun).map((i) => i.Id)
    assert.equal(children.length, 2)
    assert.ok(children.includes(built.imageId))
    for (const id of [firstRun, ...children]) assert.deepEqual(await commands(id, 1), [{Cmd: null, Entrypoint: null}], id)
    assert.deepEqual(await commands(built.imageId, 1), await commands(classicId, 1))
    assert.equal((await runIn(engine, built.imageId, ['cat', '/one.txt', '/two.txt'])).out, `${tag}\n2\n`)
    assert.equal((await engine.images.inspect(built.imageId)).Config.Labels?.['org.example.after'], 'run')

    // The images come back from the cache step by step, with the same configs.
    const again = await berthBuild(dir, {V: '2'})
    assert.equal(again.imageId, built.imageId)
    assert.ok(again.steps.every((s) => s.cached), cacheMap(again).join('\n'))
    writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${NO_CMD_BASE}\nRUN echo ${tag} > /one.txt\nARG V=1\nRUN echo "$V" > /two.txt\nLABEL org.example.after=other\n`)
    const other = await berthBuild(dir, {V: '2'})
    assert.deepEqual(cacheMap(other), [`CACHED RUN echo ${tag} > /one.txt`, 'CACHED ARG V=1', 'CACHED RUN echo "$V" > /two.txt', 'RAN LABEL org.example.after=other'])
    assert.deepEqual((await commands(other.imageId, 1))[0], {Cmd: null, Entrypoint: null})
  })

  it('VOLUME, then writes into it: RUN output is discarded, COPY (context and stage) and WORKDIR are kept, as in the classic builder', async () => {
    writeFileSync(path.join(dir, 'c.txt'), 'copied\n')
    writeFileSync(path.join(dir, 'Dockerfile'), [
      'FROM berth-test/busybox:latest AS src',
      'RUN mkdir -p /out && echo from-stage > /out/f.txt',
      'FROM berth-test/busybox:latest',
      'RUN mkdir -p /data && echo before > /data/before.txt',
      'VOLUME /data',
      'RUN echo run > /data/run.txt',
      'COPY c.txt /data/',
      'RUN echo run2 > /data/run2.txt && ls /data > /list.txt',
      'COPY c.txt /data/sub/c2.txt',
      'COPY --from=src /out/ /data/from/',
      'WORKDIR /data/work',
      'RUN echo run3 > /data/work/run3.txt && pwd > /pwd.txt',
      'CMD ["ls", "/data"]',
      '',
    ].join('\n'))
    const classicId = classicBuild(dir)
    const built = await berthBuild(dir)
    const look = async (id: string) => {
      const found = await runIn(engine, id, ['sh', '-c', 'find /data | sort; echo --; cat /list.txt /pwd.txt'])
      const config = (await engine.images.inspect(id)).Config
      return {found: found.out, volumes: config.Volumes, workdir: config.WorkingDir, cmd: config.Cmd}
    }
    const [classic, ours] = await Promise.all([look(classicId), look(built.imageId)])
    assert.deepEqual(ours, classic)
    // What the classic builder does, spelled out: COPY and WORKDIR kept, RUN output gone (a RUN
    // sees its own writes while it runs: run2.txt is in /list.txt).
    assert.equal(classic.found, '/data\n/data/before.txt\n/data/c.txt\n/data/from\n/data/from/f.txt\n/data/sub\n/data/sub/c2.txt\n/data/work\n--\nbefore.txt\nc.txt\nrun2.txt\n/data/work\n')

    const again = await berthBuild(dir)
    assert.equal(again.imageId, built.imageId)
    assert.ok(again.steps.every((s) => s.cached), cacheMap(again).join('\n'))
    writeFileSync(path.join(dir, 'c.txt'), 'changed\n')
    const changed = await berthBuild(dir)
    // Stages run side by side: look steps up by text.
    const status = new Map(cacheMap(changed).map((line) => [line.slice(line.indexOf(' ') + 1), line.slice(0, line.indexOf(' '))]))
    assert.deepEqual(['RUN mkdir -p /out && echo from-stage > /out/f.txt', 'RUN mkdir -p /data && echo before > /data/before.txt', 'VOLUME ["/data"]', 'RUN echo run > /data/run.txt'].map((t) => status.get(t)), ['CACHED', 'CACHED', 'CACHED', 'CACHED'])
    assert.deepEqual(['COPY c.txt /data/', 'RUN echo run2 > /data/run2.txt && ls /data > /list.txt', 'COPY c.txt /data/sub/c2.txt'].map((t) => status.get(t)), ['RAN', 'RAN', 'RAN'])
    assert.equal((await runIn(engine, changed.imageId, ['cat', '/data/c.txt', '/data/sub/c2.txt'])).out, 'changed\nchanged\n')
  })
})
