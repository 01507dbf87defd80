/**
 * The build commands as a user runs them (`node bin/run.js`, built by `npm run build`) against the
 * private dockerd: `berth image build`, `berth build` for a Compose project, `berth builder prune`.
 */
import {strict as assert} from 'node:assert'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {EngineClient} from '../../../src/engine/index.js'
import {testClient, testEngine} from '../../support/engine-hooks.js'
import {FIXTURES, runIn} from './helpers.js'

const REPO = path.resolve(FIXTURES, '../..')
const BIN = path.join(REPO, 'bin', 'run.js')

function berth(args: string[], input?: string): {status: number; stdout: string; stderr: string} {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    input,
    encoding: 'utf8',
    env: {...process.env, DOCKER_HOST: testEngine().host, NO_COLOR: '1', XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? mkdtempSync(path.join(os.tmpdir(), 'berth-cache-'))},
  })
  return {status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
}

describe('build commands (CLI, private dockerd)', function () {
  this.timeout(180_000)
  let engine: EngineClient
  before(function () {
    if (!existsSync(path.join(REPO, 'dist', 'commands', 'image', 'build.js'))) throw new Error('build first: npm run build')
    engine = testClient()
  })
  after(async () => {
    await engine?.close()
  })

  it('berth image build -q prints only the image id and tags it; build args and labels apply', async () => {
    const r = berth(['image', 'build', '-q', '-t', 'berth-cli/args:1', '-t', 'berth-cli/args:latest', '--build-arg', 'VERSION=9.9', '--label', 'team=core', path.join(FIXTURES, 'args')])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/)
    const image = await engine.images.inspect('berth-cli/args:1')
    assert.equal(image.Id, r.stdout.trim())
    assert.ok(image.RepoTags.includes('berth-cli/args:latest'))
    assert.equal(image.Config.Labels?.team, 'core')
    assert.equal(image.Config.Labels?.version, '9.9')
  })

  it('plain progress shows each step with CACHED or a duration', () => {
    const r = berth(['image', 'build', '--progress', 'plain', path.join(FIXTURES, 'args')])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stderr, /\[stage-0 1\/\d+\] FROM berth-test\/busybox:latest/)
    assert.match(r.stderr, /RUN echo .*(CACHED|done in)/s)
    assert.match(r.stderr, /steps cached/)
  })

  it('-f - reads the Dockerfile from stdin', () => {
    const r = berth(['image', 'build', '-q', '-f', '-', path.join(FIXTURES, 'args')], 'FROM berth-test/busybox:latest\nLABEL from=stdin\n')
    assert.equal(r.status, 0, r.stderr)
  })

  it('a Dockerfile mistake is one error line with file:line:col and a snippet, exit 1, no stack', () => {
    const r = berth(['image', 'build', '-f', '-', path.join(FIXTURES, 'args')], 'FROM berth-test/busybox:latest\nCOPY --chwon=1 a /b\n')
    assert.equal(r.status, 1)
    assert.match(r.stderr, /^error: Dockerfile \(inline\):2:6: unknown flag: --chwon/)
    assert.match(r.stderr, /2 \| COPY --chwon=1 a \/b\n {2}\| {6}\^/)
    assert.ok(!r.stderr.includes('    at '), r.stderr)
  })

  it('a bad tag is refused before any engine call', () => {
    const r = berth(['image', 'build', '-t', 'Bad/Name', path.join(FIXTURES, 'args')])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /invalid tag "Bad\/Name": repository names must be lowercase/)
  })

  it('berth build builds the Compose services (shared builds once) and tags each', async () => {
    const r = berth(['build', '--progress', 'plain', '-f', path.join(FIXTURES, 'compose', 'compose.yaml')])
    assert.equal(r.status, 0, r.stderr)
    const web = await engine.images.inspect('buildfix-web')
    const worker = await engine.images.inspect('buildfix/worker:1')
    const extra = await engine.images.inspect('buildfix/web:extra')
    assert.equal(web.Id, worker.Id)
    assert.equal(web.Id, extra.Id)
    assert.equal((await runIn(engine, web.Id, ['cat', '/flavor'])).out, 'vanilla\n')
    const api = await engine.images.inspect('buildfix-api')
    assert.equal(api.Config.Labels?.['com.example.service'], 'api')
    assert.deepEqual(api.Config.Cmd, ['sh', '/app.sh'])
    // one RUN for web+worker, so the RUN line appears once
    assert.equal((r.stderr.match(/RUN echo "\$FLAVOR"/g) ?? []).length, 1, r.stderr)

    const one = berth(['build', '-q', '-f', path.join(FIXTURES, 'compose', 'compose.yaml'), 'api'])
    assert.equal(one.status, 0, one.stderr)
    const none = berth(['build', '-f', path.join(FIXTURES, 'compose', 'compose.yaml'), 'nope'])
    assert.equal(none.status, 1)
  })

  it('berth builder prune removes dangling cache images and keeps tagged ones', async () => {
    const dockerfile = (n: number) => `FROM berth-test/busybox:latest\nRUN echo ${n} > /n\n`
    assert.equal(berth(['image', 'build', '-q', '-t', 'berth-cli/prune:1', '-f', '-', path.join(FIXTURES, 'args')], dockerfile(Date.now())).status, 0)
    // Moving the tag leaves the first build's images dangling.
    const second = berth(['image', 'build', '-q', '-t', 'berth-cli/prune:1', '-f', '-', path.join(FIXTURES, 'args')], dockerfile(Date.now() + 1))
    assert.equal(second.status, 0)
    const r = berth(['builder', 'prune'])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /deleted: sha256:/)
    assert.match(r.stdout, /Total reclaimed space: .* \(\d+ images\)/)
    assert.equal((await engine.images.inspect('berth-cli/prune:1')).Id, second.stdout.trim())
  })
})
