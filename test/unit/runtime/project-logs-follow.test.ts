import {strict as assert} from 'node:assert'
import {PassThrough, Readable} from 'node:stream'
import type {EngineClient} from '../../../src/engine/index.js'
import {projectLogs} from '../../../src/runtime/project-logs.js'

/**
 * The engine lists a container as running after it sent that container's `die`, before the logs
 * subscribed: the event never comes. `logs -f` (and attached up) must still see the exit.
 */
function ghostEngine() {
  const labels = {'com.docker.compose.project': 'p', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False'}
  let lists = 0
  const engine = {
    endpoint: {host: 'unix:///fake.sock'},
    system: {
      // A stream that stays open and says nothing until the signal fires.
      events: async (o: {signal: AbortSignal}) => {
        const stream = new PassThrough({objectMode: true}) as PassThrough & {destroy(): void}
        o.signal.addEventListener('abort', () => stream.end(), {once: true})
        return stream
      },
    },
    containers: {
      // The first list (all: true) still says running; the later ones (running only) do not.
      list: async () => (lists++ === 0 ? [{Id: 'a'.repeat(64), Names: ['/p-web-1'], State: 'running', Status: 'Up 1 second', Labels: labels}] : []),
      inspect: async () => ({Config: {Tty: false}, State: {Running: false, Restarting: false, ExitCode: 4, FinishedAt: '2026-01-01T00:00:00Z'}}),
    },
    stream: async () => ({body: Readable.from([])}),
  }
  return engine as unknown as EngineClient
}

describe('runtime/project-logs: follow', () => {
  it('a container the engine listed as running, whose die event never came, is seen to exit', async () => {
    const out = new PassThrough()
    let text = ''
    out.on('data', (d: Buffer) => (text += d))
    const exits: Array<{service: string; container: string; code: number}> = []
    const started = Date.now()
    await projectLogs(ghostEngine(), {name: 'p'}, {
      services: ['web'],
      follow: true,
      color: false,
      prefix: true,
      out,
      stopGraceMs: 0,
      reconcileMs: 50,
      onExit: ({service, container, code}) => exits.push({service, container, code}),
    })
    assert.ok(Date.now() - started < 5_000, 'ended instead of waiting for an event that never comes')
    assert.match(text, /web-1 exited with code 4/)
    assert.deepEqual(exits, [{service: 'web', container: 'p-web-1', code: 4}])
  })
})
