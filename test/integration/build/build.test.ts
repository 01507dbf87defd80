import {strict as assert} from 'node:assert'
import {cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync, symlinkSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {EngineClient} from '../../../src/engine/index.js'
import {buildImage, BuildError, CACHE_LABEL} from '../../../src/build/index.js'
import {DockerfileError} from '../../../src/build/dockerfile/errors.js'
import {testClient} from '../../support/engine-hooks.js'
import {FIXTURES, buildFixture, cacheMap, runIn} from './helpers.js'

describe('build (integration, private dockerd)', function () {
  this.timeout(180_000)
  let engine: EngineClient
  before(() => {
    engine = testClient()
  })
  after(async () => {
    await engine.close()
  })

  describe('basic fixture', () => {
    it('builds the image config and filesystem, then hits the cache for every step', async () => {
      const first = await buildFixture(engine, 'basic', {tags: ['berth-fixture/basic:test'], noCache: true})
      assert.ok(first.steps.every((s) => !s.cached))
      const image = await engine.images.inspect('berth-fixture/basic:test')
      assert.equal(image.Id, first.imageId)
      const c = image.Config
      assert.equal(c.WorkingDir, '/srv/app')
      assert.equal(c.User, 'nobody')
      assert.deepEqual(c.Entrypoint, ['/bin/sh', '-c'])
      assert.deepEqual(c.Cmd, ['cat greeting.txt'])
      assert.deepEqual(Object.keys(c.ExposedPorts ?? {}).sort(), ['53/udp', '8080/tcp'])
      assert.deepEqual(Object.keys(c.Volumes ?? {}), ['/data'])
      assert.equal(c.StopSignal, 'SIGINT')
      assert.deepEqual(c.Healthcheck, {Test: ['CMD-SHELL', 'test -f /srv/app/greeting.txt'], Interval: 30e9, Timeout: 3e9, Retries: 2})
      assert.ok(c.Env?.includes('APP_HOME=/srv/app'))
      assert.ok(!c.Env?.some((e) => e.startsWith('GREETING=')), 'build args must not end up in the image env')
      assert.equal(c.Labels?.['org.example.name'], 'basic fixture')
      assert.ok(c.Labels?.[CACHE_LABEL]?.startsWith('sha256:'))

      const run = await runIn(engine, 'berth-fixture/basic:test', ['sh', '-c', 'cat greeting.txt; ls -A /srv/app | sort | tr "\\n" " "; echo; stat -c "%u:%g %a" /etc/app/config.ini; ls /srv/app/secret.txt 2>&1 || true'])
      assert.equal(run.code, 0)
      const lines = run.out.trim().split('\n')
      assert.equal(lines[0], 'hello from RUN')
      assert.equal(lines[1].trim(), 'greeting.txt main.js run.sh')
      assert.equal(lines[2], '65534:65534 644')

      const second = await buildFixture(engine, 'basic', {tags: ['berth-fixture/basic:test']})
      assert.equal(second.imageId, first.imageId)
      assert.ok(second.steps.every((s) => s.cached), cacheMap(second).join('\n'))
    })

    it('a touch keeps the cache; a content change re-runs from that COPY on', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-build-basic-'))
      try {
        cpSync(path.join(FIXTURES, 'basic'), dir, {recursive: true})
        const first = await buildFixture(engine, dir)
        const touchedAt = new Date(Date.now() + 60_000)
        utimesSync(path.join(dir, 'config.ini'), touchedAt, touchedAt)
        const touched = await buildFixture(engine, dir)
        assert.equal(touched.imageId, first.imageId)
        assert.ok(touched.steps.every((s) => s.cached))

        // unique content, so no earlier run's cache can match
        writeFileSync(path.join(dir, 'config.ini'), `[app]\nname=changed-${process.pid}-${Date.now()}\n`)
        const changed = await buildFixture(engine, dir)
        assert.notEqual(changed.imageId, first.imageId)
        const map = cacheMap(changed)
        const at = map.findIndex((s) => s.includes('config.ini'))
        assert.ok(at > 0)
        assert.ok(map.slice(0, at).every((s) => s.startsWith('CACHED')), map.join('\n'))
        assert.ok(map.slice(at).every((s) => s.startsWith('RAN')), map.join('\n'))
        // An ignored file never matters.
        writeFileSync(path.join(dir, 'secret.txt'), 'other secret')
        const ignored = await buildFixture(engine, dir)
        assert.equal(ignored.imageId, changed.imageId)
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    })

    it('a changed build arg re-runs the steps that see it', async () => {
      const base = await buildFixture(engine, 'basic')
      const greeting = `bonjour-${process.pid}-${Date.now()}`
      const other = await buildFixture(engine, 'basic', {args: {GREETING: greeting}})
      assert.notEqual(other.imageId, base.imageId)
      // ARG GREETING is the first step, so every step sees the new value
      assert.ok(cacheMap(other).every((s) => s.startsWith('RAN')), cacheMap(other).join('\n'))
      assert.equal((await runIn(engine, other.imageId, ['cat', '/srv/app/greeting.txt'])).out, `${greeting} from RUN\n`)
      const again = await buildFixture(engine, 'basic', {args: {GREETING: greeting}})
      assert.equal(again.imageId, other.imageId)
      assert.ok(cacheMap(again).every((s) => s.startsWith('CACHED')))
    })
  })

  describe('multi-stage', () => {
    it('builds only the stages the target needs, with COPY --from a stage, an index and an image', async () => {
      const built = await buildFixture(engine, 'multistage', {tags: ['berth-fixture/multistage:test']})
      assert.ok(!built.steps.some((s) => s.text.includes('unused')), 'the unused stage must be skipped')
      assert.ok(!built.steps.some((s) => s.text.includes('tested')), 'the test stage is not needed by the default target')
      const run = await runIn(engine, built.imageId, ['sh', '-c', 'cat /app/app.txt; cat /app/from-index.txt; head -1 /app/group.copy; pwd'])
      assert.equal(run.out, 'deps\none\ntwo\ndeps\nroot:x:0:\n/app\n')
      const config = (await engine.images.inspect(built.imageId)).Config
      assert.equal(config.WorkingDir, '/app')
      assert.deepEqual(config.Cmd, ['cat', '/app/app.txt'])
    })

    it('--target builds that stage and its dependencies', async () => {
      const built = await buildFixture(engine, 'multistage', {target: 'test'})
      assert.ok(built.steps.some((s) => s.text.includes('tested')))
      assert.equal((await runIn(engine, built.imageId, ['cat', '/tested'])).out, 'tested\n')
      await assert.rejects(buildFixture(engine, 'multistage', {target: 'nope'}), /target stage "nope" could not be found/)
    })
  })

  it('args: global ARGs in FROM, redeclared ARGs, defaults, overrides, ENV over ARG; unused build args warn', async () => {
    const built = await buildFixture(engine, 'args', {args: {VERSION: '2.5', NOT_DECLARED: 'x'}})
    const run = await runIn(engine, built.imageId, ['cat', '/args.txt'])
    assert.equal(run.out, 'version=2.5 overridden=from-env unset=[] tag=latest\n')
    const config = (await engine.images.inspect(built.imageId)).Config
    for (const env of ['OVERRIDDEN=from-env', 'VERSION_ENV=v2.5', 'DEFAULTED=fallback', 'ALTERNATE=has-version']) assert.ok(config.Env?.includes(env), env)
    assert.equal(config.Labels?.version, '2.5')
    assert.equal(config.Labels?.['base.tag'], 'latest')
    assert.deepEqual(built.warnings, ['one or more build-args [NOT_DECLARED] were not consumed'])
  })

  it('ONBUILD triggers run in the child build, and are not inherited further', async () => {
    const base = await buildFixture(engine, 'onbuild', {dockerfile: 'Dockerfile.base', tags: ['berth-fixture/onbuild-base:latest']})
    assert.deepEqual((await engine.images.inspect(base.imageId)).Config as unknown as {OnBuild: string[]}['OnBuild'] !== undefined, true)
    const child = await buildFixture(engine, 'onbuild')
    assert.equal((await runIn(engine, child.imageId, ['cat', '/app/both.txt'])).out, 'payload\ntriggered\n')
    const childConfig = (await engine.images.inspect(child.imageId)).Config as {OnBuild?: string[] | null}
    assert.ok(!childConfig.OnBuild || childConfig.OnBuild.length === 0)
  })

  it('heredocs: RUN script, RUN with stdin heredoc, COPY heredoc files (expanded or not)', async () => {
    const built = await buildFixture(engine, 'heredoc')
    const run = await runIn(engine, built.imageId, ['sh', '-c', 'cat /out/script.txt /out/fed.txt /out/config.ini /out/raw.txt'])
    assert.equal(run.out, 'script line one\nscript line two\nfed through stdin to berth\n[app]\nname=berth\n$NOT_EXPANDED\n')
  })

  it('.dockerignore: patterns, ** and exceptions; Dockerfile and .dockerignore excluded when listed', async () => {
    const built = await buildFixture(engine, 'dockerignore')
    const listing = (await runIn(engine, built.imageId, ['cat', '/listing.txt'])).out.trim().split('\n')
    assert.deepEqual(listing, ['.', './keep', './keep/file.txt', './logs', './logs/important.log', './readme.md'])
  })

  it('chown/chmod and ADD unpacking, checked inside the running container', async () => {
    const built = await buildFixture(engine, 'chown')
    const run = await runIn(engine, built.imageId, ['sh', '-c', [
      'stat -c "%n %u:%g %a" /owned /owned/data.txt /numeric/secret.txt /usr/local/bin/tool /unpacked/inner/x.txt /added/plain.txt',
      'cat /unpacked/inner/x.txt',
      'tool',
    ].join('; ')])
    assert.equal(run.out, [
      '/owned 65534:65534 755',
      '/owned/data.txt 65534:65534 644',
      '/numeric/secret.txt 1234:4321 600',
      '/usr/local/bin/tool 0:0 755',
      '/unpacked/inner/x.txt 0:0 644',
      '/added/plain.txt 0:0 644',
      'from-archive',
      'tool',
      '',
    ].join('\n'))
    const asNobody = await runIn(engine, built.imageId, ['cat', '/numeric/secret.txt'], 'nobody')
    assert.notEqual(asNobody.code, 0)
  })

  describe('faults', () => {
    it('a failing RUN names the step, the command, the exit code and the last 20 lines; no container is left', async () => {
      const before = await engine.containers.list({all: true})
      const error = await buildFixture(engine, 'fail', {noCache: true}).then(() => undefined, (e: unknown) => e)
      assert.ok(error instanceof BuildError, String(error))
      assert.match(error.message, /RUN echo start .* failed with exit code 7/)
      assert.equal(error.code, 'BUILD_RUN_FAILED')
      const lines = error.context!.split('\n')
      assert.equal(lines[0], 'last 20 lines of output:')
      assert.equal(lines.length, 21)
      assert.equal(lines[1].trim(), 'line 12')
      assert.equal(lines[20].trim(), 'about to fail')
      assert.equal((await engine.containers.list({all: true})).length, before.length)
    })

    it('unknown instruction, bad flag, missing source and a source outside the context fail before any container', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-build-bad-'))
      try {
        const build = (dockerfile: string) => buildImage(engine, {context: dir, dockerfileInline: dockerfile})
        await assert.rejects(build('FROM berth-test/busybox\nRUNN x\n'), (e: unknown) => e instanceof DockerfileError && /:2:1: unknown instruction: RUNN/.test(e.message))
        await assert.rejects(build('FROM berth-test/busybox\nCOPY --own=1 a /b\n'), /unknown flag: --own/)
        await assert.rejects(build('FROM berth-test/busybox\nCOPY missing.txt /x\n'), /:2:1: COPY failed: file not found in build context or excluded by \.dockerignore: missing\.txt/)
        await assert.rejects(build('FROM berth-test/busybox\nCOPY ../x /x\n'), /forbidden path outside the build context: \.\.\/x/)
        symlinkSync('/etc/passwd', path.join(dir, 'out-link'))
        await assert.rejects(build('FROM berth-test/busybox\nCOPY out-link /x\n'), /symlink to \/etc\/passwd, outside the build context/)
        await assert.rejects(build('FROM berth-test/busybox\nRUN --mount=type=cache,target=/x true\n'), /needs BuildKit/)
        await assert.rejects(build('FROM berth-fixture/does-not-exist:1\n'), (e: unknown) => e instanceof BuildError && e.code === 'BUILD_BASE_IMAGE' && /not on this engine and cannot be pulled/.test(e.message))
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    })

    it('cancelling mid-RUN leaves no container behind', async () => {
      const before = (await engine.containers.list({all: true})).length
      const controller = new AbortController()
      const started = new Promise<void>((resolve) => {
        setTimeout(resolve, 100)
      })
      const build = buildImage(engine, {context: path.join(FIXTURES, 'fail'), dockerfileInline: 'FROM berth-test/busybox\nRUN echo go; sleep 30\n', noCache: true, signal: controller.signal}, {
        output: () => controller.abort(),
      })
      await started
      await assert.rejects(build, /cancelled/)
      assert.equal((await engine.containers.list({all: true})).length, before)
    })
  })
})
