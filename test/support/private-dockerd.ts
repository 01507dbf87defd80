/**
 * A private Docker Engine for tests: its own data-root, exec-root, pidfile, unix socket and
 * containerd namespace under a temp dir, beside (never touching) the user's default daemon.
 *
 *   const engine = await startPrivateDockerd()   // waits until /_ping answers
 *   process.env.DOCKER_HOST = engine.host
 *   ...
 *   await engine.stop()                          // SIGTERM, then SIGKILL; unmounts; removes the dir
 *
 * With BERTH_TEST_DOCKER_HOST set, that engine is used instead and stop() leaves it alone.
 */
import {spawn, execFileSync, type ChildProcess} from 'node:child_process'
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EngineClient} from '../../src/engine/index.js'

export interface TestEngine {
  /** `unix:///tmp/berth-dockerd-XXXX/sock` */
  host: string
  /** The temp dir holding everything, or undefined for a reused engine. */
  dir?: string
  /** Whether this process started the daemon (and so stops it). */
  owned: boolean
  pid?: number
  /** The daemon's log file (for failure messages). */
  logFile?: string
  stop(): Promise<void>
}

export class MissingDockerError extends Error {
  constructor() {
    super('dockerd is not installed: run `bash scripts/ensure-deps.sh` (as root) to install Debian\'s docker.io')
  }
}

export function findDockerd(): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin'])) {
    const candidate = join(dir, 'dockerd')
    if (dir && existsSync(candidate)) return candidate
  }
  throw new MissingDockerError()
}

export interface StartOptions {
  /** How long to wait for /_ping, ms (default 60 s). */
  readyTimeoutMs?: number
  /** Use this dir instead of a new temp dir (must be short: unix socket paths are limited to 107 bytes). */
  dir?: string
  /** Extra dockerd flags. */
  extraArgs?: string[]
}

export async function startPrivateDockerd(options: StartOptions = {}): Promise<TestEngine> {
  const reuse = process.env.BERTH_TEST_DOCKER_HOST
  if (reuse) {
    const engine: TestEngine = {host: reuse.includes('://') ? reuse : `unix://${reuse}`, owned: false, stop: async () => {}}
    await waitForPing(engine.host, options.readyTimeoutMs ?? 10_000, () => undefined)
    return engine
  }
  if (process.getuid?.() !== 0) throw new Error('a private dockerd needs root (run the integration tests as root, or set BERTH_TEST_DOCKER_HOST)')
  const dockerd = findDockerd()
  await reapStaleDaemons()
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), DIR_PREFIX))
  writeFileSync(join(dir, 'owner'), String(process.pid))
  const name = `berth-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
  const socket = join(dir, 'sock')
  const logFile = join(dir, 'dockerd.log')
  const log = openSync(logFile, 'a')
  const child = spawn(
    dockerd,
    [
      '--data-root', join(dir, 'data'),
      '--exec-root', join(dir, 'exec'),
      '--pidfile', join(dir, 'pid'),
      '-H', `unix://${socket}`,
      '--bridge=none',
      '--containerd-namespace', name,
      '--containerd-plugins-namespace', `${name}-plugins`,
      ...(options.extraArgs ?? []),
    ],
    {stdio: ['ignore', log, log], detached: false},
  )
  closeSync(log)
  const host = `unix://${socket}`
  let exited: string | undefined
  child.once('exit', (code, signal) => {
    exited = `dockerd exited (${signal ?? `code ${code}`})`
  })
  const engine: TestEngine = {host, dir, owned: true, pid: child.pid, logFile, stop: () => stopDaemon(child, dir)}
  // Ctrl-C or a kill of the test run must not leave a daemon behind.
  const cleanupOnExit = () => killSync(child, dir)
  const onSignal = (signal: NodeJS.Signals) => {
    killSync(child, dir)
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('exit', cleanupOnExit)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const stop = engine.stop
  engine.stop = async () => {
    process.off('exit', cleanupOnExit)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await stop()
  }
  try {
    await waitForPing(host, options.readyTimeoutMs ?? 60_000, () => exited)
  } catch (error) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : ''
    await engine.stop()
    throw new Error(`${(error as Error).message}\n--- dockerd log (last lines) ---\n${tail}`, {cause: error})
  }
  return engine
}

const DIR_PREFIX = 'berth-dockerd-'

/**
 * Stops daemons left by test runs that died without cleaning up (SIGKILL): a harness dir whose
 * owner process is gone. Only dirs this harness made (tmpdir/berth-dockerd-*) are touched.
 */
export async function reapStaleDaemons(): Promise<string[]> {
  const reaped: string[] = []
  for (const dir of orphanedDirs(DIR_PREFIX)) {
    try {
      const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'))
      if (pid && isAlive(pid)) {
        process.kill(pid, 'SIGTERM')
        for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 200))
        if (isAlive(pid)) process.kill(pid, 'SIGKILL')
      }
    } catch {
      // no pidfile: the daemon never started or is gone
    }
    killLeftovers(dir)
    unmountUnder(dir)
    rmSync(dir, {recursive: true, force: true})
    reaped.push(dir)
  }
  return reaped
}

/**
 * Test harness dirs (tmpdir/<prefix>*) whose `owner` file names a process that is gone: a test
 * run that died without cleaning up (SIGKILL).
 */
export function orphanedDirs(prefix: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(prefix)) continue
    const dir = join(tmpdir(), name)
    let owner: number
    try {
      owner = Number(readFileSync(join(dir, 'owner'), 'utf8'))
    } catch {
      continue
    }
    if (owner && !isAlive(owner)) out.push(dir)
  }
  return out
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as {code?: string}).code === 'EPERM'
  }
}

async function waitForPing(host: string, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const client = EngineClient.forHost(host, {apiVersion: '1.41', debug: false})
  try {
    for (;;) {
      try {
        await client.system.ping()
        return
      } catch (error) {
        const gone = exited()
        if (gone) throw new Error(`private dockerd did not start: ${gone}`, {cause: error})
        if (Date.now() > deadline) throw new Error(`private dockerd at ${host} did not answer /_ping within ${timeoutMs} ms: ${(error as Error).message}`, {cause: error})
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  } finally {
    await client.destroy()
  }
}

async function stopDaemon(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref())
    if ((await Promise.race([exited, timer])) === 'timeout') {
      child.kill('SIGKILL')
      await exited
    }
  }
  killLeftovers(dir)
  unmountUnder(dir)
  rmSync(dir, {recursive: true, force: true, maxRetries: 3})
}

/** Last resort when the test process exits without stop(): no await is possible here. */
function killSync(child: ChildProcess, dir: string): void {
  try {
    child.kill('SIGKILL')
  } catch {
    // already gone
  }
  killLeftovers(dir)
  unmountUnder(dir)
  try {
    rmSync(dir, {recursive: true, force: true})
  } catch {
    // best effort
  }
}

/** containerd and shims started by the daemon carry the dir in their command line. */
function killLeftovers(dir: string): void {
  let pids: string[]
  try {
    pids = execFileSync('pgrep', ['-f', `${dir}/`], {encoding: 'utf8'}).split('\n').filter(Boolean)
  } catch {
    return // none
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch {
      // gone
    }
  }
}

function unmountUnder(dir: string): void {
  let mounts: string[]
  try {
    mounts = readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
      .filter((target): target is string => Boolean(target) && target.startsWith(dir + '/'))
  } catch {
    return
  }
  // Deepest first.
  for (const target of mounts.sort((a, b) => b.length - a.length)) {
    try {
      execFileSync('umount', ['-l', target], {stdio: 'ignore'})
    } catch {
      // already gone
    }
  }
}
