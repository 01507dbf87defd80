/**
 * A real multi-node Docker Swarm for mocha suites, made by scripts/swarm-lab.sh: each node a
 * dockerd + containerd of its own in a network namespace of its own, node 1 the manager, the
 * busybox base image on every node. Needs root and network namespaces; say why not with a skip.
 *
 *   let lab: SwarmLab | undefined
 *   before(async function () {
 *     skipUnlessSwarmLab(this)                      // prints the reason and skips the suite
 *     lab = await startSwarmLab({nodes: 3})         // ~2 s
 *   })
 *   after(() => lab?.stop())                        // ~4 s; nothing is left behind
 *
 * `lab.managerHost` / `lab.nodeHosts[i]` are DOCKER_HOST values (unix sockets). The nodes' addresses
 * exist only inside the lab: reach a `mode: host` published port with `lab.httpGet(node, port)`.
 * No IPVS here: swarm VIPs and the ingress mesh do not route; use `endpoint_mode: dnsrr`.
 */
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {orphanedDirs} from './private-dockerd.js'

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'swarm-lab.sh')
const DIR_PREFIX = 'berth-swarm-test-'

export interface SwarmLab {
  /** Everything lives here (tmpdir/berth-swarm-test-XXXXXX). */
  dir: string
  /** The start of the lab's namespace and cgroup names. */
  prefix: string
  /** DOCKER_HOST of node 1, the manager. */
  managerHost: string
  /** DOCKER_HOST of each node, node 1 first. */
  nodeHosts: string[]
  /** Each node's address on the lab's own network (192.168.213.11, .12, ...). */
  nodeAddresses: string[]
  /** Each node's network namespace (`ip netns exec NAME ...`). */
  nodeNetns: string[]
  /** The namespace with the bridge: the "host side" that reaches every node. */
  hubNetns: string
  /** The lab's network namespaces as /proc/PID/ns/net names them (`net:[4026532...]`), hub included. */
  netnsIds: string[]
  /** HTTP GET http://<address of node `node` (1-based)>:port/path from the hub; rejects on failure. */
  httpGet(node: number, port: number, path?: string): Promise<string>
  /** Stops every process the lab started, removes its namespaces, mounts, cgroups and dir. Idempotent. */
  stop(): Promise<void>
}

/** Why a swarm lab cannot run here, or undefined when it can. */
export function swarmLabUnavailable(): string | undefined {
  if (process.env.BERTH_SKIP_SWARM === '1') return 'BERTH_SKIP_SWARM=1'
  if (process.platform !== 'linux') return 'a swarm lab needs Linux network namespaces'
  if (process.getuid?.() !== 0) return 'a swarm lab needs root (network namespaces, mounts, dockerd): run the tests as root'
  const missing = ['ip', 'unshare', 'setsid', 'dockerd', 'containerd', 'ctr', 'runc', 'timeout'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
  if (!existsSync('/bin/busybox')) missing.push('/bin/busybox')
  if (missing.length > 0) return `missing ${missing.join(', ')}: run \`bash scripts/ensure-deps.sh\` as root`
  // A new network + UTS namespace, as the script makes them (refused in many containers).
  const probe = spawnSync('unshare', ['--net', '--uts', '--mount', 'true'], {encoding: 'utf8'})
  if (probe.status !== 0) return `no network namespaces here (unshare --net: ${(probe.stderr || probe.error?.message || 'failed').trim()})`
  return undefined
}

/** In a mocha hook: skips the suite, saying why, when a swarm lab cannot run here. */
export function skipUnlessSwarmLab(ctx: Mocha.Context): void {
  const reason = swarmLabUnavailable()
  if (!reason) return
  console.log(`      (swarm lab skipped: ${reason})`)
  ctx.skip()
}

export async function startSwarmLab(options: {nodes: number; timeoutMs?: number}): Promise<SwarmLab> {
  const reason = swarmLabUnavailable()
  if (reason) throw new Error(`swarm lab unavailable: ${reason}`)
  await reapStaleLabs()
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX))
  writeFileSync(join(dir, 'owner'), String(process.pid))

  let stopped: Promise<void> | undefined
  const stopSync = () => {
    if (stopped) return
    try {
      execFileSync('bash', [SCRIPT, 'down', '--dir', dir], {stdio: 'ignore'})
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  }
  // Ctrl-C or a kill of the test run must not leave a swarm behind.
  const onSignal = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143)
  process.once('exit', stopSync)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const stop = () => {
    stopped ??= (async () => {
      process.off('exit', stopSync)
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      await script(['down', '--dir', dir], 60_000)
      rmSync(dir, {recursive: true, force: true})
    })()
    return stopped
  }

  try {
    await script(['up', String(options.nodes), '--dir', dir], options.timeoutMs ?? 120_000)
  } catch (error) {
    await stop().catch(() => undefined)
    throw error
  }
  const env = parseEnv(readFileSync(join(dir, 'lab.env'), 'utf8'))
  const nodes = Array.from({length: Number(env.NODES)}, (_, k) => k + 1)
  const nodeHosts = nodes.map((i) => env[`NODE${i}_HOST`])
  return {
    dir,
    prefix: env.PREFIX,
    managerHost: nodeHosts[0],
    nodeHosts,
    nodeAddresses: nodes.map((i) => env[`NODE${i}_ADDR`]),
    nodeNetns: nodes.map((i) => env[`NODE${i}_NETNS`]),
    hubNetns: env.HUB,
    netnsIds: [env.HUB, ...nodes.map((i) => env[`NODE${i}_NETNS`])].map((name) => `net:[${statSync(`/run/netns/${name}`).ino}]`),
    httpGet: (node, port, path = '/') => script(['get', String(node), String(port), path, '--dir', dir], 10_000),
    stop,
  }
}

/**
 * What a lab left behind: its processes (by command line, cgroup or network namespace), network
 * namespaces, mounts, cgroups and dir. Empty after stop().
 */
export function swarmLabLeftovers(lab: Pick<SwarmLab, 'dir' | 'prefix' | 'netnsIds'>): string[] {
  const left: string[] = []
  const netns = existsSync('/run/netns') ? readdirSync('/run/netns').filter((name) => name.startsWith(`${lab.prefix}-`)) : []
  left.push(...netns.map((name) => `netns ${name}`))
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)) {
    let cmdline: string, cgroup: string, netns: string
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
      cgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
      netns = readlinkSync(`/proc/${pid}/ns/net`)
    } catch {
      continue // gone meanwhile
    }
    if (cmdline.includes(`${lab.dir}/`) || cgroup.includes(`/${lab.prefix}-`) || lab.netnsIds.includes(netns)) left.push(`process ${pid}: ${cmdline}`)
  }
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '')
  left.push(...mounts.filter((target) => target.startsWith(`${lab.dir}/`) || target.includes(`/${lab.prefix}-`)).map((target) => `mount ${target}`))
  for (const cgroups of ['/sys/fs/cgroup', ...listDirs('/sys/fs/cgroup')]) {
    left.push(...listDirs(cgroups).filter((path) => path.split('/').pop()!.startsWith(`${lab.prefix}-`)).map((path) => `cgroup ${path}`))
  }
  if (existsSync(lab.dir)) left.push(`dir ${lab.dir}`)
  return left
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, {withFileTypes: true}).filter((entry) => entry.isDirectory()).map((entry) => join(dir, entry.name))
  } catch {
    return []
  }
}

/** Labs of test runs that died without stop() (SIGKILL): their owner process is gone. */
async function reapStaleLabs(): Promise<void> {
  for (const dir of orphanedDirs(DIR_PREFIX)) {
    await script(['down', '--dir', dir], 60_000).catch(() => undefined)
    rmSync(dir, {recursive: true, force: true})
  }
}


function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]))
}

/** Runs the script; resolves with its stdout, rejects with its output when it fails or is too slow. */
function script(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(stdout)
      else reject(new Error(`scripts/swarm-lab.sh ${args[0]} failed (${signal ? `killed after ${timeoutMs} ms` : `exit ${code}`}):\n${(stderr || stdout).trim()}`))
    })
  })
}

/** Polls `probe` every 250 ms until it gives a value (errors count as "not yet"); fails after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
