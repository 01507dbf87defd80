/**
 * `berth up --watch` and `berth watch` as a user runs them (the built CLI against the test engine):
 * logs and watch messages together, a sync, a rebuild whose new container's lines keep the
 * `app-1` prefix, Ctrl-C; and the refusals before any engine call.
 */
import {strict as assert} from 'node:assert'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {observe} from '../../../src/runtime/observe.js'
import {useHarness, testProject, type Harness} from './helpers.js'
import {until} from './project-fixture.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = join(ROOT, 'bin/run.js')

const YAML = `
services:
  web:
    image: busybox
    init: true
    command: ["sh", "-c", "echo web ready; exec sleep 600"]
    develop:
      watch:
        - {path: ./src, action: sync+exec, target: /app, exec: {command: "echo synced $$(cat /app/a.txt)"}}
  app:
    build: ./ctx
    init: true
    develop:
      watch:
        - {path: ./ctx, action: rebuild}
`

describe('berth up --watch / watch (CLI, real engine)', function () {
  this.timeout(180_000)
  let h!: Harness
  useHarness((x) => (h = x))
  before(function () {
    if (!existsSync(join(ROOT, 'dist/commands/watch.js'))) this.skip()
  })

  it('up --watch: logs, a sync with its hook, a rebuild, then Ctrl-C stops the project', async () => {
    const p = testProject('upwatch', YAML)
    h.track(p)
    mkdirSync(join(p.dir, 'src'))
    mkdirSync(join(p.dir, 'ctx'))
    writeFileSync(join(p.dir, 'ctx/Dockerfile'), 'FROM busybox\nCOPY v.txt /v.txt\nCMD ["sh", "-c", "echo app says $(cat /v.txt); exec sleep 600"]\n')
    writeFileSync(join(p.dir, 'ctx/v.txt'), 'one\n')
    const child = spawn(process.execPath, [BIN, 'up', '--watch', '--progress', 'plain', '-t', '2', '-p', p.name], {cwd: p.dir, env: {...process.env, NO_COLOR: '1'}})
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d))
    child.stderr.on('data', (d: Buffer) => (err += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      await until(() => out.includes('Watch enabled') && out.includes('app says one') && out.includes('web ready'), 60_000, `watching (stdout: ${out}; stderr: ${err})`)

      writeFileSync(join(p.dir, 'src/a.txt'), 'hello\n')
      await until(() => out.includes('synced hello'), 20_000, `the hook's output (stdout: ${out})`)
      assert.match(out, /Syncing service "web" after 1 changes were detected/)

      writeFileSync(join(p.dir, 'ctx/v.txt'), 'two\n')
      await until(() => out.includes('service(s) ["app"] successfully built'), 60_000, `rebuild (stdout: ${out}; stderr: ${err})`)
      await until(() => /^app-1 +\| app says two$/m.test(out), 20_000, `the new container's line with its final prefix (stdout: ${out})`)
      assert.match(out, /Rebuilding service\(s\) \["app"\] after changes were detected\.\.\./)
      assert.doesNotMatch(out, /[0-9a-f]{12}_/, 'no temporary names in prefixes')
    } finally {
      child.kill('SIGINT')
    }
    const code = await exited
    assert.equal(code, 130, err)
    assert.match(out, /Watch disabled/)
    const states = (await observe(h.engine, p.name)).containers.map((c) => c.state)
    assert.deepEqual(states, ['exited', 'exited'], 'everything stopped')
  })

  it('refuses before any engine call: -d with --watch, --no-build with --watch, a rebuild rule without build:, nothing to watch', () => {
    const run = (args: string[], yaml: string) => {
      const p = testProject('watchbad', yaml)
      h.track(p)
      const r = spawnSync(process.execPath, [BIN, ...args, '-p', p.name], {cwd: p.dir, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', DOCKER_HOST: 'tcp://127.0.0.1:1'}})
      return {code: r.status, stderr: r.stderr}
    }
    const plain = 'services:\n  a: {image: busybox}\n'
    const noBuild = 'services:\n  a:\n    image: busybox\n    develop:\n      watch: [{path: ., action: rebuild}]\n'
    const cases: Array<[string[], string, RegExp]> = [
      [['up', '-d', '--watch'], plain, /^error: --detach cannot be combined with --watch/],
      [['up', '--no-build', '--watch'], plain, /^error: --no-build and --watch are incompatible/],
      [['up', '--watch'], noBuild, /^error: can't watch service "a" with action rebuild without a build context/],
      [['up', '--watch'], plain, /^error: none of the selected services is configured for watch/],
      [['watch'], plain, /^error: none of the selected services is configured for watch/],
    ]
    for (const [args, yaml, expected] of cases) {
      const r = run(args, yaml)
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, expected, args.join(' '))
      assert.doesNotMatch(r.stderr, /engine|ECONNREFUSED|127\.0\.0\.1/, 'nothing reached for the engine')
    }
  })
})
