/**
 * The lifecycle commands as a user runs them: the built CLI (dist/, `npm run build`; or
 * BERTH_TEST_BIN) against the test engine, on a project brought up by `berth up -d`.
 */
import {strict as assert} from 'node:assert'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {uniqueProject} from './project-fixture.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = process.env.BERTH_TEST_BIN ?? join(ROOT, 'bin/run.js')

function berth(args: string[], cwd: string, input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd, input, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, timeout: 120_000})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

describe('berth ps / logs / exec / run / stop / start / rm / ls (CLI, real engine)', function () {
  this.timeout(180_000)
  const name = uniqueProject('cli')
  let dir: string

  before(function () {
    if (!existsSync(join(dirname(BIN), '..', 'dist', 'commands', 'ps.js'))) this.skip()
    dir = mkdtempSync(join(tmpdir(), 'berth-cli-'))
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        `name: ${name}`,
        'services:',
        '  db:',
        '    image: busybox',
        '    init: true',
        '    command: ["sh", "-c", "echo db-ready; sleep 600"]',
        '  web:',
        '    image: busybox',
        '    init: true',
        '    command: ["sh", "-c", "echo web-ready; sleep 600"]',
        '    depends_on: [db]',
      ].join('\n'),
    )
    const up = berth(['up', '-d', '--progress', 'plain'], dir)
    assert.equal(up.code, 0, up.stderr)
  })

  after(function () {
    if (!dir) return
    berth(['down', '-t', '0', '-v'], dir)
    rmSync(dir, {recursive: true, force: true})
  })

  it('ps prints the compose table and JSON lines; -q prints IDs; --services the names', () => {
    const table = berth(['ps'], dir)
    assert.equal(table.code, 0, table.stderr)
    const lines = table.stdout.trimEnd().split('\n')
    assert.match(lines[0], /^NAME +IMAGE +COMMAND +SERVICE +CREATED +STATUS +PORTS$/)
    assert.match(lines[1], new RegExp(`^${name}-db-1 +busybox +"sh -c 'echo db-read…" +db +`))
    const json = berth(['ps', '--format', 'json'], dir).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as {Service: string; State: string})
    assert.deepEqual(json.map((r) => [r.Service, r.State]), [['db', 'running'], ['web', 'running']])
    assert.equal(berth(['ps', '-q'], dir).stdout.trimEnd().split('\n').length, 2)
    assert.equal(berth(['ps', '--services'], dir).stdout, 'db\nweb\n')
    // From labels alone: -p NAME and no Compose file.
    const elsewhere = mkdtempSync(join(tmpdir(), 'berth-cli-empty-'))
    try {
      assert.equal(berth(['ps', '--services', '-p', name], elsewhere).stdout, 'db\nweb\n')
    } finally {
      rmSync(elsewhere, {recursive: true, force: true})
    }
  })

  it('a service that does not exist is one line naming it and the known services', () => {
    const r = berth(['stop', 'wbe'], dir)
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'error: no such service: wbe (services: db, web)\n')
  })

  it('logs prints prefixed lines; --no-log-prefix the bare lines', () => {
    const logs = berth(['logs'], dir)
    assert.equal(logs.code, 0, logs.stderr)
    assert.deepEqual(logs.stdout.trimEnd().split('\n').sort(), ['db-1   | db-ready', 'web-1  | web-ready'])
    assert.equal(berth(['logs', '--no-log-prefix', 'web'], dir).stdout, 'web-ready\n')
  })

  it('exec and run exit with the command\'s code; the command keeps its own flags', () => {
    const exec = berth(['exec', '-T', 'web', 'sh', '-c', 'echo in-exec; exit 3'], dir)
    assert.equal(exec.code, 3, exec.stderr)
    assert.equal(exec.stdout, 'in-exec\n')
    const run = berth(['run', '--rm', '-T', '-e', 'X=42', 'web', 'sh', '-c', 'echo "run $X"; exit 4'], dir)
    assert.equal(run.code, 4, run.stderr)
    assert.equal(run.stdout, 'run 42\n')
    const piped = berth(['exec', '-T', 'db', 'sh'], dir, 'echo from-stdin\n')
    assert.equal(piped.stdout, 'from-stdin\n')
  })

  it('stop / start / ls / rm', () => {
    const stop = berth(['stop', '-t', '0', '--progress', 'plain'], dir)
    assert.equal(stop.code, 0, stop.stderr)
    assert.ok(stop.stderr.indexOf(`Container ${name}-web-1  Stopped`) < stop.stderr.indexOf(`Container ${name}-db-1  Stopped`), stop.stderr)
    assert.equal(berth(['ps', '-q'], dir).stdout, '')
    const ls = JSON.parse(berth(['ls', '-a', '--format', 'json'], dir).stdout) as Array<{Name: string; Status: string}>
    assert.equal(ls.find((p) => p.Name === name)?.Status, 'exited(2)')
    const start = berth(['start', '--progress', 'plain'], dir)
    assert.equal(start.code, 0, start.stderr)
    assert.ok(start.stderr.indexOf(`Container ${name}-db-1  Started`) < start.stderr.indexOf(`Container ${name}-web-1  Started`), start.stderr)
    const rm = berth(['rm', '-f', '-s', '--progress', 'plain', 'web'], dir)
    assert.equal(rm.code, 0, rm.stderr)
    assert.equal(berth(['ps', '-a', '--services'], dir).stdout, 'db\n')
  })
})
