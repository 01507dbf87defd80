/**
 * Throughput of the log multiplexer: N MB of multiplexed frames from S sources (one frame per
 * line, as the engine sends them, in 64 KiB socket-sized chunks) through prefixing and
 * line-buffering into a sink that discards. Prints MB/s of container log bytes.
 *
 *   npx tsx bench/logs-throughput.ts [MB=200] [sources=10] [lineBytes=100]
 *
 * With `--engine` (DOCKER_HOST pointing at an engine that has a `busybox` image), the same through
 * a real engine: S labelled containers each write MB/S megabytes as fast as they can, then
 * `berth logs` reads them all (engine log files -> HTTP -> multiplexer -> a discarding sink).
 *
 *   DOCKER_HOST=unix:///... npx tsx bench/logs-throughput.ts --engine [MB=200] [sources=10]
 */
import {Writable} from 'node:stream'
import {LogMultiplexer} from '../src/runtime/logs.js'

const engineMode = process.argv.includes('--engine')
const args = process.argv.slice(2).filter((a) => a !== '--engine')
const totalMb = Number(args[0] ?? 200)
const sources = Number(args[1] ?? 10)
const lineBytes = Number(args[2] ?? 100)

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

if (engineMode) {
  await throughEngine()
  process.exit(0)
}

const mux = new LogMultiplexer({out: sink, err: sink, color: true, prefix: true})
const perSource = (totalMb * 1024 * 1024) / sources
const names = Array.from({length: sources}, (_, i) => `service${i}-1`)
const start = process.hrtime.bigint()
await Promise.all(names.map((name) => mux.pump(name, body(perSource, name), false)))
const seconds = Number(process.hrtime.bigint() - start) / 1e9
const inputMb = (perSource * sources) / (1024 * 1024)
console.log(`logs multiplexer: ${inputMb.toFixed(0)} MB from ${sources} sources (${lineBytes}-byte lines) in ${seconds.toFixed(2)} s = ${(inputMb / seconds).toFixed(0)} MB/s (${(written / 1024 / 1024).toFixed(0)} MB written with prefixes)`)

async function throughEngine(): Promise<void> {
  const {EngineClient} = await import('../src/engine/index.js')
  const {projectLogs} = await import('../src/runtime/project-logs.js')
  const engine = EngineClient.fromEnvironment()
  const project = `benchlogs${process.pid}`
  const bytes = Math.floor((totalMb * 1024 * 1024) / sources)
  const line = 'x'.repeat(lineBytes - 1)
  try {
    const ids = await Promise.all(
      Array.from({length: sources}, async (_, i) => {
        const {Id} = await engine.containers.create(
          {
            Image: 'busybox',
            Cmd: ['sh', '-c', `yes ${line} | head -c ${bytes}`],
            Labels: {'com.docker.compose.project': project, 'com.docker.compose.service': `service${i}`, 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False'},
            HostConfig: {NetworkMode: 'none'},
          } as never,
          {name: `${project}-service${i}-1`},
        )
        await engine.containers.start(Id)
        return Id
      }),
    )
    await Promise.all(ids.map((id) => engine.containers.wait(id)))
    const start = process.hrtime.bigint()
    await projectLogs(engine, {name: project}, {color: true, prefix: true, out: sink})
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    const mb = (bytes * sources) / (1024 * 1024)
    console.log(`logs through the engine: ${mb.toFixed(0)} MB from ${sources} containers (${lineBytes}-byte lines) in ${seconds.toFixed(2)} s = ${(mb / seconds).toFixed(0)} MB/s (${(written / 1024 / 1024).toFixed(0)} MB written with prefixes)`)
  } finally {
    const list = await engine.containers.list({all: true, filters: {label: [`com.docker.compose.project=${project}`]}})
    await Promise.all(list.map((c) => engine.containers.remove(c.Id, {force: true})))
    await engine.close()
  }
}
