import assert from 'node:assert/strict'
import {EngineClient, outputDecoder, type OutputChunk} from '../../../src/engine/index.js'
import {BASE_IMAGE} from '../../support/base-image.js'
import {skipUnlessSwarmLab, startSwarmLab, swarmLabLeftovers, until, type SwarmLab} from '../../support/swarm.js'

interface SwarmNode {
  ID: string
  Description: {Hostname: string}
  Spec: {Role: string; Availability: string}
  Status: {State: string; Addr: string}
  ManagerStatus?: {Leader?: boolean}
}
interface SwarmTask {
  NodeID: string
  DesiredState: string
  Status: {State: string; Err?: string; ContainerStatus?: {ContainerID?: string}}
}

const WEB_PORT = 8080
// Each task writes its node's name as the page, so an answer says which node served it.
const WEB_COMMAND = ['sh', '-c', 'hostname > /www/index.html && exec httpd -f -p 80 -h /www']


describe('swarm lab: a real 3-node swarm (scripts/swarm-lab.sh)', function () {
  this.timeout(120_000)
  let lab: SwarmLab | undefined
  let manager: EngineClient
  let nodes: SwarmNode[] = []

  before(async function () {
    skipUnlessSwarmLab(this)
    lab = await startSwarmLab({nodes: 3})
    manager = EngineClient.forHost(lab.managerHost)
  })
  after(async () => {
    await manager?.destroy().catch(() => undefined)
    await lab?.stop()
  })

  it('forms: three Ready nodes, node1 the only manager and the leader, each with the same base image', async () => {
    nodes = await manager.json<SwarmNode[]>({method: 'GET', path: '/nodes'})
    assert.deepEqual(nodes.map((n) => n.Description.Hostname).sort(), ['node1', 'node2', 'node3'])
    assert.ok(nodes.every((n) => n.Status.State === 'ready' && n.Spec.Availability === 'active'), JSON.stringify(nodes.map((n) => n.Status)))
    const managers = nodes.filter((n) => n.Spec.Role === 'manager')
    assert.deepEqual(managers.map((n) => n.Description.Hostname), ['node1'])
    assert.equal(managers[0].ManagerStatus?.Leader, true)
    assert.deepEqual(nodes.map((n) => n.Status.Addr).sort(), lab!.nodeAddresses)

    const ids = await Promise.all(
      lab!.nodeHosts.map(async (host) => {
        const node = EngineClient.forHost(host)
        try {
          return (await node.images.inspect(BASE_IMAGE)).Id
        } finally {
          await node.destroy()
        }
      }),
    )
    assert.equal(new Set(ids).size, 1, `one image ID on every node: ${ids.join(' ')}`)
  })

  it('runs a dnsrr service with 3 replicas, one running task on each node, found by name over the overlay', async () => {
    await manager.networks.create({Name: 'labnet', Driver: 'overlay', Attachable: true})
    await manager.json({
      method: 'POST',
      path: '/services/create',
      json: {
        Name: 'web',
        TaskTemplate: {
          ContainerSpec: {Image: BASE_IMAGE, Command: WEB_COMMAND, Hostname: '{{.Node.Hostname}}', StopGracePeriod: 1_000_000_000},
          Networks: [{Target: 'labnet'}],
          Placement: {MaxReplicas: 1},
        },
        Mode: {Replicated: {Replicas: 3}},
        EndpointSpec: {Mode: 'dnsrr', Ports: [{Protocol: 'tcp', TargetPort: 80, PublishedPort: WEB_PORT, PublishMode: 'host'}]},
      },
    })
    const filters = JSON.stringify({service: ['web'], 'desired-state': ['running']})
    const tasks = await until('3 running web tasks', 45_000, async () => {
      const list = await manager.json<SwarmTask[]>({method: 'GET', path: '/tasks', query: {filters}})
      const failed = list.find((t) => t.Status.Err)
      if (failed) throw new Error(`a task failed: ${failed.Status.Err}`)
      return list.length === 3 && list.every((t) => t.Status.State === 'running') ? list : undefined
    })
    const hostname = new Map(nodes.map((n) => [n.ID, n.Description.Hostname]))
    assert.deepEqual(tasks.map((t) => hostname.get(t.NodeID)).sort(), ['node1', 'node2', 'node3'])

    const service = await manager.json<{Endpoint: {Spec: {Mode: string}; VirtualIPs?: unknown[]}}>({method: 'GET', path: '/services/web'})
    assert.equal(service.Endpoint.Spec.Mode, 'dnsrr')
    assert.equal(service.Endpoint.VirtualIPs ?? undefined, undefined, 'dnsrr: no virtual IP')

    // dnsrr: the service name resolves to one address per task, from a task on node1.
    const onNode1 = tasks.find((t) => hostname.get(t.NodeID) === 'node1')!.Status.ContainerStatus!.ContainerID!
    const lookup = await until('web resolving to 3 addresses', 15_000, async () => {
      const text = await execText(manager, onNode1, ['nslookup', 'web'])
      const addresses = [...text.matchAll(/^Address: *(\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1])
      return addresses.length === 3 ? addresses : undefined
    })
    assert.equal(new Set(lookup).size, 3)
  })

  it('answers on a mode: host published port at each node\'s address, from the host side', async () => {
    for (const [k] of lab!.nodeAddresses.entries()) {
      const page = await until(`node${k + 1}:${WEB_PORT} answering`, 15_000, () => lab!.httpGet(k + 1, WEB_PORT))
      assert.equal(page.trim(), `node${k + 1}`, 'the port is served by the task on that very node')
    }
  })

  it('stop() leaves no process, network namespace, mount, cgroup or dir behind, and other engines still answer', async function () {
    const stopped = lab!
    const before = swarmLabLeftovers(stopped).join('\n')
    for (const kind of [/^netns .*-hub$/m, /^process \d+: dockerd /m, /^process \d+: containerd /m, /^process \d+: httpd /m, /^cgroup /m, /^dir /m]) assert.match(before, kind, 'the leftover check sees a running lab')
    const started = Date.now()
    await manager.destroy()
    await stopped.stop()
    const took = Date.now() - started
    assert.deepEqual(swarmLabLeftovers(stopped), [])
    await stopped.stop() // idempotent
    this.test!.title += ` (stop took ${took} ms)`
    // The test run's own private dockerd (engine-hooks) is untouched.
    if (process.env.DOCKER_HOST) {
      const other = EngineClient.fromEnvironment()
      try {
        await other.ping()
      } finally {
        await other.destroy()
      }
    }
  })
})

async function execText(engine: EngineClient, container: string, cmd: string[]): Promise<string> {
  const {Id} = await engine.exec.create(container, {Cmd: cmd, AttachStdout: true, AttachStderr: true})
  const stream = await engine.exec.start(Id)
  const decoder = outputDecoder(false)
  stream.socket.pipe(decoder)
  const chunks: Buffer[] = []
  for await (const chunk of decoder as AsyncIterable<OutputChunk>) chunks.push(chunk.data)
  return Buffer.concat(chunks).toString('utf8')
}
