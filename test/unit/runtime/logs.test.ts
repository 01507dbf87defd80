import {strict as assert} from 'node:assert'
import {Writable} from 'node:stream'
import {LogMultiplexer} from '../../../src/runtime/logs.js'

/** A sink that records every write separately, so tests can check that writes hold whole lines. */
class Recorder extends Writable {
  writes: string[] = []
  /** `slow` sinks take a tick per write and fill up after `highWaterMark` bytes. */
  constructor(private readonly slow = false) {
    super({highWaterMark: slow ? 16 : 16 * 1024})
  }
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.writes.push(chunk.toString('utf8'))
    if (this.slow) setImmediate(done)
    else done()
  }
  get text(): string {
    return this.writes.join('')
  }
}

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text)
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

async function* chunks(...parts: Buffer[]): AsyncIterable<Buffer> {
  for (const part of parts) yield part
}

/** Cuts a buffer into pieces of the given sizes (then the rest), to split frames and lines anywhere. */
function cut(buf: Buffer, ...sizes: number[]): Buffer[] {
  const out: Buffer[] = []
  let pos = 0
  for (const size of sizes) {
    out.push(buf.subarray(pos, pos + size))
    pos += size
  }
  if (pos < buf.length) out.push(buf.subarray(pos))
  return out
}

describe('runtime/logs: the log multiplexer', () => {
  it('prefixes each line with the name padded like compose (longest name + 1, then " | ")', async () => {
    const out = new Recorder()
    const err = new Recorder()
    const mux = new LogMultiplexer({out, err, color: false, prefix: true})
    mux.register('web-1')
    mux.register('database-1')
    await mux.pump('web-1', chunks(frame(1, 'hello\nworld\n')), false)
    assert.equal(out.text, 'web-1       | hello\nweb-1       | world\n')
    assert.equal(mux.prefixOf('database-1'), 'database-1  | ')
  })

  it('sends stderr frames to the error sink and stdout frames to the output sink', async () => {
    const out = new Recorder()
    const err = new Recorder()
    const mux = new LogMultiplexer({out, err, color: false, prefix: true})
    await mux.pump('api-1', chunks(Buffer.concat([frame(1, 'out line\n'), frame(2, 'err line\n'), frame(1, 'again\n')])), false)
    assert.equal(out.text, 'api-1  | out line\napi-1  | again\n')
    assert.equal(err.text, 'api-1  | err line\n')
  })

  it('reassembles frames and lines split at every possible byte boundary', async () => {
    const body = Buffer.concat([frame(1, 'first line\nsecond '), frame(1, 'half\n'), frame(2, 'oops\n'), frame(1, 'tail without newline')])
    for (let a = 1; a < body.length - 1; a++) {
      const out = new Recorder()
      const err = new Recorder()
      const mux = new LogMultiplexer({out, err, color: false, prefix: true})
      await mux.pump('s-1', chunks(...cut(body, a, 3)), false)
      assert.equal(out.text, 's-1  | first line\ns-1  | second half\ns-1  | tail without newline\n', `split at ${a}`)
      assert.equal(err.text, 's-1  | oops\n', `split at ${a}`)
    }
  })

  it('reads a TTY container body as raw bytes, not frames', async () => {
    const out = new Recorder()
    const err = new Recorder()
    const mux = new LogMultiplexer({out, err, color: false, prefix: true})
    await mux.pump('tty-1', chunks(Buffer.from('raw '), Buffer.from('line\r\nnext\n')), true)
    assert.equal(out.text, 'tty-1  | raw line\r\ntty-1  | next\n')
    assert.equal(err.text, '')
  })

  it('never interleaves two sources mid-line: every write holds whole lines only', async () => {
    const out = new Recorder()
    const err = new Recorder()
    const mux = new LogMultiplexer({out, err, color: false, prefix: true})
    const a = (async function* () {
      for (let i = 0; i < 200; i++) {
        yield frame(1, `a${i}-part`)
        await new Promise((r) => setImmediate(r))
        yield frame(1, `-end\n`)
      }
    })()
    const b = (async function* () {
      for (let i = 0; i < 200; i++) {
        yield frame(1, `b${i}-`)
        await new Promise((r) => setImmediate(r))
        yield frame(1, `whole\n`)
      }
    })()
    await Promise.all([mux.pump('a-1', a, false), mux.pump('b-1', b, false)])
    for (const w of out.writes) assert.ok(w.endsWith('\n'), `write ${JSON.stringify(w)} is not whole lines`)
    const lines = out.text.trimEnd().split('\n')
    assert.equal(lines.length, 400)
    for (const line of lines) assert.match(line, /^(a-1 {2}\| a\d+-part-end|b-1 {2}\| b\d+-whole)$/)
  })

  it('--no-log-prefix passes lines through untouched', async () => {
    const out = new Recorder()
    const err = new Recorder()
    const mux = new LogMultiplexer({out, err, color: false, prefix: false})
    await mux.pump('web-1', chunks(frame(1, 'one\ntw'), frame(1, 'o\nthree')), false)
    assert.equal(out.text, 'one\ntwo\nthree\n')
  })

  it('colours prefixes in compose order (cyan, yellow, green, magenta, blue, then bold) and re-pads when a longer name arrives', async () => {
    const out = new Recorder()
    const err = new Recorder()
    const mux = new LogMultiplexer({out, err, color: true, prefix: true})
    const names = ['a-1', 'b-1', 'c-1', 'd-1', 'e-1', 'f-1']
    for (const n of names) mux.register(n)
    assert.equal(mux.prefixOf('a-1'), '\u001B[36ma-1  | \u001B[39m')
    assert.equal(mux.prefixOf('b-1'), '\u001B[33mb-1  | \u001B[39m')
    assert.equal(mux.prefixOf('e-1'), '\u001B[34me-1  | \u001B[39m')
    assert.equal(mux.prefixOf('f-1'), '\u001B[1m\u001B[36mf-1  | \u001B[39m\u001B[22m')
    mux.register('longer-1')
    assert.equal(mux.prefixOf('a-1'), '\u001B[36ma-1       | \u001B[39m')
  })

  it('waits for drain when the sink is full (back-pressure) and still delivers everything in order', async () => {
    const out = new Recorder(true)
    const err = new Recorder()
    const mux = new LogMultiplexer({out, err, color: false, prefix: true})
    const frames = Array.from({length: 500}, (_, i) => frame(1, `line ${i}\n`))
    let drains = 0
    out.on('drain', () => drains++)
    await mux.pump('w-1', chunks(...frames), false)
    await new Promise<void>((resolve) => out.end(resolve))
    assert.ok(drains > 0, 'the sink never filled up')
    const lines = out.text.trimEnd().split('\n')
    assert.equal(lines.length, 500)
    assert.equal(lines[499], 'w-1  | line 499')
  })
})
