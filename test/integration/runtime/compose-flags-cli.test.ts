/**
 * Flags of docker compose v5 that `run`, `exec`, `ps`, `pull` and `config` take, as a user runs
 * them: the built CLI (dist/, `npm run build`; or BERTH_TEST_BIN) against the test engine, with a
 * local registry (Debian's docker-registry on 127.0.0.1) for pulls and digests.
 */
import {strict as assert} from 'node:assert'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {EngineClient} from '../../../src/engine/index.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'
import {startRegistry, type TestRegistry} from '../../support/registry.js'
import {uniqueProject} from './project-fixture.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = process.env.BERTH_TEST_BIN ?? join(ROOT, 'bin/run.js')

function berth(args: string[], cwd: string, input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd, input, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, timeout: 120_000})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

/** The effective capabilities of a process, from /proc/self/status. */
function capEff(text: string): bigint {
  const match = /CapEff:\s*([0-9a-f]+)/.exec(text)
  assert.ok(match, text)
  return BigInt(`0x${match[1]}`)
}

const CAP_CHOWN = 1n << 0n
const CAP_NET_ADMIN = 1n << 12n

describe('berth run / exec / ps / pull / config: docker compose v5 flags (CLI, real engine)', function () {
  this.timeout(180_000)
  const name = uniqueProject('flags')
  let dir: string
  let engine: EngineClient
  let registry: TestRegistry | undefined
  let pushed: string

  before(async function () {
    if (!existsSync(join(ROOT, 'dist', 'commands', 'run.js'))) this.skip()
    engine = testClient()
    registry = await startRegistry()
    pushed = `${registry.address}/berth/${name}:1`
    await engine.images.tag(BASE_IMAGE, pushed)
    await engine.images.push(pushed)
    await engine.images.remove(pushed)
    dir = mkdtempSync(join(tmpdir(), 'berth-flags-'))
    writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY built /built\n')
    writeFileSync(join(dir, 'built'), 'one\n')
    writeFileSync(join(dir, 'vars.env'), 'A=1\nB=from-file\n')
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        `name: ${name}`,
        'services:',
        '  web:',
        '    image: busybox',
        '    init: true',
        '    command: ["sleep", "600"]',
        '    networks:',
        '      default:',
        '        aliases: [web-alias]',
        '  reg:',
        `    image: ${pushed}`,
        '    command: ["true"]',
        '  never:',
        `    image: ${pushed}`,
        '    pull_policy: never',
        '  app:',
        '    build: .',
        `    image: ${name}-app:dev`,
        '    command: ["cat", "/built"]',
        '',
      ].join('\n'),
    )
    writeFileSync(join(dir, 'orphan.yaml'), `name: ${name}\nservices:\n  orphan:\n    image: busybox\n    init: true\n    command: ["sleep", "600"]\n`)
    const up = berth(['up', '-d', '--progress', 'quiet', 'web'], dir)
    assert.equal(up.code, 0, up.stderr)
  })

  after(async function () {
    if (dir) {
      berth(['down', '-t', '0', '-v', '--remove-orphans'], dir)
      for (const c of await engine.containers.list({all: true, filters: {label: [`com.docker.compose.project=${name}`]}})) await engine.containers.remove(c.Id, {force: true})
      rmSync(dir, {recursive: true, force: true})
    }
    await registry?.stop()
    await engine?.close()
  })

  it('run -d prints the container ID, as docker compose does; -q prints nothing but the command\'s output', async () => {
    const detached = berth(['run', '-d', 'web', 'sleep', '30'], dir)
    assert.equal(detached.code, 0, detached.stderr)
    assert.match(detached.stdout, /^[0-9a-f]{64}\n$/)
    const info = await engine.containers.inspect(detached.stdout.trim())
    assert.match(info.Name, new RegExp(`^/${name}-web-run-[0-9a-f]{12}$`))
    await engine.containers.remove(info.Id, {force: true})

    const quiet = berth(['run', '--rm', '-q', 'web', 'echo', 'hi'], dir)
    assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, 'hi\n', ''])
    const quietDetached = berth(['run', '--rm', '-q', '-d', 'web', 'true'], dir)
    assert.match(quietDetached.stdout, /^[0-9a-f]{64}\n$/)
    assert.equal(quietDetached.stderr, '')
  })

  it('run --cap-add / --cap-drop change the container\'s capabilities', () => {
    const plain = berth(['run', '--rm', '-T', 'web', 'grep', 'CapEff', '/proc/self/status'], dir)
    const changed = berth(['run', '--rm', '-T', '--cap-add', 'NET_ADMIN', '--cap-drop', 'CHOWN', 'web', 'grep', 'CapEff', '/proc/self/status'], dir)
    assert.equal(changed.code, 0, changed.stderr)
    assert.equal(capEff(plain.stdout) & CAP_NET_ADMIN, 0n)
    assert.equal(capEff(plain.stdout) & CAP_CHOWN, CAP_CHOWN)
    assert.equal(capEff(changed.stdout) & CAP_NET_ADMIN, CAP_NET_ADMIN)
    assert.equal(capEff(changed.stdout) & CAP_CHOWN, 0n)
  })

  it('run --env-from-file sets variables from a file, -e wins; a missing file is one line before anything runs', () => {
    const r = berth(['run', '--rm', '-T', '--env-from-file', 'vars.env', '-e', 'B=from-e', 'web', 'sh', '-c', 'echo "$A $B"'], dir)
    assert.deepEqual([r.code, r.stdout], [0, '1 from-e\n'], r.stderr)
    const missing = berth(['run', '--rm', '--env-from-file', 'nope.env', 'web', 'true'], dir)
    assert.deepEqual([missing.code, missing.stderr], [1, 'error: --env-from-file nope.env: no such file\n'])
  })

  it('run --use-aliases gives the one-off the service\'s network aliases; without it, only its own name', async () => {
    const plain = berth(['run', '-d', 'web', 'sleep', '30'], dir)
    const aliased = berth(['run', '-d', '--use-aliases', 'web', 'sleep', '30'], dir)
    const aliasesOf = async (id: string) => {
      const info = await engine.containers.inspect(id)
      const networks = Object.values(info.NetworkSettings?.Networks ?? {}) as Array<{Aliases?: string[] | null}>
      return {name: info.Name.slice(1), aliases: networks.flatMap((n) => n.Aliases ?? [])}
    }
    const a = await aliasesOf(plain.stdout.trim())
    const b = await aliasesOf(aliased.stdout.trim())
    assert.ok(a.aliases.includes(a.name))
    assert.ok(!a.aliases.includes('web') && !a.aliases.includes('web-alias') && !a.aliases.includes(`${name}-web-1`), a.aliases.join(','))
    assert.ok(b.aliases.includes(b.name) && b.aliases.includes('web') && b.aliases.includes('web-alias'), b.aliases.join(','))
    assert.ok(!b.aliases.includes(`${name}-web-1`), 'never the replica\'s name')
    for (const id of [plain.stdout.trim(), aliased.stdout.trim()]) await engine.containers.remove(id, {force: true})
  })

  it('run and exec take --no-tty as well as -T', () => {
    for (const flag of ['--no-tty', '-T', '--no-TTY']) {
      const run = berth(['run', '--rm', flag, 'web', 'tty'], dir)
      assert.deepEqual([run.code, run.stdout], [1, 'not a tty\n'], `run ${flag}: ${run.stderr}`)
      const exec = berth(['exec', flag, 'web', 'tty'], dir)
      assert.deepEqual([exec.code, exec.stdout], [1, 'not a tty\n'], `exec ${flag}: ${exec.stderr}`)
    }
  })

  it('run warns about orphans and --remove-orphans removes them; ps lists orphans unless --orphans=false', () => {
    const orphan = berth(['-f', 'orphan.yaml', 'up', '-d', '--progress', 'quiet'], dir)
    assert.equal(orphan.code, 0, orphan.stderr)
    const names = (args: string[]) => {
      const r = berth(['ps', '--format', 'json', ...args], dir)
      assert.equal(r.code, 0, r.stderr)
      return r.stdout.trim().split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as {Name: string}).Name).sort()
    }
    assert.deepEqual(names([]), [`${name}-orphan-1`, `${name}-web-1`])
    assert.deepEqual(names(['--orphans=false']), [`${name}-web-1`])
    assert.deepEqual(names(['--no-orphans']), [`${name}-web-1`])
    assert.deepEqual(names(['--orphans=true']), [`${name}-orphan-1`, `${name}-web-1`])
    const bad = berth(['ps', '--orphans=maybe'], dir)
    assert.deepEqual([bad.code, bad.stderr], [1, 'error: invalid value "maybe" for --orphans: use true or false\n'])

    const warned = berth(['run', '--rm', 'web', 'true'], dir)
    assert.equal(warned.code, 0, warned.stderr)
    assert.match(warned.stderr, new RegExp(`found orphan containers \\(${name}-orphan-1\\)`))
    assert.deepEqual(names([]), [`${name}-orphan-1`, `${name}-web-1`], 'kept without --remove-orphans')
    const removed = berth(['run', '--rm', '--remove-orphans', 'web', 'true'], dir)
    assert.equal(removed.code, 0, removed.stderr)
    assert.deepEqual(names(['-a']).filter((n) => !n.includes('-run-')), [`${name}-web-1`])
  })

  it('run --pull never|missing|always, with --quiet-pull hiding the pull', async () => {
    assert.equal(await engine.images.find(pushed), undefined)
    const never = berth(['run', '--rm', '--pull', 'never', 'reg'], dir)
    assert.equal(never.code, 1)
    assert.equal(never.stderr.split('\n')[0], `error: service "reg": image "${pushed}" is not present locally and pulling is off`)
    const missing = berth(['run', '--rm', '--pull', 'missing', '--quiet-pull', '--progress', 'plain', 'reg'], dir)
    assert.equal(missing.code, 0, missing.stderr)
    assert.ok(await engine.images.find(pushed), 'pulled')
    assert.doesNotMatch(missing.stderr, /Pull/)
    const present = berth(['run', '--rm', '--pull', 'missing', '--progress', 'plain', 'reg'], dir)
    assert.doesNotMatch(present.stderr, /Pulling/)
    const always = berth(['run', '--rm', '--pull', 'always', '--progress', 'plain', 'reg'], dir)
    assert.equal(always.code, 0, always.stderr)
    assert.match(always.stderr, new RegExp(`Image ${pushed.replaceAll('.', '\\.')} +Pulled`))
    await engine.images.remove(pushed)
  })

  it('run --build builds the image first; --quiet-build hides the build', () => {
    const first = berth(['run', '--rm', '--build', '--progress', 'plain', 'app'], dir)
    assert.deepEqual([first.code, first.stdout], [0, 'one\n'], first.stderr)
    assert.match(first.stderr, /Building/)
    writeFileSync(join(dir, 'built'), 'two\n')
    const stale = berth(['run', '--rm', 'app'], dir)
    assert.equal(stale.stdout, 'one\n', 'without --build the image is not rebuilt')
    const second = berth(['run', '--rm', '--build', '--quiet-build', '--progress', 'plain', 'app'], dir)
    assert.deepEqual([second.code, second.stdout], [0, 'two\n'], second.stderr)
    assert.doesNotMatch(second.stderr, /Build/)
  })

  it('pull follows pull_policy, --policy missing pulls only what is not here, --policy always everything', async () => {
    const never = berth(['pull', '--progress', 'plain', 'never'], dir)
    assert.equal(never.code, 0, never.stderr)
    assert.match(never.stderr, /Skipped/)
    assert.equal(await engine.images.find(pushed), undefined, 'pull_policy: never is not pulled')

    const missing = berth(['pull', '--policy', 'missing', '--progress', 'plain', 'reg', 'web'], dir)
    assert.equal(missing.code, 0, missing.stderr)
    assert.ok(await engine.images.find(pushed))
    assert.match(missing.stderr, /Image busybox +Skipped/)
    assert.match(missing.stderr, /Pulled/)
    const again = berth(['pull', '--policy', 'missing', '--progress', 'plain', 'reg'], dir)
    assert.doesNotMatch(again.stderr, /Pulling/)
    const always = berth(['pull', '--policy', 'always', '--progress', 'plain', 'never'], dir)
    assert.equal(always.code, 0, always.stderr)
    assert.match(always.stderr, /Pulled/)
    const bad = berth(['pull', '--policy', 'sometimes'], dir)
    assert.equal(bad.code, 2)
    assert.equal(bad.stderr, 'error: Expected --policy=sometimes to be one of: missing, always\n')
  })

  it('config --resolve-image-digests / --lock-image-digests pin images to the local digest, offline too; an image with none is one line', async () => {
    if (!(await engine.images.find(pushed))) await engine.images.pull(pushed)
    const digest = (await engine.images.inspect(pushed)).RepoDigests[0].split('@')[1]
    assert.match(digest, /^sha256:[0-9a-f]{64}$/)
    const resolved = berth(['config', '--resolve-image-digests', '--format', 'json', 'reg'], dir)
    assert.equal(resolved.code, 0, resolved.stderr)
    assert.equal((JSON.parse(resolved.stdout) as {services: {reg: {image: string}}}).services.reg.image, `${pushed}@${digest}`)

    await registry?.stop()
    registry = undefined
    const locked = berth(['config', '--lock-image-digests', 'reg', 'never'], dir)
    assert.equal(locked.code, 0, locked.stderr)
    assert.equal(locked.stdout, `services:\n  never:\n    image: ${pushed}@${digest}\n  reg:\n    image: ${pushed}@${digest}\n`)

    const unknown = berth(['config', '--resolve-image-digests', 'app'], dir)
    assert.equal(unknown.code, 1)
    const lines = unknown.stderr.trim().split('\n')
    assert.match(lines[0], new RegExp(`^error: cannot pin image "${name}-app:dev" \\(service app\\) to a digest: the local image has no digest from its registry, and asking its registry failed: `))
    assert.equal(lines.length, 2)
    assert.match(lines[1], /^hint: /)
  })
})
