import assert from 'node:assert/strict'
import type {Socket} from 'node:net'
import {ConflictError, NotFoundError, outputDecoder, type EngineClient, type OutputChunk} from '../../../src/engine/index.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'

const LABEL = 'berth.test.engine'

async function collect(stream: AsyncIterable<OutputChunk>): Promise<{stdout: string; stderr: string}> {
  const out = {stdout: '', stderr: ''}
  for await (const chunk of stream) {
    if (chunk.stream === 'stdout' || chunk.stream === 'stderr') out[chunk.stream] += chunk.data.toString('utf8')
  }
  return out
}

function readAll(socket: Socket, tty: boolean): Promise<{stdout: string; stderr: string}> {
  return collect(socket.pipe(outputDecoder(tty)))
}

describe('engine: containers (private dockerd)', () => {
  let engine: EngineClient
  const created: string[] = []

  before(() => {
    engine = testClient()
  })
  after(async () => {
    for (const id of created) await engine.containers.remove(id, {force: true}).catch(() => undefined)
    await engine.close()
  })

  async function run(name: string, cmd: string[], extra: Record<string, unknown> = {}): Promise<string> {
    const {Id} = await engine.containers.create({Image: BASE_IMAGE, Cmd: cmd, Labels: {[LABEL]: name}, ...extra}, {name: `berth-engine-${name}-${process.pid}`})
    created.push(Id)
    return Id
  }

  it('creates, starts, waits for, reads the multiplexed logs of, and removes a container', async () => {
    const id = await run('logs', ['sh', '-c', 'echo out-1; echo err-1 >&2; echo out-2; exit 3'])
    assert.equal(await engine.containers.start(id), 'started')
    const result = await engine.containers.wait(id)
    assert.equal(result.StatusCode, 3)
    const logs = await collect(await engine.containers.logs(id, {tty: false}))
    assert.equal(logs.stdout, 'out-1\nout-2\n')
    assert.equal(logs.stderr, 'err-1\n')
    const inspected = await engine.containers.inspect(id)
    assert.equal(inspected.State.ExitCode, 3)
    assert.equal(inspected.Config.Labels[LABEL], 'logs')
    await engine.containers.remove(id)
    await assert.rejects(engine.containers.inspect(id), (error: unknown) => error instanceof NotFoundError && error.kind === 'container' && error.status === 404)
  })

  it('lists by label with one call and reports states', async () => {
    const id = await run('list', ['sleep', '30'])
    await engine.containers.start(id)
    const rows = await engine.containers.list({all: true, filters: {label: [`${LABEL}=list`]}})
    assert.equal(rows.length, 1)
    assert.equal(rows[0].Id, id)
    assert.equal(rows[0].State, 'running')
    assert.equal(await engine.containers.start(id), 'already-running')
    await engine.containers.pause(id)
    assert.equal((await engine.containers.inspect(id)).State.Status, 'paused')
    await engine.containers.unpause(id)
    const top = await engine.containers.top(id)
    assert.ok(top.Processes.some((p) => p.join(' ').includes('sleep 30')))
    await engine.containers.kill(id, {killSignal: 'SIGKILL'})
    assert.equal((await engine.containers.wait(id)).StatusCode, 137)
    assert.equal(await engine.containers.stop(id), 'already-stopped')
  })

  it('reads TTY logs raw and follows logs until the container exits', async () => {
    const id = await run('tty', ['sh', '-c', 'for i in 1 2 3; do echo line-$i; sleep 0.2; done'], {Tty: true})
    await engine.containers.start(id)
    const logs = await collect(await engine.containers.logs(id, {follow: true}))
    assert.equal(logs.stdout.replace(/\r/g, ''), 'line-1\nline-2\nline-3\n')
    assert.equal(logs.stderr, '')
  })

  it('runs exec without a TTY (frames) and with one (raw), and reports exit codes', async () => {
    const id = await run('exec', ['sleep', '60'])
    await engine.containers.start(id)
    const plain = await engine.exec.create(id, {Cmd: ['sh', '-c', 'echo hello; echo oops >&2; exit 5'], AttachStdout: true, AttachStderr: true})
    const plainStream = await engine.exec.start(plain.Id)
    assert.deepEqual(await readAll(plainStream.socket, false), {stdout: 'hello\n', stderr: 'oops\n'})
    assert.equal((await engine.exec.inspect(plain.Id)).ExitCode, 5)

    const tty = await engine.exec.create(id, {Cmd: ['sh', '-c', 'tty; echo done'], AttachStdout: true, AttachStderr: true, Tty: true})
    const ttyStream = await engine.exec.start(tty.Id, {tty: true})
    const out = await readAll(ttyStream.socket, true)
    assert.match(out.stdout, /\/dev\/pts\/\d+\r?\ndone/)
    assert.equal((await engine.exec.inspect(tty.Id)).ExitCode, 0)
  })

  it('sends stdin through an interactive exec and a hijacked attach', async () => {
    const id = await run('attach', ['sh', '-c', 'read line; echo got:$line; cat'], {OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true, AttachStderr: true})
    const attached = await engine.containers.attach(id, {stdin: true})
    const output = readAll(attached.socket, false)
    await engine.containers.start(id)
    attached.socket.write('first\n')
    attached.socket.write('second\n')
    attached.socket.end()
    const out = await output
    assert.equal(out.stdout, 'got:first\nsecond\n')
    assert.equal((await engine.containers.wait(id)).StatusCode, 0)

    const runner = await run('exec-stdin', ['sleep', '60'])
    await engine.containers.start(runner)
    const exec = await engine.exec.create(runner, {Cmd: ['sh', '-c', 'tr a-z A-Z'], AttachStdin: true, AttachStdout: true, AttachStderr: true})
    const stream = await engine.exec.start(exec.Id)
    const upper = readAll(stream.socket, false)
    stream.socket.end('shout\n')
    assert.equal((await upper).stdout, 'SHOUT\n')
  })

  it('copies files in and out through the archive endpoints', async () => {
    const {pack, extract} = await import('tar-stream')
    const id = await run('archive', ['sleep', '60'])
    const tar = pack()
    tar.entry({name: 'greeting.txt', mode: 0o644}, 'hi from the archive\n')
    tar.finalize()
    const chunks: Buffer[] = []
    for await (const chunk of tar) chunks.push(chunk as Buffer)
    await engine.containers.putArchive(id, '/tmp', Buffer.concat(chunks))
    const stat = await engine.containers.statPath(id, '/tmp/greeting.txt')
    assert.equal(stat?.name, 'greeting.txt')
    assert.equal(stat?.size, 20)
    const {body} = await engine.containers.getArchive(id, '/tmp/greeting.txt')
    const ex = extract()
    body.pipe(ex)
    const files: Record<string, string> = {}
    for await (const entry of ex) {
      const parts: Buffer[] = []
      for await (const part of entry) parts.push(part as Buffer)
      files[entry.header.name] = Buffer.concat(parts).toString()
    }
    assert.deepEqual(files, {'greeting.txt': 'hi from the archive\n'})
  })

  it('raises typed errors: a name in use, a missing image, a missing container', async () => {
    const name = `berth-engine-dup-${process.pid}`
    const {Id} = await engine.containers.create({Image: BASE_IMAGE, Cmd: ['true']}, {name})
    created.push(Id)
    await assert.rejects(engine.containers.create({Image: BASE_IMAGE, Cmd: ['true']}, {name}), (error: unknown) => {
      assert.ok(error instanceof ConflictError)
      assert.equal(error.code, 'ENGINE_CONFLICT')
      assert.match(error.message, /already in use/)
      return true
    })
    await assert.rejects(engine.containers.create({Image: 'berth-test/absent:nope'}), (error: unknown) => {
      assert.ok(error instanceof NotFoundError)
      assert.equal(error.kind, 'image')
      assert.match(error.message, /berth-test\/absent:nope/)
      return true
    })
    await assert.rejects(engine.containers.attach('no-such-container-xyz'), (error: unknown) => error instanceof NotFoundError && /no-such-container-xyz/i.test(error.message))
    await assert.rejects(engine.containers.start('no-such-container-xyz'), (error: unknown) => error instanceof NotFoundError && error.ref === 'no-such-container-xyz')
  })

  it('leaves out fields API 1.41 does not know, and says which', async () => {
    const {Id, dropped} = await engine.containers.create({
      Image: BASE_IMAGE,
      Cmd: ['true'],
      Healthcheck: {Test: ['CMD', 'true'], Interval: 1_000_000_000, StartInterval: 500_000_000},
      HostConfig: {Annotations: {'berth.test': 'yes'}},
    })
    created.push(Id)
    assert.deepEqual(dropped.sort(), ['Healthcheck.StartInterval', 'HostConfig.Annotations'])
    const inspected = await engine.containers.inspect(Id)
    assert.equal(inspected.Config.Healthcheck?.Interval, 1_000_000_000)
  })

  it('never puts request bodies in errors', async () => {
    const secret = 'S3CRET-VALUE-123'
    const error = await engine.containers.create({Image: 'berth-test/absent:nope', Env: [`TOKEN=${secret}`]}).catch((e: unknown) => e as Error)
    assert.ok(error instanceof NotFoundError)
    assert.ok(!JSON.stringify({message: error.message, hints: error.hints, context: error.context}).includes(secret))
  })
})
