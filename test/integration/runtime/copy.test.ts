/**
 * `cp` on a scaled service brought up by converge: `DIR/.` both ways, every replica or --index,
 * --all for one-off containers, -L, stopped containers, and the one-line refusals.
 */
import {strict as assert} from 'node:assert'
import {lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {PassThrough} from 'node:stream'
import {NotFoundError} from '../../../src/engine/errors.js'
import {converge} from '../../../src/runtime/converge.js'
import {copy} from '../../../src/runtime/copy.js'
import {execInService} from '../../../src/runtime/exec.js'
import {runLifecycle} from '../../../src/runtime/lifecycle.js'
import {runOneOff} from '../../../src/runtime/run.js'
import type {ProjectRef} from '../../../src/runtime/select.js'
import {useHarness, testProject, type Harness} from './helpers.js'
import {collect, until} from './project-fixture.js'

const YAML = `
services:
  web:
    image: busybox
    init: true
    command: ["sh", "-c", "mkdir -p /data/sub && echo a > /data/a.txt && echo b > /data/sub/b.txt && ln -s /data/a.txt /data/link && touch /tmp/ready && exec sleep 600"]
`

/** Every path below `root`, relative, sorted (directories too). */
function listing(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      out.push(relative(root, path))
      if (lstatSync(path).isDirectory()) walk(path)
    }
  }
  walk(root)
  return out.sort()
}

describe('runtime/cp (real engine, scaled service)', function () {
  this.timeout(120_000)
  let h!: Harness
  let dir: string
  useHarness((x) => {
    h = x
    dir = mkdtempSync(join(tmpdir(), 'berth-cp-'))
    h.cleanups.push(async () => rmSync(dir, {recursive: true, force: true}))
  })

  /** A shell command's stdout in replica `index` of web. */
  async function sh(ref: ProjectRef, index: number, script: string): Promise<string> {
    const out = await collect()
    const err = await collect()
    const code = await execInService(h.client, ref, {service: 'web', index, command: ['sh', '-c', script], tty: false, interactive: false, streams: {stdin: new PassThrough(), stdout: out.stream, stderr: err.stream}})
    assert.equal(code, 0, err.text())
    return out.text()
  }

  async function upScaled(label: string): Promise<ProjectRef> {
    const p = testProject(label, YAML)
    h.track(p)
    const project = await p.load()
    await converge(h.engine, project, {scale: {web: 2}})
    const ref = {name: p.name, project}
    for (const index of [1, 2]) await until(async () => (await sh(ref, index, 'test -f /tmp/ready && echo yes || true')) === 'yes\n', 20_000, `web-${index} ready`)
    return ref
  }

  it('SRC/. out of a container copies the directory\'s contents: into an existing directory, or a new one', async () => {
    const ref = await upScaled('cpout')
    await copy(h.client, ref, {source: 'web:/data/.', destination: join(dir, 'new')})
    assert.deepEqual(listing(join(dir, 'new')), ['a.txt', 'link', 'sub', 'sub/b.txt'])
    assert.equal(readlinkSync(join(dir, 'new', 'link')), '/data/a.txt')

    mkdirSync(join(dir, 'exist'))
    writeFileSync(join(dir, 'exist', 'keep.txt'), 'mine\n')
    // A link already at a destination name is replaced, never written through.
    writeFileSync(join(dir, 'victim.txt'), 'untouched\n')
    symlinkSync(join(dir, 'victim.txt'), join(dir, 'exist', 'a.txt'))
    await copy(h.client, ref, {source: 'web:/data/.', destination: join(dir, 'exist')})
    assert.deepEqual(listing(join(dir, 'exist')), ['a.txt', 'keep.txt', 'link', 'sub', 'sub/b.txt'])
    assert.equal(readFileSync(join(dir, 'exist', 'a.txt'), 'utf8'), 'a\n')
    assert.ok(!lstatSync(join(dir, 'exist', 'a.txt')).isSymbolicLink())
    assert.equal(readFileSync(join(dir, 'victim.txt'), 'utf8'), 'untouched\n')

    // Without /. the directory itself goes into the existing one.
    await copy(h.client, ref, {source: 'web:/data', destination: join(dir, 'exist')})
    assert.deepEqual(listing(join(dir, 'exist', 'data')), ['a.txt', 'link', 'sub', 'sub/b.txt'])
  })

  it('DIR/. into a service copies the contents into every replica; --index into one', async () => {
    const ref = await upScaled('cpin')
    mkdirSync(join(dir, 'src', 'sub'), {recursive: true})
    writeFileSync(join(dir, 'src', 'x.txt'), 'x\n')
    writeFileSync(join(dir, 'src', 'sub', 'y.txt'), 'y\n')
    const result = await copy(h.client, ref, {source: join(dir, 'src') + '/.', destination: 'web:/tmp/x'})
    assert.deepEqual(result.containers, [`${ref.name}-web-1`, `${ref.name}-web-2`])
    for (const index of [1, 2]) assert.equal(await sh(ref, index, 'cd /tmp/x && find . | sort'), '.\n./sub\n./sub/y.txt\n./x.txt\n')

    await sh(ref, 2, 'mkdir /tmp/y && echo old > /tmp/y/old.txt')
    await copy(h.client, ref, {source: join(dir, 'src') + '/.', destination: 'web:/tmp/y', index: 2})
    assert.equal(await sh(ref, 2, 'cd /tmp/y && find . | sort'), '.\n./old.txt\n./sub\n./sub/y.txt\n./x.txt\n')
    assert.equal(await sh(ref, 1, 'ls /tmp/y 2>&1 || true'), 'ls: /tmp/y: No such file or directory\n')

    // Without /. the directory keeps its name inside an existing one.
    await copy(h.client, ref, {source: join(dir, 'src'), destination: 'web:/tmp/y', index: 2})
    assert.equal(await sh(ref, 2, 'cd /tmp/y/src && find . | sort'), '.\n./sub\n./sub/y.txt\n./x.txt\n')

    await assert.rejects(copy(h.client, ref, {source: join(dir, 'src'), destination: 'web:/tmp/', index: 5}), (error: Error) => error.message === 'service "web" has no container with index 5 (containers: 1, 2)')
  })

  it('--all copies into one-off containers too; stopped containers count; -L copies what a link points to', async () => {
    const ref = await upScaled('cpall')
    const oneoff = await runOneOff(h.client, ref.project!, {service: 'web', command: ['sleep', '600'], noDeps: true, detach: true, tty: false, interactive: false, streams: {stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough()}})
    const [{Id: oneoffId}] = await h.client.containers.list({filters: {name: [oneoff.name]}})
    writeFileSync(join(dir, 'note.txt'), 'note\n')
    await copy(h.client, ref, {source: join(dir, 'note.txt'), destination: 'web:/tmp/plain.txt'})
    await assert.rejects(h.client.containers.statPath(oneoffId, '/tmp/plain.txt'), NotFoundError)
    const all = await copy(h.client, ref, {source: join(dir, 'note.txt'), destination: 'web:/tmp/all.txt', all: true})
    assert.deepEqual(all.containers, [`${ref.name}-web-1`, `${ref.name}-web-2`, oneoff.name])
    assert.equal((await h.client.containers.statPath(oneoffId, '/tmp/all.txt'))?.size, 5)

    await copy(h.client, ref, {source: 'web:/data/link', destination: join(dir, 'as-link')})
    assert.equal(readlinkSync(join(dir, 'as-link')), '/data/a.txt')
    await copy(h.client, ref, {source: 'web:/data/link', destination: join(dir, 'followed'), followLink: true})
    assert.equal(readFileSync(join(dir, 'followed'), 'utf8'), 'a\n')
    mkdirSync(join(dir, 'into'))
    await copy(h.client, ref, {source: 'web:/data/link', destination: join(dir, 'into'), followLink: true})
    assert.deepEqual(listing(join(dir, 'into')), ['link'])
    assert.equal(readFileSync(join(dir, 'into', 'link'), 'utf8'), 'a\n')

    await runLifecycle(h.client, {name: ref.name}, 'stop', {timeout: 0})
    await copy(h.client, ref, {source: 'web:/data/a.txt', destination: join(dir, 'from-stopped.txt')})
    assert.equal(readFileSync(join(dir, 'from-stopped.txt'), 'utf8'), 'a\n')
    const stopped = await copy(h.client, ref, {source: join(dir, 'note.txt'), destination: 'web:/tmp/into-stopped.txt'})
    assert.equal(stopped.containers.length, 2)
    const replicas = await h.client.containers.list({all: true, filters: {label: [`com.docker.compose.project=${ref.name}`, 'com.docker.compose.oneoff=False']}})
    for (const c of replicas) assert.equal((await h.client.containers.statPath(c.Id, '/tmp/into-stopped.txt'))?.size, 5)
  })

  it('refuses in one line: between containers, a missing directory named with a trailing slash, a directory onto a file', async () => {
    const ref = await upScaled('cpbad')
    writeFileSync(join(dir, 'note.txt'), 'note\n')
    const line = (pattern: RegExp) => (error: Error) => pattern.test(error.message) && !error.message.includes('\n')
    await assert.rejects(copy(h.client, ref, {source: 'web:/data/a.txt', destination: 'web:/tmp/'}), line(/^copying between containers is not supported/))
    await assert.rejects(copy(h.client, ref, {source: 'web:/data/a.txt', destination: join(dir, 'missing') + '/'}), line(/missing\/: no such directory on the host$/))
    await assert.rejects(copy(h.client, ref, {source: join(dir, 'note.txt'), destination: 'web:/tmp/missing/'}), line(/^web:\/tmp\/missing\/: no such directory in the container$/))
    await assert.rejects(copy(h.client, ref, {source: 'web:/data/a.txt/', destination: dir}), line(/^web:\/data\/a\.txt\/: not a directory$/))
    await assert.rejects(copy(h.client, ref, {source: join(dir, 'note.txt') + '/.', destination: 'web:/tmp/'}), line(/note\.txt\/\.: not a directory$/))
    await assert.rejects(copy(h.client, ref, {source: 'web:/data', destination: join(dir, 'note.txt')}), line(/^cannot copy directory web:\/data onto the file /))
    await assert.rejects(copy(h.client, ref, {source: dir, destination: 'web:/data/a.txt'}), line(/onto the file web:\/data\/a\.txt$/))
    assert.equal(readFileSync(join(dir, 'note.txt'), 'utf8'), 'note\n')
    assert.deepEqual(listing(dir), ['note.txt'])
  })
})
