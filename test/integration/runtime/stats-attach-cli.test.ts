/**
 * stats, volumes, attach, export, commit and version as a user runs them: the built CLI (dist/,
 * `npm run build`; or BERTH_TEST_BIN) against the test engine, on a project brought up by
 * `berth up -d`.
 */
import {strict as assert} from 'node:assert'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {testClient} from '../../support/engine-hooks.js'
import {tarNames} from '../../support/tar-names.js'
import {uniqueProject} from './project-fixture.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = process.env.BERTH_TEST_BIN ?? join(ROOT, 'bin/run.js')
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}).version

function berth(args: string[], cwd: string, input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd, input, env: {...process.env, NO_COLOR: '1'}, timeout: 120_000, maxBuffer: 64 * 1024 * 1024})
  return {code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), bytes: r.stdout}
}

function ok(r: ReturnType<typeof berth>, what: string) {
  assert.equal(r.code, 0, `${what}: ${r.stderr}`)
  return r
}

describe('berth stats / volumes / attach / export / commit / version (CLI, real engine)', function () {
  this.timeout(180_000)
  const name = uniqueProject('cli5')
  let dir: string

  before(function () {
    if (!existsSync(join(ROOT, 'dist', 'commands', 'stats.js'))) this.skip()
    dir = mkdtempSync(join(tmpdir(), 'berth-cli5-'))
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        `name: ${name}`,
        'services:',
        '  web:',
        '    image: busybox',
        '    init: true',
        '    command: ["sh", "-c", "echo hello > /greeting; while :; do sleep 0.2; done"]',
        '    volumes: [data:/data, logs:/logs]',
        '    deploy: {replicas: 2}',
        '  cat:',
        '    image: busybox',
        '    stdin_open: true',
        '    command: ["cat"]',
        '    volumes: [data:/data]',
        'volumes:',
        '  data: {}',
        '  logs: {}',
      ].join('\n'),
    )
    ok(berth(['up', '-d', '--progress', 'plain'], dir), 'up')
  })

  after(async function () {
    if (!dir) return
    berth(['down', '-t', '0', '-v'], dir)
    rmSync(dir, {recursive: true, force: true})
    const engine = testClient()
    for (const image of [`berth-test/${name}:snap`, `berth-test/${name}:nopause`]) await engine.images.remove(image, {force: true}).catch(() => undefined)
    await engine.close()
  })

  it('version: pretty, --short and --format json; a bad format is one line', () => {
    assert.match(ok(berth(['version'], dir), 'version').stdout, new RegExp(`^berth ${VERSION.replaceAll('.', '\\.')} \\(node v\\d+`))
    assert.equal(ok(berth(['version', '--short'], dir), 'short').stdout, `${VERSION}\n`)
    assert.equal(ok(berth(['version', '-f', 'json'], dir), 'json').stdout, `${JSON.stringify({version: VERSION})}\n`)
    assert.equal(ok(berth(['version', '--format', 'json', '--short'], dir), 'short wins').stdout, `${VERSION}\n`)
    const bad = berth(['version', '--format', 'yaml'], dir)
    assert.notEqual(bad.code, 0)
    assert.equal(bad.stderr.trim().split('\n').length, 1)
    assert.match(bad.stderr, /pretty, json/)
  })

  it('stats --no-stream: the docker columns, one row per running container; json; templates', () => {
    const table = ok(berth(['stats', '--no-stream'], dir), 'stats').stdout.trimEnd().split('\n')
    assert.match(table[0], /^CONTAINER ID {3}NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS$/)
    assert.deepEqual(table.slice(1).map((l) => l.split(/\s+/)[1]), [`${name}-cat-1`, `${name}-web-1`, `${name}-web-2`])
    for (const line of table.slice(1)) assert.match(line, /^[0-9a-f]{12} {3}\S+ +\d+\.\d\d% +[\d.]+[KMG]?i?B \/ [\d.]+[KMGT]?i?B +\d+\.\d\d% +[\d.]+[kMG]?B \/ [\d.]+[kMG]?B +[\d.]+[kMG]?B \/ [\d.]+[kMG]?B +\d+$/)
    const json = ok(berth(['stats', '--no-stream', '--format', 'json', 'web'], dir), 'json').stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>)
    assert.deepEqual(json.map((r) => r.Name), [`${name}-web-1`, `${name}-web-2`])
    assert.deepEqual(Object.keys(json[0]), ['BlockIO', 'CPUPerc', 'Container', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs'])
    assert.equal(json[0].Container.slice(0, 12), json[0].ID)
    assert.ok(Number(json[0].PIDs) >= 2)
    assert.equal(ok(berth(['stats', '--no-stream', '--format', '{{.Name}}', 'cat'], dir), 'template').stdout, `${name}-cat-1\n`)
    const wide = ok(berth(['stats', '--no-stream', '--no-trunc', '--format', 'table {{.ID}}\\t{{.PIDs}}', 'cat'], dir), 'no-trunc').stdout.split('\n')
    assert.match(wide[0], /^CONTAINER ID {55}PIDS$/)
    assert.match(wide[1], /^[0-9a-f]{64} {3}1$/)
  })

  it('stats mistakes are one line before anything runs', () => {
    const nope = berth(['stats', '--no-stream', 'nope'], dir)
    assert.equal(nope.code, 1)
    assert.equal(nope.stderr, 'error: no such service: nope (services: cat, web)\n')
    const field = berth(['stats', '--no-stream', '--format', '{{.Nope}}'], dir)
    assert.equal(field.code, 1)
    assert.match(field.stderr, /^error: template "\{\{\.Nope\}\}": can't evaluate field Nope \(fields: Container, ID, Name, CPUPerc, /)
    assert.notEqual(berth(['stats', 'web', 'cat'], dir).code, 0)
  })

  it('stats streams one block per sample into a pipe until Ctrl-C', async () => {
    const child = spawn(process.execPath, [BIN, 'stats', 'web'], {cwd: dir, env: {...process.env, NO_COLOR: '1'}})
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const deadline = Date.now() + 30_000
    while (out.split('CONTAINER ID').length - 1 < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    child.kill('SIGINT')
    assert.equal(await exited, 0)
    assert.ok(!out.includes('\u001B['), 'no terminal codes into a pipe')
    const blocks = out.trimEnd().split('\n\n')
    assert.ok(blocks.length >= 2, out)
    for (const block of blocks) {
      const lines = block.split('\n')
      assert.match(lines[0], /^CONTAINER ID/)
      assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[1]), [`${name}-web-1`, `${name}-web-2`])
    }
  })

  it('volumes: table, -q, json, a service\'s, and an unknown service', () => {
    assert.equal(ok(berth(['volumes'], dir), 'volumes').stdout, `DRIVER    VOLUME NAME\nlocal     ${name}_data\nlocal     ${name}_logs\n`)
    assert.equal(ok(berth(['volumes', '-q'], dir), '-q').stdout, `${name}_data\n${name}_logs\n`)
    assert.equal(ok(berth(['volumes', '-q', 'cat'], dir), 'cat').stdout, `${name}_data\n`)
    const json = JSON.parse(ok(berth(['volumes', '--format', 'json', 'cat'], dir), 'json').stdout) as Record<string, string>
    assert.equal(json.Name, `${name}_data`)
    assert.equal(json.Driver, 'local')
    assert.match(json.Labels, new RegExp(`com\\.docker\\.compose\\.project=${name}`))
    assert.equal(ok(berth(['volumes', '--format', '{{.Label "com.docker.compose.volume"}}'], dir), 'label').stdout, 'data\nlogs\n')
    const nope = berth(['volumes', 'nope'], dir)
    assert.equal(nope.code, 1)
    assert.equal(nope.stderr, 'error: no such service: nope (services: cat, web)\n')
  })

  it('attach: stdin in, output out; our EOF ends it with the container still running', () => {
    const r = ok(berth(['attach', 'cat'], dir, 'through-attach\n'), 'attach')
    assert.equal(r.stdout, 'through-attach\n')
    assert.match(ok(berth(['ps', '-q', 'cat'], dir), 'ps').stdout, /^[0-9a-f]{12,64}\n$/, 'cat still running')
    const badKeys = berth(['attach', '--detach-keys', 'ctrl-1', 'cat'], dir)
    assert.equal(badKeys.code, 1)
    assert.match(badKeys.stderr, /^error: bad --detach-keys "ctrl-1": ctrl- goes with a letter/)
    const index = berth(['attach', '--index', '3', '--sig-proxy=false', 'web'], dir)
    assert.equal(index.code, 1)
    assert.match(index.stderr, /^error: service "web" has no running container with index 3 \(running: 1, 2\)/)
  })

  it('export: -o FILE, or a pipe; commit: an image, its ID on stdout', () => {
    const file = join(dir, 'web.tar')
    ok(berth(['export', 'web', '--index', '2', '-o', file], dir), 'export -o')
    assert.ok(tarNames(readFileSync(file)).includes('greeting'))
    const piped = ok(berth(['export', 'cat'], dir), 'export |')
    assert.ok(tarNames(piped.bytes).includes('bin/busybox'))
    const missing = berth(['export', 'web', '-o', join(dir, 'no', 'x.tar')], dir)
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /^error: cannot write .*x\.tar: directory ".*no" does not exist\n$/)

    const committed = ok(berth(['commit', 'web', `berth-test/${name}:snap`, '-m', 'snapshot', '-a', 'Ann', '-c', 'ENV STAGE=snap'], dir), 'commit')
    assert.match(committed.stdout, /^sha256:[0-9a-f]{64}\n$/)
    assert.equal(committed.stderr, ` Container ${name}-web-1  Committed as berth-test/${name}:snap\n`)
    ok(berth(['commit', '-p=false', '--index', '2', 'web', `berth-test/${name}:nopause`], dir), 'commit -p=false')
    const bad = berth(['commit', 'web', 'Not:Valid'], dir)
    assert.equal(bad.code, 1)
    assert.equal(bad.stderr, 'error: invalid reference "Not:Valid": repository name must be lowercase\n')
  })
})
