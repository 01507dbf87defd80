/**
 * `berth watch` on real containers: sync (add, change, delete, ignored files), initial_sync,
 * sync+exec, restart, and rebuild (new image, recreated container, replaced image pruned).
 */
import {strict as assert} from 'node:assert'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Project} from '../../../src/compose/types.js'
import {converge} from '../../../src/runtime/converge.js'
import {LABEL} from '../../../src/runtime/labels.js'
import {runInContainer} from '../../../src/runtime/watch/exec.js'
import {watchProject, withBuildPolicy, type BatchPlan} from '../../../src/runtime/watch/index.js'
import {harness, testProject, type Harness, type TestProject} from './helpers.js'
import {until} from './project-fixture.js'

const YAML = `
services:
  web:
    image: busybox
    init: true
    command: ["sleep", "600"]
    develop:
      watch:
        - {path: ./src, action: sync, target: /app, ignore: ["*.tmp"]}
        - {path: ./seed, action: sync, target: /seed, initial_sync: true}
        - {path: ./hook, action: sync+exec, target: /hook, exec: {command: "cat /hook/h.txt > /tmp/hooked"}}
        - {path: ./restart.txt, action: restart}
  app:
    build: ./ctx
    init: true
    develop:
      watch:
        - {path: ./ctx, action: rebuild}
`

describe('runtime/watch (real engine)', function () {
  this.timeout(180_000)
  let h: Harness
  let p: TestProject
  let project: Project
  let stop: AbortController
  let watching: Promise<void>
  const log: string[] = []
  const warnings: string[] = []
  const batches: BatchPlan[] = []

  const containerOf = async (service: string) => {
    const list = await h.client.containers.list({all: true, filters: {label: [`${LABEL.project}=${p.name}`, `${LABEL.service}=${service}`]}})
    assert.equal(list.length, 1, `one ${service} container`)
    return list[0]
  }
  const sh = async (service: string, command: string) => {
    const c = await containerOf(service)
    let out = ''
    const result = await runInContainer(h.client, c.Id, {command}, {output: (chunk) => (out += chunk.toString())})
    return {code: result.exitCode, out}
  }

  before(async () => {
    h = harness()
    p = testProject('watch', YAML)
    h.track(p)
    for (const d of ['src', 'seed/deep', 'hook', 'ctx']) mkdirSync(join(p.dir, d), {recursive: true})
    writeFileSync(join(p.dir, 'seed/deep/s.txt'), 'seeded\n')
    writeFileSync(join(p.dir, 'restart.txt'), '1\n')
    writeFileSync(join(p.dir, 'ctx/Dockerfile'), 'FROM busybox\nCOPY v.txt /v.txt\nCMD ["sleep", "600"]\n')
    writeFileSync(join(p.dir, 'ctx/v.txt'), 'one\n')
    project = await p.load()
    await converge(h.engine, withBuildPolicy(project, ['app']), {})
    stop = new AbortController()
    await new Promise<void>((resolve, reject) => {
      watching = watchProject({
        client: h.client,
        engine: h.engine,
        project,
        services: [],
        log: (line) => log.push(line),
        warn: (m) => warnings.push(m),
        signal: stop.signal,
        quietMs: 150,
        onReady: resolve,
        onBatch: (plan) => batches.push(plan),
      })
      watching.catch(reject)
    })
  })

  after(async () => {
    stop?.abort()
    await watching?.catch(() => {})
    await h?.close()
  })

  it('says it is watching, after copying initial_sync paths into the container', async () => {
    assert.deepEqual(log.slice(0, 2), ['Syncing service "web" after 1 changes were detected', 'Watch enabled'])
    assert.deepEqual(await sh('web', 'cat /seed/deep/s.txt'), {code: 0, out: 'seeded\n'})
  })

  it('sync: new and changed files and directories reach the container; ignored ones do not', async () => {
    writeFileSync(join(p.dir, 'src/a.txt'), 'a1\n')
    mkdirSync(join(p.dir, 'src/d/e'), {recursive: true})
    writeFileSync(join(p.dir, 'src/d/e/b.txt'), 'b\n')
    writeFileSync(join(p.dir, 'src/skip.tmp'), 'no\n')
    await until(async () => (await sh('web', 'cat /app/a.txt /app/d/e/b.txt')).out === 'a1\nb\n', 20_000, 'files synced')
    writeFileSync(join(p.dir, 'src/a.txt'), 'a2\n')
    await until(async () => (await sh('web', 'cat /app/a.txt')).out === 'a2\n', 20_000, 'change synced')
    assert.equal((await sh('web', 'test -e /app/skip.tmp')).code, 1, 'an ignored file is not synced')
    assert.ok(log.some((l) => /^Syncing service "web" after \d+ changes were detected$/.test(l)))
  })

  it('sync: a deleted file is deleted in the container', async () => {
    rmSync(join(p.dir, 'src/a.txt'))
    await until(async () => (await sh('web', 'test -e /app/a.txt')).code === 1, 20_000, 'file deleted')
    assert.equal((await sh('web', 'cat /app/d/e/b.txt')).out, 'b\n', 'the rest stays')
  })

  it('sync+exec: the hook runs in the container after the files are there', async () => {
    writeFileSync(join(p.dir, 'hook/h.txt'), 'hooked\n')
    await until(async () => (await sh('web', 'cat /tmp/hooked')).out === 'hooked\n', 20_000, 'hook ran')
  })

  it('restart: the container is restarted', async () => {
    const before = await h.client.containers.inspect((await containerOf('web')).Id)
    writeFileSync(join(p.dir, 'restart.txt'), '2\n')
    await until(async () => (await h.client.containers.inspect(before.Id)).State.StartedAt !== before.State.StartedAt, 30_000, 'restart')
    await until(() => log.includes('service(s) ["web"] restarted'), 5_000, 'restart message')
  })

  it('rebuild: a new image, a recreated container, the replaced image removed', async () => {
    const old = await containerOf('app')
    writeFileSync(join(p.dir, 'ctx/v.txt'), 'two\n')
    await until(() => log.includes('service(s) ["app"] successfully built'), 60_000, 'rebuild')
    const now = await containerOf('app')
    assert.notEqual(now.Id, old.Id, 'recreated')
    assert.equal(now.State, 'running')
    assert.deepEqual(await sh('app', 'cat /v.txt'), {code: 0, out: 'two\n'})
    assert.ok(log.includes('Rebuilding service(s) ["app"] after changes were detected...'))
    await until(async () => (await h.client.images.find(old.ImageID)) === undefined, 10_000, 'old image pruned')
    const rebuildBatch = batches.find((b) => b.rebuild.includes('app'))
    assert.ok(rebuildBatch, 'a batch asked for the rebuild')
    assert.deepEqual(warnings, [])
  })
})
