/**
 * Berth and docker compose recognise each other's resources through the shared labels (docker
 * compose v5 from scripts/peers.sh as the oracle; skipped when it is not built).
 */
import {strict as assert} from 'node:assert'
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {converge} from '../../../src/runtime/converge.js'
import {down} from '../../../src/runtime/down.js'
import {observe} from '../../../src/runtime/observe.js'
import {harness, testProject, type Harness} from './helpers.js'

const COMPOSE = `${process.env.BERTH_PEERS ?? '/opt/berth-peers'}/bin/docker-compose-v5`

function compose(args: string[], cwd: string) {
  const r = spawnSync(COMPOSE, args, {cwd, encoding: 'utf8', env: process.env})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

const YAML = `
services:
  db: {image: busybox, init: true, command: ["sleep", "600"], volumes: ["data:/data"]}
  web: {image: busybox, init: true, command: ["sleep", "600"], depends_on: [db]}
volumes:
  data: {}
`

describe('runtime labels: interplay with docker compose v5', function () {
  this.timeout(120_000)
  let h: Harness
  before(function () {
    if (!existsSync(COMPOSE)) this.skip()
  })
  beforeEach(() => {
    h = harness()
  })
  afterEach(async () => {
    await h.close()
  })

  it('docker compose lists and removes what Berth made', async () => {
    const p = testProject('compat1', YAML)
    h.track(p)
    await converge(h.engine, await p.load())
    const ps = compose(['-p', p.name, 'ps', '--format', '{{.Name}} {{.Service}}'], p.dir)
    assert.equal(ps.code, 0, ps.stderr)
    assert.deepEqual(ps.stdout.trim().split('\n').sort(), [`${p.name}-db-1 db`, `${p.name}-web-1 web`])
    const rm = compose(['-p', p.name, 'down', '-v', '-t', '0'], p.dir)
    assert.equal(rm.code, 0, rm.stderr)
    const after = await observe(h.engine, p.name)
    assert.equal(after.containers.length, 0)
    assert.ok(!after.networks.has(`${p.name}_default`))
    assert.ok(!after.volumes.has(`${p.name}_data`))
  })

  it('Berth recognises what docker compose made, recreates it once (different hashes), and takes it down', async () => {
    const p = testProject('compat2', YAML)
    h.track(p)
    const made = compose(['-p', p.name, 'up', '-d'], p.dir)
    assert.equal(made.code, 0, made.stderr)
    const project = await p.load()
    const first = await converge(h.engine, project, {timeout: 0})
    assert.deepEqual(first.plan.operations.map((o) => [o.kind, o.cause]), [
      ['recreate-container', 'config hash changed (created by another tool)'],
      ['recreate-container', 'config hash changed (created by another tool)'],
    ])
    assert.deepEqual((await converge(h.engine, project)).plan.operations, [], 'then stable')
    await down(h.engine, p.name, project, {volumes: true, timeout: 0})
    const after = await observe(h.engine, p.name)
    assert.equal(after.containers.length, 0)
    assert.ok(!after.networks.has(`${p.name}_default`), 'the network compose made is removed')
    assert.ok(!after.volumes.has(`${p.name}_data`), 'the volume compose made is removed with -v')
  })
})
