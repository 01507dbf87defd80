/**
 * Berth's builder against the classic builder (`DOCKER_BUILDKIT=0 docker build`, docker CLI 28)
 * on the same private engine: the same fixtures must give the same image config (Env, Cmd,
 * Entrypoint, WorkingDir, User, ExposedPorts, Labels, Healthcheck, Volumes, StopSignal, OnBuild)
 * and the same filesystem listing (path, type, mode, owner, size, link target; mtimes aside).
 * Fixtures use only what the classic builder supports (no heredocs, no --chmod).
 */
import {strict as assert} from 'node:assert'
import {execFileSync, spawnSync} from 'node:child_process'
import path from 'node:path'
import {EngineClient} from '../../src/engine/index.js'
import {buildImage, CACHE_LABEL} from '../../src/build/index.js'
import {ensureBaseImage} from '../support/base-image.js'
import {startPrivateDockerd, type TestEngine} from '../support/private-dockerd.js'
import {FIXTURES, runIn} from '../integration/build/helpers.js'

const CASES: Array<{fixture: string; dockerfile?: string; args?: Record<string, string>; target?: string; tag?: string}> = [
  {fixture: 'basic'},
  {fixture: 'basic', args: {GREETING: 'bonjour'}},
  {fixture: 'args', args: {VERSION: '3.1'}},
  {fixture: 'multistage'},
  {fixture: 'multistage', target: 'build'},
  {fixture: 'dockerignore'},
  {fixture: 'onbuild', dockerfile: 'Dockerfile.base', tag: 'berth-fixture/onbuild-base:latest'},
  {fixture: 'onbuild'},
]

const LISTING = [
  'find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /etc/hostname -o -path /etc/hosts -o -path /etc/resolv.conf -o -path /etc/mtab \\) -prune -o -print',
  '| sort | while read -r p; do',
  '  if [ -L "$p" ]; then echo "$p link $(readlink "$p")";',
  '  elif [ -d "$p" ]; then stat -c "%n dir %a %u:%g" "$p";',
  '  else stat -c "%n file %a %u:%g %s" "$p"; fi;',
  'done',
].join(' ')

function comparableConfig(config: Record<string, unknown>): Record<string, unknown> {
  const labels = {...((config.Labels as Record<string, string> | null) ?? {})}
  delete labels[CACHE_LABEL]
  const emptyToNull = (v: unknown) => (Array.isArray(v) && v.length === 0 ? null : (v ?? null))
  return {
    Env: config.Env ?? null,
    Cmd: emptyToNull(config.Cmd),
    Entrypoint: emptyToNull(config.Entrypoint),
    WorkingDir: config.WorkingDir ?? '',
    User: config.User ?? '',
    ExposedPorts: config.ExposedPorts ?? null,
    Labels: labels,
    Healthcheck: config.Healthcheck ?? null,
    Volumes: config.Volumes ?? null,
    StopSignal: config.StopSignal ?? '',
    OnBuild: emptyToNull(config.OnBuild),
  }
}

describe('build conformance with the classic builder (DOCKER_BUILDKIT=0 docker build)', function () {
  this.timeout(300_000)
  let engine: TestEngine
  let client: EngineClient
  before(async function () {
    if (spawnSync('docker', ['--version']).status !== 0) this.skip()
    engine = await startPrivateDockerd()
    client = EngineClient.forHost(engine.host)
    await ensureBaseImage(client)
  })
  after(async () => {
    await client?.close()
    await engine?.stop()
  })

  for (const c of CASES) {
    const name = `${c.fixture}${c.dockerfile ? `/${c.dockerfile}` : ''}${c.target ? ` --target ${c.target}` : ''}${c.args ? ` ${Object.entries(c.args).map(([k, v]) => `--build-arg ${k}=${v}`).join(' ')}` : ''}`
    it(name, async () => {
      const context = path.join(FIXTURES, c.fixture)
      const cli = ['-H', engine.host, 'build', '-q', '--no-cache', '--rm', '--force-rm']
      if (c.dockerfile) cli.push('-f', path.join(context, c.dockerfile))
      if (c.target) cli.push('--target', c.target)
      for (const [k, v] of Object.entries(c.args ?? {})) cli.push('--build-arg', `${k}=${v}`)
      cli.push(context)
      const classicId = execFileSync('docker', cli, {env: {...process.env, DOCKER_BUILDKIT: '0'}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim().split('\n').pop()!
      const berth = await buildImage(client, {context, dockerfile: c.dockerfile, args: c.args, target: c.target, tags: c.tag ? [c.tag] : undefined, noCache: true})

      const [classic, ours] = await Promise.all([client.images.inspect(classicId), client.images.inspect(berth.imageId)])
      assert.deepEqual(comparableConfig(ours.Config as Record<string, unknown>), comparableConfig(classic.Config as Record<string, unknown>))

      const list = async (id: string) => (await runIn(client, id, ['sh', '-c', LISTING], 'root')).out.split('\n')
      const [classicFiles, ourFiles] = await Promise.all([list(classicId), list(berth.imageId)])
      assert.deepEqual(ourFiles, classicFiles)
    })
  }
})
