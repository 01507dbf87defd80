/**
 * `berth up` / `berth down` as a user runs them: the built CLI (dist/, `npm run build`) against the
 * test engine (DOCKER_HOST from the hooks).
 */
import {strict as assert} from 'node:assert'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {observe} from '../../../src/runtime/observe.js'
import {harness, testProject, type Harness} from './helpers.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = join(ROOT, 'bin/run.js')

function berth(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, timeout: 90_000})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

describe('berth up / down (CLI, real engine)', function () {
  this.timeout(120_000)
  let h: Harness
  before(function () {
    if (!existsSync(join(ROOT, 'dist/commands/up.js'))) this.skip()
  })
  beforeEach(() => {
    h = harness()
  })
  afterEach(async () => {
    await h.close()
  })

  it('up --dry-run prints the plan, up -d applies it, and a second up does nothing', async () => {
    const p = testProject('cli', `
services:
  web: {image: busybox, init: true, command: ["sleep", "600"], depends_on: [db]}
  db: {image: busybox, init: true, command: ["sleep", "600"]}
`)
    h.track(p)
    const args = ['-p', p.name]
    const dry = berth(['up', '-d', '--dry-run', ...args], p.dir)
    assert.equal(dry.code, 0, dry.stderr)
    assert.equal(dry.stdout, [
      `#1 network:${p.name}_default  create        not found`,
      `#2 container:${p.name}-db-1   create+start  not found`,
      `#3 container:${p.name}-web-1  create+start  not found`,
      '',
    ].join('\n'))
    assert.equal((await observe(h.engine, p.name)).containers.length, 0, 'dry run touched nothing')

    const up = berth(['up', '-d', '--progress', 'plain', ...args], p.dir)
    assert.equal(up.code, 0, up.stderr)
    assert.match(up.stderr, new RegExp(`Container ${p.name}-web-1  Started`))
    const again = berth(['up', '-d', '--progress', 'plain', ...args], p.dir)
    assert.equal(again.code, 0, again.stderr)
    assert.doesNotMatch(again.stderr, /Creating|Starting|Stopping/)
    assert.match(again.stderr, new RegExp(`Container ${p.name}-web-1  Running`))
    const dry2 = berth(['up', '-d', '--dry-run', ...args], p.dir)
    assert.equal(dry2.code, 0, dry2.stderr)
    assert.match(dry2.stdout, /nothing to do/, dry2.stderr)
  })

  it('attached up streams prefixed logs and --exit-code-from returns that service\'s exit code', async () => {
    const p = testProject('attached', `
services:
  job: {image: busybox, command: ["sh", "-c", "echo job says hi; sleep 1; exit 7"]}
  srv: {image: busybox, init: true, command: ["sh", "-c", "echo srv up; exec sleep 600"]}
`)
    h.track(p)
    const r = berth(['up', '--exit-code-from', 'job', '--progress', 'quiet', '-t', '1', '-p', p.name], p.dir)
    assert.equal(r.code, 7, r.stderr)
    assert.match(r.stdout, /job-1 +\| job says hi/)
    assert.match(r.stdout, /srv-1 +\| srv up/)
    assert.match(r.stderr, /Aborting on container exit/)
    const states = (await observe(h.engine, p.name)).containers.map((c) => c.state)
    assert.deepEqual(states, ['exited', 'exited'], 'everything stopped')
  })

  it('a container that exits before the logs attach still gets its exit line and aborts the project', async () => {
    // `fast` has exited by the time `srv` (which waits for it to start) is started and up attaches.
    const p = testProject('early-exit', `
services:
  fast: {image: busybox, command: ["sh", "-c", "echo fast done; exit 3"]}
  srv: {image: busybox, init: true, command: ["sh", "-c", "echo srv up; exec sleep 600"], depends_on: [fast]}
`)
    h.track(p)
    const r = berth(['up', '--abort-on-container-failure', '--progress', 'quiet', '-t', '1', '-p', p.name], p.dir)
    assert.equal(r.code, 3, `stdout: ${r.stdout}\nstderr: ${r.stderr}`)
    assert.match(r.stdout, /fast-1 +\| fast done/)
    assert.equal(r.stdout.match(/fast-1 exited with code 3/g)?.length, 1, r.stdout)
    assert.match(r.stderr, /Aborting on container failure\.\.\. \(.*fast-1 exited with code 3\)/)
    const states = (await observe(h.engine, p.name)).containers.map((c) => c.state)
    assert.deepEqual(states, ['exited', 'exited'], 'everything stopped')
  })

  it('Ctrl-C in attached up stops the project gracefully', async () => {
    const p = testProject('sigint', `
services:
  a: {image: busybox, init: true, command: ["sh", "-c", "echo a ready; exec sleep 600"]}
`)
    h.track(p)
    const child = spawn(process.execPath, [BIN, 'up', '--progress', 'quiet', '-t', '2', '-p', p.name], {cwd: p.dir, env: {...process.env, NO_COLOR: '1'}})
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line; stderr: ${err}`)), 30_000)
      child.stdout.on('data', (d: Buffer) => {
        out += d
        if (out.includes('a ready')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    child.kill('SIGINT')
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    assert.equal(code, 130, err)
    assert.match(err, /Gracefully stopping/)
    assert.deepEqual((await observe(h.engine, p.name)).containers.map((c) => c.state), ['exited'])
  })

  it('down -p NAME works with no Compose file', async () => {
    const p = testProject('nofile', `
services:
  a: {image: busybox, init: true, command: ["sleep", "600"]}
volumes: {}
`)
    h.track(p)
    assert.equal(berth(['up', '-d', '--progress', 'quiet', '-p', p.name], p.dir).code, 0)
    const empty = mkdtempSync(join(tmpdir(), 'berth-empty-'))
    try {
      const r = berth(['down', '-p', p.name, '-t', '0', '--progress', 'plain'], empty)
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stderr, new RegExp(`Container ${p.name}-a-1  Removed`))
      assert.equal((await observe(h.engine, p.name)).containers.length, 0)
    } finally {
      rmSync(empty, {recursive: true, force: true})
    }
  })

  it('bad input is one clear line before any engine call', () => {
    const p = testProject('bad', `
services:
  a: {image: busybox}
`)
    const r = berth(['up', '-d', '--scale', 'a=x', '-p', p.name], p.dir)
    assert.equal(r.code, 1)
    assert.equal(r.stderr.trim().split('\n')[0], 'error: --scale "a=x": expected SERVICE=NUMBER')
    const r2 = berth(['up', '-d', 'nope', '-p', p.name], p.dir)
    assert.notEqual(r2.code, 0)
    assert.match(r2.stderr, /nope/)
    rmSync(p.dir, {recursive: true, force: true})
  })
})
