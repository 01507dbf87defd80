/**
 * The lifecycle commands as a user runs them: the built CLI (dist/, `npm run build`; or
 * BERTH_TEST_BIN) against the test engine, on a project brought up by `berth up -d`.
 */
import {strict as assert} from 'node:assert'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {testClient} from '../../support/engine-hooks.js'
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

  it('cp DIR/. both ways, logs --index, run -p PORT and top as compose has them; cp between containers is one line', async () => {
    const host = mkdtempSync(join(tmpdir(), 'berth-cli-cp-'))
    try {
      mkdirSync(join(host, 'src', 'sub'), {recursive: true})
      writeFileSync(join(host, 'src', 'x.txt'), 'x\n')
      writeFileSync(join(host, 'src', 'sub', 'y.txt'), 'y\n')
      const into = berth(['cp', join(host, 'src') + '/.', 'web:/tmp/copied'], dir)
      assert.equal(into.code, 0, into.stderr)
      assert.equal(berth(['exec', '-T', 'web', 'sh', '-c', 'cd /tmp/copied && find . | sort'], dir).stdout, '.\n./sub\n./sub/y.txt\n./x.txt\n')
      mkdirSync(join(host, 'back'))
      const out = berth(['cp', 'web:/tmp/copied/.', join(host, 'back')], dir)
      assert.equal(out.code, 0, out.stderr)
      assert.deepEqual([readdirSync(join(host, 'back')).sort(), readdirSync(join(host, 'back', 'sub'))], [['sub', 'x.txt'], ['y.txt']])
      const between = berth(['cp', 'web:/etc/hosts', 'db:/tmp/'], dir)
      assert.deepEqual([between.code, between.stderr], [1, 'error: copying between containers is not supported: one side must be a host path\n'])
    } finally {
      rmSync(host, {recursive: true, force: true})
    }

    assert.equal(berth(['logs', '--index', '1', '--no-log-prefix', 'web'], dir).stdout, 'web-ready\n')
    const missing = berth(['logs', '--index', '2', 'web'], dir)
    assert.deepEqual([missing.code, missing.stderr], [1, 'error: service "web" has no container with index 2 (containers: 1)\n'])
    const noService = berth(['logs', '--index', '1'], dir)
    assert.equal(noService.code, 1)
    assert.equal(noService.stderr.split('\n')[0], 'error: --index needs exactly one service')

    const published = `${name}-published`
    const run = berth(['run', '-d', '-p', '127.0.0.1::80', '--name', published, 'web', 'sleep', '60'], dir)
    assert.equal(run.code, 0, run.stderr)
    try {
      const rows = berth(['ps', '-a', '--format', 'json'], dir).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as {Name: string; Publishers: Array<{URL: string; TargetPort: number; PublishedPort: number}>})
      const [port] = rows.find((r) => r.Name === published)?.Publishers ?? []
      assert.deepEqual([port?.URL, port?.TargetPort], ['127.0.0.1', 80])
      assert.ok(port.PublishedPort > 0)
    } finally {
      const client = testClient()
      await client.containers.remove(published, {force: true}).finally(() => client.close())
    }

    const top = berth(['top', 'web'], dir).stdout.split('\n')
    assert.match(top[0], /^SERVICE {2}# {3}UID +PID +PPID +C +STIME +TTY +TIME +CMD$/)
    assert.match(top[1], /^web {6}1 {3}root +\d+ /)
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
