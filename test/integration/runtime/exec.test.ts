import {strict as assert} from 'node:assert'
import {PassThrough} from 'node:stream'
import type {EngineClient} from '../../../src/engine/index.js'
import type {TerminalStreams} from '../../../src/runtime/attach-io.js'
import {execInService} from '../../../src/runtime/exec.js'
import {NoContainerError, NoSuchServiceError} from '../../../src/runtime/select.js'
import {testClient} from '../../support/engine-hooks.js'
import {collect, createServiceContainer, removeProject, uniqueProject} from './project-fixture.js'

async function terminal(input?: string): Promise<{streams: TerminalStreams; out: () => string; err: () => string}> {
  const stdin = new PassThrough()
  if (input !== undefined) stdin.end(input)
  const out = await collect()
  const err = await collect()
  return {streams: {stdin, stdout: out.stream, stderr: err.stream}, out: out.text, err: err.text}
}

describe('runtime (real engine): exec', function () {
  let engine: EngineClient
  const project = uniqueProject('exec')
  before(async () => {
    engine = testClient()
    await createServiceContainer(engine, project, {service: 'app', cmd: ['sleep', '600']})
    await createServiceContainer(engine, project, {service: 'app', number: 2, cmd: ['sleep', '600']})
  })
  after(async () => {
    await removeProject(engine, project)
    await engine.close()
  })

  it('without a TTY: separate stdout and stderr, and the exit code of the command', async () => {
    const t = await terminal('')
    const code = await execInService(engine, {name: project}, {service: 'app', command: ['sh', '-c', 'echo out; echo err >&2; exit 7'], tty: false, interactive: false, streams: t.streams})
    assert.equal(code, 7)
    assert.equal(t.out(), 'out\n')
    assert.equal(t.err(), 'err\n')
  })

  it('feeds stdin to the command and ends it on EOF', async () => {
    const t = await terminal('echo from-stdin\nexit 3\n')
    const code = await execInService(engine, {name: project}, {service: 'app', command: ['sh'], tty: false, interactive: true, streams: t.streams})
    assert.equal(code, 3)
    assert.equal(t.out(), 'from-stdin\n')
  })

  it('with a TTY: raw output from a terminal, env, user, workdir and --index', async () => {
    const t = await terminal('')
    const code = await execInService(engine, {name: project}, {
      service: 'app',
      index: 2,
      command: ['sh', '-c', 'tty; echo "$GREETING"; id -u; pwd; hostname'],
      tty: true,
      interactive: false,
      env: ['GREETING=hello'],
      user: '1000',
      workdir: '/tmp',
      streams: t.streams,
    })
    assert.equal(code, 0)
    const lines = t.out().split('\r\n')
    assert.match(lines[0], /^\/dev\/pts\/\d+$/)
    assert.deepEqual(lines.slice(1, 4), ['hello', '1000', '/tmp'])
    const second = (await engine.containers.list({filters: {name: [`${project}-app-2`]}}))[0]
    assert.equal(lines[4], second.Id.slice(0, 12))
  })

  it('with a TTY, the end of piped stdin is the terminal\'s EOF: the reader ends and its output arrives', async () => {
    const t = await terminal('hi\n')
    const code = await execInService(engine, {name: project}, {service: 'app', command: ['cat'], tty: true, interactive: true, streams: t.streams})
    assert.equal(code, 0)
    assert.match(t.out(), /hi\r\n/)
  })

  it('-d returns at once; a stopped or unknown service is one clear error', async () => {
    const t = await terminal('')
    assert.equal(await execInService(engine, {name: project}, {service: 'app', command: ['sleep', '1'], detach: true, tty: false, interactive: false, streams: t.streams}), 0)
    await assert.rejects(execInService(engine, {name: project}, {service: 'nope', command: ['true'], tty: false, interactive: false, streams: t.streams}), NoSuchServiceError)
    await assert.rejects(
      execInService(engine, {name: project}, {service: 'app', index: 9, command: ['true'], tty: false, interactive: false, streams: t.streams}),
      (error: unknown) => error instanceof NoContainerError && /index 9/.test(error.message),
    )
  })
})
