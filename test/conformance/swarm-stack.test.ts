/**
 * `berth stack deploy` against `docker stack deploy` (docker CLI 28) on a private single-node
 * swarm: for each fixture in fixtures/swarm/, the CLI deploys it as one stack, Berth as another,
 * and the resulting services (their Spec as the Engine API keeps it), overlay networks, secrets and
 * configs must be the same once the stack name, IDs, versions and timestamps are normalised; so
 * must the "Ignoring unsupported options" list. Deliberate differences are in
 * fixtures/swarm/DIFFERENCES.md and taken out here by name. The swarm's only node is drained, so
 * no task ever runs: specs are what is compared. Berth's second deploy must leave every service
 * alone, as must a Berth deploy over the stack the CLI made, and `berth stack rm` must leave
 * nothing of the stack behind.
 *
 * Needs root (a private dockerd), the docker CLI and a build (`npm run build`).
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {EngineClient} from '../../src/engine/index.js'
import {startPrivateDockerd, type TestEngine} from '../support/private-dockerd.js'
import {swarmFixtures} from '../unit/plugins/swarm/fixture-support.js'

const REPO = resolve(fileURLToPath(import.meta.url), '../../..')
const FIXTURES = join(REPO, 'fixtures', 'swarm')
const BIN = join(REPO, 'bin', 'run.js')
const ORACLE = 'dockerstack'
const BERTH = 'berthstack'

type Json = null | boolean | number | string | Json[] | {[key: string]: Json}

interface Run {
  status: number
  stdout: string
  stderr: string
}

function why(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for a private dockerd'
  if (spawnSync('docker', ['--version']).status !== 0) return 'the docker CLI is not installed'
  if (!existsSync(join(REPO, 'dist', 'plugins', 'swarm', 'register.js'))) return 'build first: npm run build'
  return undefined
}

/** Nulls, empty objects and empty lists dropped; keys sorted. */
function prune(value: Json): Json | undefined {
  if (value === null) return undefined
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v): v is Json => v !== undefined)
    return items.length > 0 ? items : undefined
  }
  if (typeof value === 'object') {
    const out: Record<string, Json> = {}
    for (const key of Object.keys(value).sort()) {
      const v = prune(value[key]!)
      if (v !== undefined) out[key] = v
    }
    return Object.keys(out).length > 0 ? out : undefined
  }
  return value
}

/** The stack's name written `<stack>` wherever it appears as a name or a name's prefix. */
function unstack(value: Json, stack: string): Json {
  return JSON.parse(JSON.stringify(value).replaceAll(`"${stack}"`, '"<stack>"').replaceAll(`${stack}_`, '<stack>_'))
}

interface Snapshot {
  services: Record<string, Json>
  networks: Record<string, Json>
  secrets: Record<string, Json>
  configs: Record<string, Json>
}

async function snapshot(engine: EngineClient, stack: string): Promise<Snapshot> {
  const filters = JSON.stringify({label: [`com.docker.stack.namespace=${stack}`]})
  const [services, networks, allNetworks, secrets, allSecrets, configs, allConfigs] = await Promise.all([
    engine.json<Array<{Spec: Json & {Name: string; TaskTemplate: any}}>>({method: 'GET', path: '/services', query: {filters}}),
    engine.json<Array<{Name: string; Driver: string; Labels: Json; Attachable: boolean; Internal: boolean; Options: Record<string, string> | null; IPAM: {Config: Array<{Subnet?: string}> | null}}>>({method: 'GET', path: '/networks', query: {filters}}),
    engine.json<Array<{Id: string; Name: string}>>({method: 'GET', path: '/networks'}),
    engine.json<Array<{Spec: {Name: string; Labels: Json}}>>({method: 'GET', path: '/secrets', query: {filters}}),
    engine.json<Array<{ID: string; Spec: {Name: string}}>>({method: 'GET', path: '/secrets'}),
    engine.json<Array<{Spec: {Name: string; Labels: Json; Data: string; Templating?: Json}}>>({method: 'GET', path: '/configs', query: {filters}}),
    engine.json<Array<{ID: string; Spec: {Name: string}}>>({method: 'GET', path: '/configs'}),
  ])
  const networkName = new Map(allNetworks.map((n) => [n.Id, n.Name]))
  const secretName = new Map(allSecrets.map((s) => [s.ID, s.Spec.Name]))
  const configName = new Map(allConfigs.map((c) => [c.ID, c.Spec.Name]))
  const out: Snapshot = {services: {}, networks: {}, secrets: {}, configs: {}}
  for (const service of services) {
    const spec = structuredClone(service.Spec) as any
    for (const n of spec.TaskTemplate.Networks ?? []) n.Target = networkName.get(n.Target) ?? n.Target
    const c = spec.TaskTemplate.ContainerSpec
    for (const s of c.Secrets ?? []) s.SecretID = `id-of:${secretName.get(s.SecretID)}`
    for (const s of c.Configs ?? []) s.ConfigID = `id-of:${configName.get(s.ConfigID)}`
    // The engine keeps references in an order of its own; what they are is what matters.
    for (const list of [c.Secrets, c.Configs]) list?.sort((a: Json, b: Json) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
    // Berth's loader keeps extra_hosts sorted, as compose prints them (DIFFERENCES.md); the order of distinct names means nothing.
    c.Hosts?.sort()
    out.services[service.Spec.Name.slice(stack.length + 1)] = unstack(prune(spec) ?? {}, stack)
  }
  for (const n of networks) {
    // Subnets from the default pool are handed out in turn; only chosen ones are compared.
    const chosen = (n.IPAM.Config ?? []).filter((c) => !c.Subnet?.startsWith('10.0.'))
    const options = Object.fromEntries(Object.entries(n.Options ?? {}).filter(([k]) => !k.startsWith('com.docker.network.driver.overlay.vxlanid')))
    out.networks[n.Name.replace(stack, '<stack>')] = unstack(prune({Driver: n.Driver, Labels: n.Labels, Attachable: n.Attachable, Internal: n.Internal, Options: options, Subnets: chosen as Json}) ?? {}, stack)
  }
  for (const s of secrets) out.secrets[s.Spec.Name.replace(stack, '<stack>')] = unstack(prune({Labels: s.Spec.Labels}) ?? {}, stack)
  for (const c of configs) out.configs[c.Spec.Name.replace(stack, '<stack>')] = unstack(prune({Labels: c.Spec.Labels, Data: c.Spec.Data, Templating: c.Spec.Templating ?? null}) ?? {}, stack)
  return out
}

/** "Ignoring unsupported options: a, b" -> [a, b] (either tool's wording of the line). */
function unsupportedOptions(stderr: string): string[] {
  const m = /Ignoring unsupported options: (.*)/.exec(stderr)
  return m ? m[1]!.split(', ').map((s) => s.trim()).sort() : []
}

/** Berth's deliberate differences (fixtures/swarm/DIFFERENCES.md), taken out by name. */
const DIFFERENCES = {
  // docker warns that `restart:` is unsupported, then converts it anyway; Berth converts it without the warning.
  unsupportedNotWarned: ['restart'],
  // docker leaves out a tmpfs mount's `tmpfs.mode`; Berth sends it, as `berth up` does.
  withoutTmpfsMode(services: Record<string, Json>): Record<string, Json> {
    const copy = structuredClone(services) as Record<string, any>
    for (const spec of Object.values(copy)) {
      for (const m of spec.TaskTemplate?.ContainerSpec?.Mounts ?? []) {
        if (m.TmpfsOptions) delete m.TmpfsOptions.Mode
        if (m.TmpfsOptions && Object.keys(m.TmpfsOptions).length === 0) delete m.TmpfsOptions
      }
    }
    return copy
  },
  /** Services whose spec Berth would change over docker's (for the differences above). */
  updatedOverOracle: {volumes: ['db']} as Record<string, string[]>,
}

describe('berth stack deploy matches docker stack deploy (private single-node swarm)', function () {
  this.timeout(120_000)
  let engine: TestEngine | undefined
  let client: EngineClient
  let home: string
  const env = () => ({PATH: process.env.PATH, HOME: home, DOCKER_HOST: engine!.host, NO_COLOR: '1'})
  const run = (command: string, args: string[], cwd: string): Run => {
    const r = spawnSync(command, args, {cwd, env: env(), encoding: 'utf8', timeout: 60_000})
    return {status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
  }
  const ok = (r: Run, what: string): Run => {
    assert.equal(r.status, 0, `${what} failed:\n${r.stderr}${r.stdout}`)
    return r
  }
  const berth = (args: string[], cwd: string) => run(process.execPath, [BIN, ...args], cwd)

  before(async function () {
    const reason = why()
    if (reason) {
      console.log(`      (skipped: ${reason})`)
      this.skip()
    }
    this.timeout(120_000)
    home = mkdtempSync(join(tmpdir(), 'berth-swarm-conf-'))
    engine = await startPrivateDockerd()
    client = EngineClient.forHost(engine.host)
    // Loopback only, on ports of our own: other swarms on this host (labs, other runs) are not met.
    const port = 20_000 + (process.pid % 20_000)
    ok(run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${port}`, '--data-path-port', String(port + 1)], home), 'swarm init')
    const self = ok(run('docker', ['info', '--format', '{{.Swarm.NodeID}}'], home), 'node ID').stdout.trim()
    ok(run('docker', ['node', 'update', '--availability', 'drain', self], home), 'drain the node')
    ok(run('docker', ['network', 'create', '--driver', 'overlay', 'berth-conformance-shared'], home), 'external network')
  })

  after(async () => {
    await client?.destroy()
    await engine?.stop()
    if (home) rmSync(home, {recursive: true, force: true})
  })

  const fixtures = swarmFixtures()
  it('covers at least 6 fixtures', () => assert.ok(fixtures.length >= 6, `only ${fixtures.length}`))

  for (const fixture of fixtures) {
    it(fixture, async () => {
      const dir = join(FIXTURES, fixture)
      try {
        await compare(dir, fixture)
      } finally {
        // Whatever failed, the next fixture starts on an empty swarm.
        run('docker', ['stack', 'rm', ORACLE, BERTH], dir)
      }
    })
  }

  async function compare(dir: string, fixture: string): Promise<void> {
    const deployed = ok(run('docker', ['stack', 'deploy', '-c', 'compose.yaml', ORACLE], dir), 'docker stack deploy')
    const oracle = await snapshot(client, ORACLE)
    // Berth over the stack docker made: nothing to change, but for Berth's deliberate differences.
    const over = ok(berth(['stack', 'deploy', '-c', 'compose.yaml', ORACLE], dir), 'berth stack deploy over docker\'s stack')
    const changed = DIFFERENCES.updatedOverOracle[fixture] ?? []
    assert.deepStrictEqual(
      over.stdout.trim().split('\n').map((l) => l.replace(/ \(id: \w+\)$/, '')),
      Object.keys(oracle.services).sort().map((s) => `${changed.includes(s) ? 'Updating' : 'Unchanged'} service ${ORACLE}_${s}`),
      'berth deploy over the stack docker made',
    )
    ok(run('docker', ['stack', 'rm', ORACLE], dir), 'docker stack rm')

    const first = ok(berth(['stack', 'deploy', '-c', 'compose.yaml', BERTH], dir), 'berth stack deploy')
    const ours = await snapshot(client, BERTH)
    const second = ok(berth(['stack', 'deploy', '-c', 'compose.yaml', BERTH], dir), 'berth stack deploy (again)')
    const after = await snapshot(client, BERTH)
    ok(berth(['stack', 'rm', BERTH], dir), 'berth stack rm')
    const left = await snapshot(client, BERTH)

    assert.deepStrictEqual(DIFFERENCES.withoutTmpfsMode(ours.services), oracle.services, 'service specs')
    assert.deepStrictEqual(ours.networks, oracle.networks, 'networks')
    assert.deepStrictEqual(ours.secrets, oracle.secrets, 'secrets')
    assert.deepStrictEqual(ours.configs, oracle.configs, 'configs')
    const expected = unsupportedOptions(deployed.stderr).filter((o) => !DIFFERENCES.unsupportedNotWarned.includes(o))
    assert.deepStrictEqual(unsupportedOptions(first.stderr), expected, 'the "Ignoring unsupported options" list')

    const services = Object.keys(ours.services).sort()
    assert.deepStrictEqual(second.stdout.trim().split('\n').filter((l) => l !== ''), services.map((s) => `Unchanged service ${BERTH}_${s}`), 'a second deploy changes nothing')
    assert.deepStrictEqual(after.services, ours.services)
    assert.deepStrictEqual(left, {services: {}, networks: {}, secrets: {}, configs: {}}, 'stack rm leaves nothing')
  }
})
