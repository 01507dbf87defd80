/**
 * Throughput of the log multiplexer: N MB of multiplexed frames from S sources (one frame per
 * line, as the engine sends them, in 64 KiB socket-sized chunks) through prefixing and
 * line-buffering into a sink that discards. Prints MB/s of container log bytes.
 *
 *   npx tsx bench/logs-throughput.ts [MB=200] [sources=10] [lineBytes=100]
 */
import {Writable} from 'node:stream'
import {LogMultiplexer} from '../src/runtime/logs.js'

const totalMb = Number(process.argv[2] ?? 200)
const sources = Number(process.argv[3] ?? 10)
const lineBytes = Number(process.argv[4] ?? 100)

function frames(lines: number, seed: string): Buffer {
  const text = `${seed} ${'x'.repeat(Math.max(0, lineBytes - seed.length - 2))}\n`
  const payload = Buffer.from(text)
  const one = Buffer.alloc(8 + payload.length)
  one[0] = 1
  one.writeUInt32BE(payload.length, 4)
  payload.copy(one, 8)
  return Buffer.concat(Array.from({length: lines}, () => one))
}

async function* body(bytes: number, seed: string): AsyncIterable<Buffer> {
  const block = frames(Math.ceil(64 * 1024 / (lineBytes + 8)), seed)
  let sent = 0
  while (sent < bytes) {
    yield block
    sent += block.length
  }
}

let written = 0
const sink = new Writable({
  highWaterMark: 1024 * 1024,
  write(chunk: Buffer, _enc, done) {
    written += chunk.length
    done()
  },
})

const mux = new LogMultiplexer({out: sink, err: sink, color: true, prefix: true})
const perSource = (totalMb * 1024 * 1024) / sources
const names = Array.from({length: sources}, (_, i) => `service${i}-1`)
const start = process.hrtime.bigint()
await Promise.all(names.map((name) => mux.pump(name, body(perSource, name), false)))
const seconds = Number(process.hrtime.bigint() - start) / 1e9
const inputMb = (perSource * sources) / (1024 * 1024)
console.log(`logs multiplexer: ${inputMb.toFixed(0)} MB from ${sources} sources (${lineBytes}-byte lines) in ${seconds.toFixed(2)} s = ${(inputMb / seconds).toFixed(0)} MB/s (${(written / 1024 / 1024).toFixed(0)} MB written with prefixes)`)
