/**
 * The up family as a user runs it — create, scale, start --wait, restart [--no-deps],
 * kill --remove-orphans, up -V / --always-recreate-deps / --abort-on-container-failure — with the
 * built CLI (dist/, `npm run build`) against the test engine (DOCKER_HOST from the hooks).
 * Expected behaviour was checked against docker compose v5.
 */
import {strict as assert} from 'node:assert'
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {observe} from '../../../src/runtime/observe.js'
import {useHarness, testProject, type Harness, type TestProject} from './helpers.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = join(ROOT, 'bin/run.js')

function berth(args: string[], p: TestProject) {
  const r = spawnSync(process.execPath, [BIN, ...args, '-p', p.name], {cwd: p.dir, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, timeout: 90_000})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

/** `name -> state` of the project's service containers. */
async function states(h: Harness, p: TestProject): Promise<Record<string, string>> {
  const o = await observe(h.engine, p.name)
  return Object.fromEntries(o.containers.filter((c) => !c.oneoff).map((c) => [c.name.slice(p.name.length + 1), c.state]))
}

async function idsAndStarts(h: Harness, p: TestProject): Promise<Record<string, {id: string; startedAt: string}>> {
  const o = await observe(h.engine, p.name)
  const out: Record<string, {id: string; startedAt: string}> = {}
  for (const c of o.containers) out[c.name.slice(p.name.length + 1)] = {id: c.id, startedAt: (await h.engine.inspectContainer(c.id)).State.StartedAt as string}
  return out
}

const sleeper = 'image: busybox, init: true, command: ["sleep", "600"]'

describe('berth create / scale / start --wait / restart / kill / up flags (CLI, real engine)', function () {
  this.timeout(180_000)
  let h!: Harness
  useHarness((x) => (h = x))
  before(function () {
    if (!existsSync(join(ROOT, 'dist/commands/create.js'))) this.skip()
  })

  it('create makes the network and containers without starting them; start --wait brings them up healthy', async () => {
    const p = testProject('create', `
services:
  db: {${sleeper}, healthcheck: {test: ["CMD", "true"], interval: 1s}}
  api: {${sleeper}, depends_on: {db: {condition: service_healthy}}}
`)
    h.track(p)
    const created = berth(['create', '--progress', 'plain'], p)
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stderr, new RegExp(`Network ${p.name}_default  Created`))
    assert.match(created.stderr, new RegExp(`Container ${p.name}-api-1  Created`))
    assert.doesNotMatch(created.stderr, /Start/)
    assert.deepEqual(await states(h, p), {'api-1': 'created', 'db-1': 'created'})

    // A changed service is recreated, still not started; --no-recreate leaves it.
    p.write(`
services:
  db: {${sleeper}, healthcheck: {test: ["CMD", "true"], interval: 1s}}
  api: {${sleeper}, environment: {MODE: two}, depends_on: {db: {condition: service_healthy}}}
`)
    const dry = berth(['create', '--no-recreate', '--dry-run'], p)
    assert.equal(dry.code, 0, dry.stderr)
    assert.match(dry.stdout, /nothing to do/)
    const again = berth(['create', '--progress', 'plain'], p)
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stderr, new RegExp(`Container ${p.name}-api-1  Recreated`))
    assert.deepEqual(await states(h, p), {'api-1': 'created', 'db-1': 'created'})

    const started = berth(['start', '--wait', '--wait-timeout', '60', '--progress', 'plain'], p)
    assert.equal(started.code, 0, started.stderr)
    assert.match(started.stderr, new RegExp(`Container ${p.name}-db-1  Healthy`))
    assert.match(started.stderr, new RegExp(`Container ${p.name}-api-1  Running`))
    assert.deepEqual(await states(h, p), {'api-1': 'running', 'db-1': 'running'})
  })

  it('start --wait fails with the container\'s exit code when one exits non-zero', async () => {
    const p = testProject('startwait', `
services:
  bad: {image: busybox, command: ["sh", "-c", "echo broken >&2; exit 3"]}
`)
    h.track(p)
    assert.equal(berth(['create', '--progress', 'quiet'], p).code, 0)
    const r = berth(['start', '--wait', '--progress', 'quiet'], p)
    assert.equal(r.code, 1, r.stderr)
    assert.match(r.stderr, new RegExp(`^error: service "bad": ${p.name}-bad-1 exited with code 3$`, 'm'))
    assert.match(r.stderr, /\| broken/)
  })

  it('incompatible flags are one line, before anything is made', async () => {
    const p = testProject('conflict', `services:\n  a: {${sleeper}}\n`)
    h.track(p)
    for (const [args, line] of [
      [['create', '--force-recreate', '--no-recreate'], 'error: --force-recreate and --no-recreate are incompatible'],
      [['up', '--always-recreate-deps', '--no-recreate'], 'error: --always-recreate-deps and --no-recreate are incompatible'],
      [['up', '-d', '--abort-on-container-failure'], 'error: --detach cannot be combined with --abort-on-container-failure (it needs the logs attached)'],
      [['up', '-V', '--no-recreate', '-d'], 'error: --renew-anon-volumes and --no-recreate are incompatible'],
    ] as const) {
      const r = berth([...args], p)
      assert.equal(r.code, 1, args.join(' '))
      assert.equal(r.stderr, `${line}\n`)
    }
    const o = await observe(h.engine, p.name)
    assert.equal(o.containers.length, 0)
    assert.equal([...o.networks.values()].filter((n) => n.name === `${p.name}_default`).length, 0)
  })

  it('scale SERVICE=N brings up dependencies, adds and removes replicas; --no-deps leaves dependencies alone', async () => {
    const p = testProject('scale', `
services:
  db: {${sleeper}}
  api: {${sleeper}, depends_on: [db]}
`)
    h.track(p)
    const up = berth(['scale', 'api=3', '--progress', 'plain'], p)
    assert.equal(up.code, 0, up.stderr)
    assert.deepEqual(await states(h, p), {'api-1': 'running', 'api-2': 'running', 'api-3': 'running', 'db-1': 'running'})

    assert.equal(berth(['stop', 'db', '-t', '0', '--progress', 'quiet'], p).code, 0)
    const down = berth(['scale', '--no-deps', 'api=1', '-t', '0', '--progress', 'plain'], p)
    assert.equal(down.code, 0, down.stderr)
    assert.match(down.stderr, new RegExp(`Container ${p.name}-api-3  Removed`))
    assert.match(down.stderr, new RegExp(`Container ${p.name}-api-1  Running`))
    assert.deepEqual(await states(h, p), {'api-1': 'running', 'db-1': 'exited'}, '--no-deps did not start db')

    const bad = berth(['scale', 'nope=2'], p)
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /^error: no such service: nope$/m)
    const malformed = berth(['scale', 'api'], p)
    assert.equal(malformed.code, 1)
    assert.match(malformed.stderr, /^error: scale argument "api": expected SERVICE=NUMBER$/m)
  })

  it('restart SERVICE also restarts the services with restart: true on it; --no-deps only the named one', async () => {
    const p = testProject('restart', `
services:
  db: {${sleeper}}
  api: {${sleeper}, depends_on: {db: {condition: service_started, restart: true}}}
  web: {${sleeper}, depends_on: [api]}
`)
    h.track(p)
    assert.equal(berth(['up', '-d', '--progress', 'quiet'], p).code, 0)
    const before = await idsAndStarts(h, p)
    const r = berth(['restart', 'db', '-t', '1', '--progress', 'plain'], p)
    assert.equal(r.code, 0, r.stderr)
    const after = await idsAndStarts(h, p)
    assert.notEqual(after['db-1'].startedAt, before['db-1'].startedAt)
    assert.notEqual(after['api-1'].startedAt, before['api-1'].startedAt)
    assert.equal(after['web-1'].startedAt, before['web-1'].startedAt, 'a plain depends_on is not restarted')
    assert.ok(r.stderr.indexOf(`${p.name}-db-1  Started`) < r.stderr.indexOf(`${p.name}-api-1  Restarting`), `db first, then api:\n${r.stderr}`)

    const nodeps = berth(['restart', '--no-deps', 'db', '-t', '1', '--progress', 'plain'], p)
    assert.equal(nodeps.code, 0, nodeps.stderr)
    const last = await idsAndStarts(h, p)
    assert.notEqual(last['db-1'].startedAt, after['db-1'].startedAt)
    assert.equal(last['api-1'].startedAt, after['api-1'].startedAt)
    assert.doesNotMatch(nodeps.stderr, /api-1/)
  })

  it('kill --remove-orphans kills the project and removes the containers of services no longer in the file', async () => {
    const p = testProject('kill', `
services:
  a: {${sleeper}}
  gone: {${sleeper}}
`)
    h.track(p)
    assert.equal(berth(['up', '-d', '--progress', 'quiet'], p).code, 0)
    p.write(`services:\n  a: {${sleeper}}\n`)
    const r = berth(['kill', '--remove-orphans', '--progress', 'plain'], p)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, new RegExp(`Container ${p.name}-a-1  Killed`))
    assert.match(r.stderr, new RegExp(`Container ${p.name}-gone-1  Removed`))
    assert.deepEqual(await states(h, p), {'a-1': 'exited'})
  })

  it('up -V gives a recreated container new anonymous volumes; a plain recreate keeps the old one', async () => {
    const p = testProject('renew', `
services:
  db: {${sleeper}, volumes: ["/data"]}
`)
    h.track(p)
    assert.equal(berth(['up', '-d', '--progress', 'quiet'], p).code, 0)
    const volumeOf = async () => {
      const o = await observe(h.engine, p.name)
      return {volume: o.containers[0].anonymousVolumes['/data'], id: o.containers[0].id}
    }
    const v1 = await volumeOf()
    assert.ok(v1.volume, 'an anonymous volume is mounted')

    const kept = berth(['up', '-d', '--force-recreate', '-t', '0', '--progress', 'quiet'], p)
    assert.equal(kept.code, 0, kept.stderr)
    const v2 = await volumeOf()
    assert.notEqual(v2.id, v1.id, 'recreated')
    assert.equal(v2.volume, v1.volume, 'the same anonymous volume')

    const dry = berth(['up', '-d', '-V', '--dry-run'], p)
    assert.equal(dry.stdout, `#1 container:${p.name}-db-1  recreate, new anonymous volumes  --renew-anon-volumes\n`)
    const renewed = berth(['up', '-d', '-V', '-t', '0', '--progress', 'quiet'], p)
    assert.equal(renewed.code, 0, renewed.stderr)
    const v3 = await volumeOf()
    assert.notEqual(v3.id, v2.id, 'recreated')
    assert.ok(v3.volume && v3.volume !== v2.volume, 'a new anonymous volume')
  })

  it('up --always-recreate-deps SERVICE recreates its dependencies, not the service itself', async () => {
    const p = testProject('deps', `
services:
  db: {${sleeper}}
  web: {${sleeper}, depends_on: [db]}
  other: {${sleeper}}
`)
    h.track(p)
    assert.equal(berth(['up', '-d', '--progress', 'quiet'], p).code, 0)
    const before = await idsAndStarts(h, p)
    const r = berth(['up', '-d', '--always-recreate-deps', 'web', '-t', '0', '--progress', 'quiet'], p)
    assert.equal(r.code, 0, r.stderr)
    const after = await idsAndStarts(h, p)
    assert.notEqual(after['db-1'].id, before['db-1'].id)
    assert.equal(after['web-1'].id, before['web-1'].id)
    assert.equal(after['other-1'].id, before['other-1'].id)
  })

  it('up --abort-on-container-failure stops everything when a container fails, with its exit code', async () => {
    const p = testProject('failure', `
services:
  ok: {image: busybox, command: ["sh", "-c", "echo fine"]}
  job: {image: busybox, command: ["sh", "-c", "echo job; sleep 2; exit 3"]}
  srv: {image: busybox, init: true, command: ["sh", "-c", "echo srv up; exec sleep 600"]}
`)
    h.track(p)
    const r = berth(['up', '--abort-on-container-failure', '-t', '1', '--progress', 'quiet'], p)
    assert.equal(r.code, 3, `${r.stderr}\n${r.stdout}`)
    assert.match(r.stderr, new RegExp(`Aborting on container failure\\.\\.\\. \\(${p.name}-job-1 exited with code 3\\)`))
    assert.doesNotMatch(r.stderr, /ok-1 exited/, 'a zero exit does not abort')
    assert.deepEqual(await states(h, p), {'job-1': 'exited', 'ok-1': 'exited', 'srv-1': 'exited'})
  })
})
