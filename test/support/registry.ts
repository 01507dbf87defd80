/**
 * A local image registry for push/pull tests: Debian's docker-registry (distribution 2.8) serving
 * 127.0.0.1:<free port> from a temp dir. The engine trusts 127.0.0.0/8 registries without TLS.
 *
 *   const registry = await startRegistry()   // registry.address === '127.0.0.1:41234'
 *   await registry.stop()
 */
import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const BINARY = '/usr/bin/docker-registry'

export interface TestRegistry {
  /** `127.0.0.1:PORT`, the prefix of image names pushed to it. */
  address: string
  dir: string
  stop(): Promise<void>
}

export async function startRegistry(): Promise<TestRegistry> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`bash scripts/ensure-deps.sh\` (as root) to install docker-registry`)
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'))
  const config = join(dir, 'config.yml')
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  )
  const logFile = join(dir, 'registry.log')
  const log = openSync(logFile, 'a')
  const child = spawn(BINARY, ['serve', config], {stdio: ['ignore', log, log]})
  closeSync(log)
  let exited: string | undefined
  child.once('exit', (code, signal) => {
    exited = `docker-registry exited (${signal ?? `code ${code}`})`
  })
  const address = `127.0.0.1:${port}`
  const kill = () => child.kill('SIGKILL')
  process.once('exit', kill)
  const stop = async () => {
    process.off('exit', kill)
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await gone
      clearTimeout(timer)
    }
    rmSync(dir, {recursive: true, force: true})
  }
  const deadline = Date.now() + 20_000
  for (;;) {
    try {
      const res = await fetch(`http://${address}/v2/`)
      if (res.status === 200) break
    } catch {
      // not up yet
    }
    if (exited || Date.now() > deadline) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : ''
      await stop()
      throw new Error(`${exited ?? 'docker-registry did not answer within 20 s'}\n${tail}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {address, dir, stop}
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
