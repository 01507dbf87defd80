/**
 * What the builder's archives (tar-stream, src/build/context/archive.ts) put into an image, side by
 * side with the classic builder (`DOCKER_BUILDKIT=0 docker build`, docker CLI 28) on the same
 * private engine: COPY --from a stage and ADD of a local tar with hard links (they stay one file
 * under the new root), names longer than ustar holds (PAX), symlinks, modes and owners; COPY from
 * the context with a long name and a symlink. Listings compare path, type, mode, owner, link count,
 * size and link target.
 */
import {strict as assert} from 'node:assert'
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {EngineClient} from '../../../src/engine/index.js'
import {buildImage} from '../../../src/build/index.js'
import {testClient, testEngine} from '../../support/engine-hooks.js'
import {runIn} from './helpers.js'

const LONG = `${'n'.repeat(150)}.txt`

describe('build archives: hard links, long names, links and modes (integration, private dockerd)', function () {
  this.timeout(180_000)
  let engine: EngineClient
  let dir: string

  before(function () {
    if (spawnSync('docker', ['--version']).status !== 0 || spawnSync('tar', ['--version']).status !== 0) this.skip()
    engine = testClient()
    dir = mkdtempSync(path.join(os.tmpdir(), 'berth-archives-'))
  })
  after(async () => {
    if (dir) rmSync(dir, {recursive: true, force: true})
    await engine?.close()
  })

  it('COPY --from, ADD of a tar and COPY from the context give the classic builder\'s files', async () => {
    // A tar for ADD: a hard link, a long name, a symlink, owners of its own.
    const src = path.join(dir, 'src')
    mkdirSync(path.join(src, 'pkg/bin'), {recursive: true})
    writeFileSync(path.join(src, 'pkg/bin/tool'), 'tool\n')
    chmodSync(path.join(src, 'pkg/bin/tool'), 0o4755)
    linkSync(path.join(src, 'pkg/bin/tool'), path.join(src, 'pkg/bin/alias'))
    symlinkSync('bin/tool', path.join(src, 'pkg/current'))
    writeFileSync(path.join(src, 'pkg', LONG), 'long\n')
    const context = path.join(dir, 'context')
    mkdirSync(path.join(context, 'ctx/deep'), {recursive: true})
    execFileSync('tar', ['-c', '--format=pax', '--owner=1234', '--group=5678', '--sort=name', '-f', path.join(context, 'pkg.tar'), '-C', src, 'pkg'])
    writeFileSync(path.join(context, 'ctx/deep', LONG), 'ctx long\n')
    writeFileSync(path.join(context, 'ctx/run.sh'), '#!/bin/sh\n')
    chmodSync(path.join(context, 'ctx/run.sh'), 0o750)
    symlinkSync('run.sh', path.join(context, 'ctx/ln'))
    writeFileSync(path.join(context, 'Dockerfile'), [
      'FROM berth-test/busybox:latest AS src',
      `RUN mkdir -p /out/bin && echo tool > /out/bin/tool && chmod 751 /out/bin/tool && ln /out/bin/tool /out/bin/alias && echo long > /out/${LONG} && ln -s bin/tool /out/current`,
      'FROM berth-test/busybox:latest',
      'COPY --from=src /out/ /copied/',
      'ADD pkg.tar /added/',
      'COPY ctx/ /ctx/',
      'CMD ["true"]',
      '',
    ].join('\n'))
    const cli = ['-H', testEngine().host, 'build', '-q', '--rm', '--force-rm', context]
    const classicId = execFileSync('docker', cli, {env: {...process.env, DOCKER_BUILDKIT: '0'}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim().split('\n').pop()!
    const ours = await buildImage(engine, {context}, {})
    const listing = async (id: string) => {
      const script = "find /copied /added /ctx | sort | while read -r p; do stat -c '%n %F %a %u:%g %h %s %N' \"$p\"; done; cat /copied/bin/alias /added/pkg/bin/alias"
      const {out, code} = await runIn(engine, id, ['sh', '-c', script])
      assert.equal(code, 0, out)
      return out
    }
    const [classic, berth] = await Promise.all([listing(classicId), listing(ours.imageId)])
    assert.equal(berth, classic)
    // What both do, spelled out where it matters here.
    const line = (p: string) => berth.split('\n').find((l) => l.startsWith(`${p} `)) ?? ''
    assert.match(line('/copied/bin/alias'), /^\/copied\/bin\/alias regular file 751 0:0 2 5 /)
    assert.match(line('/added/pkg/bin/alias'), /^\/added\/pkg\/bin\/alias regular file 4755 1234:5678 2 5 /)
    assert.match(line(`/copied/${LONG}`), / regular file 644 0:0 1 5 /)
    assert.match(line(`/added/pkg/${LONG}`), / 1234:5678 1 5 /)
    assert.match(line(`/ctx/deep/${LONG}`), / regular file 644 0:0 1 9 /)
    assert.match(line('/ctx/run.sh'), / regular file 750 0:0 1 10 /)
    assert.match(line('/copied/current'), /symbolic link .*'\/copied\/current' -> 'bin\/tool'$/)
    assert.ok(berth.endsWith('tool\ntool\n'), berth)
  })
})
