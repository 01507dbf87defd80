import assert from 'node:assert/strict'
import {PassThrough} from 'node:stream'
import {connectTerminal, type EngineClient} from '../../../src/engine/index.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {testClient} from '../../support/engine-hooks.js'

function sink(extra: Record<string, unknown> = {}) {
  const stream = Object.assign(new PassThrough(), extra)
  let text = ''
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()))
  return {stream, text: () => text}
}

describe('engine: terminal wiring for interactive exec', () => {
  let engine: EngineClient
  let container: string

  before(async () => {
    engine = testClient()
    container = (await engine.containers.create({Image: BASE_IMAGE, Cmd: ['sleep', '120']})).Id
    await engine.containers.start(container)
  })
  after(async () => {
    await engine.containers.remove(container, {force: true})
    await engine.close()
  })

  it('forwards stdin and splits stdout from stderr without a TTY', async () => {
    const exec = await engine.exec.create(container, {Cmd: ['sh', '-c', 'cat; echo bye >&2'], AttachStdin: true, AttachStdout: true, AttachStderr: true})
    const stream = await engine.exec.start(exec.Id)
    const stdin = new PassThrough()
    const out = sink()
    const err = sink()
    const done = connectTerminal({stream, tty: false, stdin, stdout: out.stream, stderr: err.stream})
    stdin.end('typed text\n')
    await done
    assert.equal(out.text(), 'typed text\n')
    assert.equal(err.text(), 'bye\n')
    assert.equal((await engine.exec.inspect(exec.Id)).ExitCode, 0)
  })

  it('sizes the TTY to the terminal', async () => {
    const exec = await engine.exec.create(container, {Cmd: ['sh', '-c', 'sleep 0.5; stty size'], AttachStdout: true, AttachStderr: true, Tty: true})
    const stream = await engine.exec.start(exec.Id, {tty: true})
    const out = sink({isTTY: true, rows: 33, columns: 111})
    const sizes: string[] = []
    await connectTerminal({
      stream,
      tty: true,
      stdout: out.stream,
      resize: async (size) => {
        sizes.push(`${size.rows}x${size.columns}`)
        await engine.exec.resize(exec.Id, size)
      },
    })
    assert.deepEqual(sizes, ['33x111'])
    assert.equal(out.text().trim(), '33 111')
  })
})
