/**
 * The core `local` target, registered through the SDK like any plugin's, against the test engine:
 * `berth deploy --target local` brings the project up, `deploy status` reports it, `deploy remove`
 * takes it down. Needs the engine hooks (test/support/engine-hooks.ts); skipped without them.
 */
import {strict as assert} from 'node:assert'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ok, Sandbox} from './cli.js'

describe('berth deploy --target local (real engine)', function () {
  this.timeout(180_000)
  let sandbox: Sandbox
  let dir: string
  const name = `plugins-local-${process.pid}`

  before(function () {
    if (!process.env.DOCKER_HOST) this.skip()
    sandbox = new Sandbox()
    dir = join(sandbox.dir, 'p')
    mkdirSync(dir)
    writeFileSync(join(dir, 'compose.yaml'), `name: ${name}\nservices:\n  web:\n    image: busybox\n    init: true\n    command: ["sleep", "600"]\n`)
  })

  after(() => {
    if (!sandbox) return
    sandbox.berth(['down', '-t', '0', '-v'], dir)
    sandbox.remove()
  })

  it('deploys, reports status, removes', () => {
    const deployed = ok(sandbox.berth(['deploy', '--target', 'local'], dir), 'deploy')
    assert.match(deployed.stdout + deployed.stderr, new RegExp(`Deploying ${name} to local`))

    const status = JSON.parse(ok(sandbox.berth(['deploy', 'status', '--target', 'local', '--format', 'json'], dir), 'status').stdout)
    assert.equal(status.deployed, true)
    assert.deepEqual(status.services.map((s: {name: string; state: string}) => [s.name, s.state]), [['web', 'running']])

    ok(sandbox.berth(['deploy', 'remove', '--target', 'local', '--option', 'timeout=0'], dir), 'remove')
    const after = JSON.parse(ok(sandbox.berth(['deploy', 'status', '--target', 'local', '--format', 'json'], dir), 'status after').stdout)
    assert.deepEqual(after, {deployed: false, services: []})
  })
})
