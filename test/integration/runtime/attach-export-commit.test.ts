import {strict as assert} from 'node:assert'
import {mkdtempSync, readFileSync, rmSync, statSync, existsSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import type {EngineClient, EngineEvent} from '../../../src/engine/index.js'
import {BerthError} from '../../../src/errors.js'
import {attachToService} from '../../../src/runtime/attach.js'
import type {TerminalStreams} from '../../../src/runtime/attach-io.js'
import {commitService, planCommit} from '../../../src/runtime/commit.js'
import {exportService, planExport} from '../../../src/runtime/export.js'
import {NoContainerError, NoSuchServiceError} from '../../../src/runtime/select.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'
import {tarNames} from '../../support/tar-names.js'
import {collect, removeProject, uniqueProject, until} from './project-fixture.js'

/** A container labelled as a service's, with the stdin and TTY settings attach cares about. */
async function serviceContainer(engine: EngineClient, project: string, spec: {service: string; number?: number; cmd: string[]; openStdin?: boolean; tty?: boolean; start?: boolean}): Promise<string> {
  const number = spec.number ?? 1
  const {Id} = await engine.containers.create(
    {
      Image: BASE_IMAGE,
      Cmd: spec.cmd,
      Tty: spec.tty ?? false,
      OpenStdin: spec.openStdin ?? false,
      AttachStdin: false,
      Labels: {
        'com.docker.compose.project': project,
        'com.docker.compose.service': spec.service,
        'com.docker.compose.container-number': String(number),
        'com.docker.compose.oneoff': 'False',
      },
      HostConfig: {Init: true, NetworkMode: 'none'},
    },
    {name: `${project}-${spec.service}-${number}`},
  )
  if (spec.start !== false) await engine.containers.start(Id)
  return Id
}

async function terminal(): Promise<{streams: TerminalStreams; stdin: PassThrough; out: () => string; err: () => string}> {
  const stdin = new PassThrough()
  const out = await collect()
  const err = await collect()
  return {streams: {stdin, stdout: out.stream, stderr: err.stream}, stdin, out: out.text, err: err.text}
}

describe('runtime (real engine): attach', function () {
  this.timeout(60_000)
  let engine: EngineClient
  const project = uniqueProject('attach')
  const ids: Record<string, string> = {}

  before(async () => {
    engine = testClient()
    ids.cat = await serviceContainer(engine, project, {service: 'cat', cmd: ['cat'], openStdin: true})
    ids.tty = await serviceContainer(engine, project, {service: 'tty', cmd: ['sh', '-c', 'while :; do echo tick; sleep 0.3; done'], tty: true, openStdin: true})
    ids.paused = await serviceContainer(engine, project, {service: 'frozen', cmd: ['sleep', '600']})
    await engine.containers.pause(ids.paused)
    await serviceContainer(engine, project, {service: 'idle', cmd: ['true'], start: false})
  })
  after(async () => {
    await engine.containers.unpause(ids.paused).catch(() => undefined)
    await removeProject(engine, project)
    await engine.close()
  })

  it("sends stdin to a container that keeps it open and shows its output; our EOF ends the session, not the container", async () => {
    const t = await terminal()
    const attached = attachToService(engine, {name: project}, {service: 'cat', sigProxy: true, streams: t.streams})
    await until(async () => (await engine.containers.inspect(ids.cat)).State.Running, 5000, 'cat running')
    await new Promise((r) => setTimeout(r, 300))
    t.stdin.write('hello\n')
    await until(() => t.out() === 'hello\n', 5000, 'hello echoed')
    t.stdin.write('world\n')
    await until(() => t.out() === 'hello\nworld\n', 5000, 'world echoed')
    t.stdin.end()
    assert.equal(await attached, 0)
    assert.equal((await engine.containers.inspect(ids.cat)).State.Running, true, 'cat keeps running')
  })

  it('in a TTY session the detach keys leave the container running', async () => {
    const t = await terminal()
    let raw: boolean[] = []
    const stdin = Object.assign(t.stdin, {isTTY: true, setRawMode: (on: boolean) => raw.push(on)})
    const attached = attachToService(engine, {name: project}, {service: 'tty', sigProxy: true, detachKeys: 'ctrl-a,x', streams: {...t.streams, stdin}})
    await until(() => t.out().includes('tick'), 5000, 'output before the detach')
    assert.deepEqual(raw, [true], 'a terminal in raw mode while attached')
    stdin.write(Buffer.from([1, 0x78]))
    assert.equal(await attached, 0)
    assert.deepEqual(raw, [true, false], 'and restored after')
    assert.equal((await engine.containers.inspect(ids.tty)).State.Running, true)
    raw = []
  })

  it('without a TTY the keys are only input (the engine ignores them, as in docker)', async () => {
    const t = await terminal()
    const controller = new AbortController()
    const attached = attachToService(engine, {name: project}, {service: 'cat', sigProxy: true, signal: controller.signal, streams: t.streams})
    await new Promise((r) => setTimeout(r, 300))
    t.stdin.write(Buffer.from([16, 17, 10]))
    await until(() => t.out() === '\u0010\u0011\n', 5000, 'the keys echoed by cat')
    controller.abort()
    assert.equal(await attached, 130)
    assert.equal((await engine.containers.inspect(ids.cat)).State.Running, true)
  })

  it('--sig-proxy passes a signal Berth receives on to the container; the session ends with its exit code', async () => {
    await serviceContainer(engine, project, {service: 'trap', cmd: ['sh', '-c', 'trap "echo got-usr2; exit 5" USR2; echo ready; while :; do sleep 0.1; done']})
    const t = await terminal()
    const attached = attachToService(engine, {name: project}, {service: 'trap', sigProxy: true, noStdin: true, streams: t.streams})
    await new Promise((r) => setTimeout(r, 500))
    process.emit('SIGUSR2' as never)
    assert.equal(await attached, 5)
    assert.equal(t.out(), 'got-usr2\n')
  })

  it('--no-stdin and the container\'s exit code when it stops by itself', async () => {
    await serviceContainer(engine, project, {service: 'once', cmd: ['sh', '-c', 'sleep 1; echo bye; echo oops >&2; exit 3'], openStdin: true})
    const t = await terminal()
    t.stdin.write('ignored\n')
    const code = await attachToService(engine, {name: project}, {service: 'once', sigProxy: false, noStdin: true, streams: t.streams})
    assert.equal(code, 3)
    assert.equal(t.out(), 'bye\n')
    assert.equal(t.err(), 'oops\n')
  })

  it('a TTY container: raw output with --no-stdin; refused with a stdin that is not a terminal', async () => {
    const t = await terminal()
    const controller = new AbortController()
    const attached = attachToService(engine, {name: project}, {service: 'tty', sigProxy: true, noStdin: true, streams: t.streams, signal: controller.signal})
    await until(() => t.out().includes('tick\r\n'), 5000, 'a tick with the TTY\'s CRLF')
    controller.abort()
    assert.equal(await attached, 130)
    await assert.rejects(
      attachToService(engine, {name: project}, {service: 'tty', sigProxy: true, streams: (await terminal()).streams}),
      (error: unknown) => error instanceof BerthError && error.code === 'NOT_A_TTY' && error.message === 'the input device is not a TTY',
    )
  })

  it('one line for a service that is not running, paused, missing, or an index that is not there', async () => {
    const streams = (await terminal()).streams
    const attach = (service: string, index?: number) => attachToService(engine, {name: project}, {service, index, sigProxy: true, streams})
    await assert.rejects(attach('idle'), (error: unknown) => error instanceof NoContainerError && error.message === 'service "idle" is not running')
    await assert.rejects(attach('frozen'), (error: unknown) => error instanceof NoContainerError && error.message === `container ${project}-frozen-1 is paused`)
    await assert.rejects(attach('nope'), NoSuchServiceError)
    await assert.rejects(attach('tty', 4), /service "tty" has no running container with index 4 \(running: 1\)/)
  })
})

describe('runtime (real engine): export and commit', function () {
  this.timeout(60_000)
  let engine: EngineClient
  const project = uniqueProject('snap')
  let dir: string
  const images: string[] = []

  before(async () => {
    engine = testClient()
    dir = mkdtempSync(join(tmpdir(), 'berth-export-'))
    await serviceContainer(engine, project, {service: 'app', cmd: ['sh', '-c', 'echo one > /replica; while :; do sleep 0.2; done']})
    await serviceContainer(engine, project, {service: 'app', number: 2, cmd: ['sh', '-c', 'echo two > /replica; touch /second; while :; do sleep 0.2; done']})
    const stopped = await serviceContainer(engine, project, {service: 'job', cmd: ['sh', '-c', 'echo done > /result']})
    await engine.containers.wait(stopped)
    await until(async () => (await engine.containers.inspect(`${project}-app-2`).catch(() => undefined))?.State.Running === true, 5000, 'app-2 running')
    await new Promise((r) => setTimeout(r, 300))
  })
  after(async () => {
    await removeProject(engine, project)
    for (const image of images) await engine.images.remove(image, {force: true}).catch(() => undefined)
    rmSync(dir, {recursive: true, force: true})
    await engine.close()
  })

  it('export -o writes the archive whole under its name (mode 0600), leaving no temporary file', async () => {
    const file = join(dir, 'app.tar')
    const name = await exportService(engine, {name: project}, {service: 'app', index: 2, output: file, stdout: new PassThrough()})
    assert.equal(name, `${project}-app-2`)
    const names = tarNames(readFileSync(file))
    assert.ok(names.includes('second') && names.includes('bin/busybox'))
    assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.deepEqual(readdirSync(dir), ['app.tar'])
  })

  it('export to stdout; a stopped container too; mistakes before any engine call', async () => {
    const out = new PassThrough()
    const chunks: Buffer[] = []
    out.on('data', (c: Buffer) => chunks.push(c))
    await exportService(engine, {name: project}, {service: 'job', stdout: out})
    assert.ok(tarNames(Buffer.concat(chunks)).includes('result'))
    await assert.rejects(exportService(engine, {name: project}, {service: 'app', stdout: Object.assign(new PassThrough(), {isTTY: true})}), /refusing to write a tar archive to a terminal/)
    await assert.rejects(exportService(engine, {name: project}, {service: 'app', output: join(dir, 'no', 'x.tar'), stdout: new PassThrough()}), /directory ".*no" does not exist/)
    await assert.rejects(exportService(engine, {name: project}, {service: 'app', index: 7, output: join(dir, 'x.tar'), stdout: new PassThrough()}), /service "app" has no container with index 7 \(containers: 1, 2\)/)
    assert.ok(!existsSync(join(dir, 'x.tar')))
  })

  it('commit makes a tagged image with author, message and changes, pausing the container meanwhile', async () => {
    const since = Math.floor(Date.now() / 1000) - 1
    const result = await commitService(engine, {name: project}, {
      service: 'app',
      index: 2,
      reference: `berth-test/${project}:snap`,
      author: 'Ann <ann@example.com>',
      message: 'before upgrade',
      changes: ['ENV STAGE=snap', 'LABEL made.by=berth'],
    })
    images.push(`berth-test/${project}:snap`)
    assert.equal(result.container, `${project}-app-2`)
    const image = await engine.images.inspect(`berth-test/${project}:snap`)
    assert.equal(image.Id, result.id)
    assert.equal(image.Author, 'Ann <ann@example.com>')
    assert.equal(image.Comment, 'before upgrade')
    assert.ok(image.Config.Env?.includes('STAGE=snap'))
    assert.equal(image.Config.Labels?.['made.by'], 'berth')
    // The commit holds the replica's file.
    const probe = await engine.containers.create({Image: result.id, Cmd: ['cat', '/replica']})
    await engine.containers.start(probe.Id)
    await engine.containers.wait(probe.Id)
    const logs: string[] = []
    for await (const chunk of await engine.containers.logs(probe.Id, {tty: false})) logs.push(chunk.data.toString())
    await engine.containers.remove(probe.Id, {force: true})
    assert.equal(logs.join(''), 'two\n')
    // Paused while committing (the default), and not with pause: false.
    const actions = async () => {
      const events = await engine.system.events({since, until: Math.floor(Date.now() / 1000) + 1, filters: {type: ['container'], container: [`${project}-app-2`]}})
      const seen: string[] = []
      for await (const e of events as AsyncIterable<EngineEvent>) seen.push(e.Action)
      return seen
    }
    assert.ok((await actions()).includes('pause'))
    const since2 = Math.floor(Date.now() / 1000) + 1
    await new Promise((r) => setTimeout(r, 1100))
    await commitService(engine, {name: project}, {service: 'app', reference: `berth-test/${project}:nopause`, pause: false})
    images.push(`berth-test/${project}:nopause`)
    const later = await engine.system.events({since: since2, until: Math.floor(Date.now() / 1000) + 1, filters: {type: ['container'], label: [`com.docker.compose.project=${project}`]}})
    const seen: string[] = []
    for await (const e of later as AsyncIterable<EngineEvent>) seen.push(e.Action)
    assert.ok(seen.includes('commit'), `saw ${seen.join(', ')}`)
    assert.ok(!seen.includes('pause'), `saw ${seen.join(', ')}`)
  })

  it('--dry-run: the step export or commit would take, and nothing written or committed', async () => {
    const imagesBefore = (await engine.images.list()).length
    assert.equal(await planCommit(engine, {name: project}, {service: 'app', index: 2, reference: 'x/y:z'}), `#1 container:${project}-app-2  commit  as x/y:z\n`)
    assert.equal(await planCommit(engine, {name: project}, {service: 'job'}), `#1 container:${project}-job-1  commit  as an untagged image\n`)
    await assert.rejects(planCommit(engine, {name: project}, {service: 'app', reference: 'Bad'}), /must be lowercase/)
    assert.equal((await engine.images.list()).length, imagesBefore)
    assert.equal(await planExport(engine, {name: project}, {service: 'app', output: join(dir, 'plan.tar')}), `#1 container:${project}-app-1  export  to ${join(dir, 'plan.tar')}\n`)
    assert.equal(await planExport(engine, {name: project}, {service: 'job'}), `#1 container:${project}-job-1  export  to stdout\n`)
    assert.ok(!existsSync(join(dir, 'plan.tar')))
  })

  it('commit of a stopped container, untagged; a bad reference or change is refused before the engine', async () => {
    const result = await commitService(engine, {name: project}, {service: 'job'})
    images.push(result.id)
    assert.match(result.id, /^sha256:[0-9a-f]{64}$/)
    assert.deepEqual((await engine.images.inspect(result.id)).RepoTags ?? [], [])
    await assert.rejects(commitService(engine, {name: project}, {service: 'job', reference: 'Upper/Case'}), /repository name must be lowercase/)
    await assert.rejects(commitService(engine, {name: project}, {service: 'job', changes: ['RUN rm -rf /']}), /RUN cannot be applied in a commit/)
    await assert.rejects(commitService(engine, {name: project}, {service: 'ghost'}), /service "ghost" has no container|no such service/)
  })
})
