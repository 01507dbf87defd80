import assert from 'node:assert/strict'
import {Readable, type Transform} from 'node:stream'
import {FrameDecoder, RawDecoder, encodeFrame, type OutputChunk} from '../../../src/engine/index.js'

async function decode(chunks: Buffer[], decoder: Transform = new FrameDecoder()): Promise<OutputChunk[]> {
  const out: OutputChunk[] = []
  for await (const chunk of Readable.from(chunks).pipe(decoder)) out.push(chunk as OutputChunk)
  return out
}

/** Joins consecutive chunks of the same stream (partial frames may be handed out in pieces). */
function merged(chunks: OutputChunk[]): [string, string][] {
  const out: [string, Buffer[]][] = []
  for (const {stream, data} of chunks) {
    const last = out.at(-1)
    if (last && last[0] === stream) last[1].push(data)
    else out.push([stream, [data]])
  }
  return out.map(([stream, parts]) => [stream, Buffer.concat(parts).toString()])
}

describe('engine/streams: multiplexed frame decoder', () => {
  const stream = Buffer.concat([encodeFrame('stdout', 'hello\n'), encodeFrame('stderr', 'warn: é\n'), encodeFrame('stdout', ''), encodeFrame('stdout', 'bye\n')])

  it('decodes several frames in one chunk', async () => {
    assert.deepEqual(merged(await decode([stream])), [
      ['stdout', 'hello\n'],
      ['stderr', 'warn: é\n'],
      ['stdout', 'bye\n'],
    ])
  })

  it('decodes the same however the bytes are split', async () => {
    const expected = merged(await decode([stream]))
    for (let size = 1; size <= 9; size++) {
      const pieces: Buffer[] = []
      for (let i = 0; i < stream.length; i += size) pieces.push(stream.subarray(i, i + size))
      assert.deepEqual(merged(await decode(pieces)), expected, `split into ${size}-byte pieces`)
    }
    for (let cut = 1; cut < stream.length; cut++) {
      assert.deepEqual(merged(await decode([stream.subarray(0, cut), stream.subarray(cut)])), expected, `cut at ${cut}`)
    }
  })

  it('keeps large frames intact, in order, without waiting for the last byte to hand out data', async () => {
    const big = Buffer.alloc(1_000_000, 'x')
    const frames = Buffer.concat([encodeFrame('stdout', big), encodeFrame('stderr', 'after')])
    const pieces: Buffer[] = []
    for (let i = 0; i < frames.length; i += 65536) pieces.push(frames.subarray(i, i + 65536))
    const out = await decode(pieces)
    assert.ok(out.length > 2, 'the big frame arrives in pieces')
    assert.deepEqual(
      merged(out).map(([s, d]) => [s, d.length]),
      [
        ['stdout', 1_000_000],
        ['stderr', 5],
      ],
    )
  })

  it('rejects a stream that is not multiplexed (a TTY stream read as frames)', async () => {
    await assert.rejects(decode([Buffer.from('plain tty output\n')]), /not a multiplexed stream.*TTY/)
  })

  it('hands out a truncated last frame', async () => {
    const frame = encodeFrame('stdout', 'complete-line\n')
    assert.deepEqual(merged(await decode([frame.subarray(0, frame.length - 5)])), [['stdout', 'complete-']])
  })

  it('passes TTY output through as stdout', async () => {
    const out = await decode([Buffer.from('a\r\n'), Buffer.from('b')], new RawDecoder())
    assert.deepEqual(merged(out), [['stdout', 'a\r\nb']])
  })
})
