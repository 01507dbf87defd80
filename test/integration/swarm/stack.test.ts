/**
 * `berth stack` on a real 3-node swarm (scripts/swarm-lab.sh), through the built CLI: a dnsrr
 * service with `mode: host` ports, one task per node, answers HTTP on each node's address; an
 * ingress (VIP) service is checked by its spec, since this kernel has no IPVS to route it; ps and
 * services show what runs; a second deploy with nothing changed updates nothing; `stack rm`
 * leaves no service, secret, config, network or container of the stack on any node.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {EngineClient} from '../../../src/engine/index.js'
import {skipUnlessSwarmLab, startSwarmLab, until, type SwarmLab} from '../../support/swarm.js'

const BIN = resolve(fileURLToPath(import.meta.url), '../../../../bin/run.js')
const STACK = 'lab'
const PORT = 8080

const COMPOSE = `services:
  web:
    image: berth-test/busybox:latest
    command: ["sh", "-c", "echo \\"$$NODE\\" > /www/index.html && exec httpd -f -p 80 -h /www"]
    hostname: "{{.Node.Hostname}}"
    environment:
      NODE: "{{.Node.Hostname}}"
    init: true
    stop_grace_period: 1s
    ports:
      - target: 80
        published: ${PORT}
        mode: host
    secrets: [token]
    configs: [page]
    deploy:
      replicas: 3
      endpoint_mode: dnsrr
      placement:
        max_replicas_per_node: 1
  api:
    image: berth-test/busybox:latest
    command: ["sleep", "3600"]
    init: true
    stop_grace_period: 1s
    ports: ["9090:90"]
    deploy:
      replicas: 1
secrets:
  token:
    file: ./token.txt
configs:
  page:
    file: ./page.html
`

interface Service {
  ID: string
  Version: {Index: number}
  Spec: {Name: string; EndpointSpec?: {Mode?: string; Ports?: Array<{PublishMode: string; PublishedPort: number; TargetPort: number}>}}
  Endpoint?: {VirtualIPs?: unknown[]}
}


describe('berth stack on a 3-node swarm lab', function () {
  this.timeout(180_000)
  let lab: SwarmLab | undefined
  let manager: EngineClient
  let dir: string
  const label = JSON.stringify({label: [`com.docker.stack.namespace=${STACK}`]})

  const berth = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {cwd: dir, env: {PATH: process.env.PATH, HOME: dir, DOCKER_HOST: lab!.managerHost, NO_COLOR: '1'}, encoding: 'utf8', timeout: 120_000})
    assert.equal(r.status, 0, `berth ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`)
    return r
  }
  const services = () => manager.json<Service[]>({method: 'GET', path: '/services', query: {filters: label}})

  before(async function () {
    skipUnlessSwarmLab(this)
    dir = mkdtempSync(join(tmpdir(), 'berth-stack-lab-'))
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE)
    writeFileSync(join(dir, 'token.txt'), 'not-a-real-token\n')
    writeFileSync(join(dir, 'page.html'), '<p>config</p>\n')
    lab = await startSwarmLab({nodes: 3})
    manager = EngineClient.forHost(lab.managerHost)
  })
  after(async () => {
    await manager?.destroy()
    await lab?.stop()
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('deploys (waiting with --no-detach): the dnsrr service answers on its host port from every node', async () => {
    const r = berth(['stack', 'deploy', '-c', 'compose.yaml', '--no-detach', STACK])
    assert.match(r.stdout, /^Creating network lab_default\nCreating secret lab_token\nCreating config lab_page\nCreating service lab_api\nCreating service lab_web\n/)
    assert.match(r.stdout, /Service lab_web converged \(3\/3 running\)/)
    for (let node = 1; node <= 3; node++) {
      const page = await until(`node${node}:${PORT} answering`, 20_000, () => lab!.httpGet(node, PORT))
      assert.equal(page.trim(), `node${node}`, 'served by the task on that very node')
    }
  })

  it('keeps the ingress (VIP) service by its spec: an ingress port and a virtual IP', async () => {
    const api = (await services()).find((s) => s.Spec.Name === 'lab_api')!
    assert.deepEqual(api.Spec.EndpointSpec?.Ports?.map((p) => [p.PublishMode, p.PublishedPort, p.TargetPort]), [['ingress', 9090, 90]])
    assert.equal(api.Spec.EndpointSpec?.Mode, 'vip')
    assert.ok((api.Endpoint?.VirtualIPs ?? []).length >= 1, 'a virtual IP on the ingress network')
  })

  it('lists the stack, its services and its tasks on three nodes', () => {
    assert.match(berth(['stack', 'ls']).stdout, /^NAME {6}SERVICES\nlab {7}2\n$/)
    const listed = berth(['stack', 'services', '--format', '{{.Name}} {{.Mode}} {{.Replicas}} {{.Ports}}', STACK]).stdout
    assert.equal(listed, 'lab_api replicated 1/1 *:9090->90/tcp\nlab_web replicated 3/3 (max 1 per node) \n')
    const tasks = berth(['stack', 'ps', '-f', 'desired-state=running', '--format', 'json', STACK]).stdout.trim().split('\n').map((l) => JSON.parse(l))
    const web = tasks.filter((t) => t.Name.startsWith('lab_web.'))
    assert.deepEqual(web.map((t) => t.Node).sort(), ['node1', 'node2', 'node3'])
    assert.ok(web.every((t) => t.DesiredState === 'Running' && /^Running /.test(t.CurrentState) && /^\*:8080->80\/tcp(,\*:8080->80\/tcp)*$/.test(t.Ports)), JSON.stringify(web))
  })

  it('a second deploy with nothing changed updates nothing', async () => {
    const before = await services()
    const r = berth(['stack', 'deploy', '-c', 'compose.yaml', STACK])
    assert.equal(r.stdout, 'Unchanged service lab_api\nUnchanged service lab_web\n')
    const after = await services()
    assert.deepEqual(after.map((s) => [s.Spec.Name, s.Version.Index]).sort(), before.map((s) => [s.Spec.Name, s.Version.Index]).sort())
  })

  it('stack rm removes the services, secret, config and network, and every task container on every node', async function () {
    const started = Date.now()
    const r = berth(['stack', 'rm', STACK])
    assert.equal(r.stdout, 'Removing service lab_api\nRemoving service lab_web\nRemoving secret lab_token\nRemoving config lab_page\nRemoving network lab_default\n')
    const [left, secrets, configs] = await Promise.all(['/services', '/secrets', '/configs'].map((path) => manager.json<unknown[]>({method: 'GET', path, query: {filters: label}})))
    assert.deepEqual({services: left, secrets, configs}, {services: [], secrets: [], configs: []})
    // The manager's own view of a removed overlay network goes once its last local task has stopped.
    await until('the stack network gone from the manager', 30_000, async () => ((await manager.json<unknown[]>({method: 'GET', path: '/networks', query: {filters: label}})).length === 0 ? true : undefined))
    const networkGone = Date.now() - started
    for (const [k, host] of lab!.nodeHosts.entries()) {
      const node = EngineClient.forHost(host)
      try {
        await until(`node${k + 1} without task containers`, 30_000, async () => {
          const list = await node.containers.list({all: true, filters: {label: [`com.docker.stack.namespace=${STACK}`]}})
          return list.length === 0 ? true : undefined
        })
      } finally {
        await node.destroy()
      }
    }
    this.test!.title += ` (network gone after ${networkGone} ms, containers after ${Date.now() - started} ms)`
    assert.match(spawnSync(process.execPath, [BIN, 'stack', 'rm', STACK], {env: {PATH: process.env.PATH, HOME: dir, DOCKER_HOST: lab!.managerHost}, encoding: 'utf8'}).stderr, /^Nothing found in stack: lab\n$/)
  })
})
