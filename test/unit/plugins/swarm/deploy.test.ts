/**
 * deployStack and removeStack against an in-memory swarm (unit tests may fake the engine; the
 * real one is in test/conformance/swarm-stack.test.ts and test/integration/swarm/stack.test.ts):
 * order of calls, nothing made when something external is missing, unchanged services left
 * alone, --prune, --resolve-image, a changed secret, stack rm.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadProject} from '../../../../src/compose/index.js'
import {EngineServerError} from '../../../../src/engine/errors.js'
import {NotSwarmManagerError, type SwarmApi} from '../../../../src/plugins/swarm/api.js'
import {convertStack, type StackPlan} from '../../../../src/plugins/swarm/convert/stack.js'
import {deployStack, type DeployOptions} from '../../../../src/plugins/swarm/deploy.js'
import {readFileObjects} from '../../../../src/plugins/swarm/files.js'
import {removeStack} from '../../../../src/plugins/swarm/remove.js'
import type {FileObject, FileObjectCreate, Network, NetworkCreate, Service, ServiceSpec} from '../../../../src/plugins/swarm/types.js'
import {UserInputError} from '../../../../src/errors.js'

/** A swarm in memory that stores specs the way 20.10 does (network names -> IDs, defaults filled in). */
class FakeSwarm {
  manager = true
  calls: string[] = []
  services = new Map<string, Service>()
  networks = new Map<string, Network>()
  secrets = new Map<string, FileObject & {data: string}>()
  configs = new Map<string, FileObject>()
  next = 1
  id = (prefix: string) => `${prefix}${this.next++}`

  api(): SwarmApi {
    return FakeSwarm.apiOf(this)
  }

  static apiOf(self: FakeSwarm): SwarmApi {
    const stackOf = (labels: Record<string, string> | null | undefined, filter: Record<string, string[]>) =>
      (filter.label ?? []).every((l) => {
        const [k, v] = l.split('=')
        return v === undefined ? k! in (labels ?? {}) : labels?.[k!] === v
      })
    const store = (kind: 'secrets' | 'configs') => (kind === 'secrets' ? self.secrets : self.configs) as Map<string, FileObject>
    return {
      engine: {apiVersion: async () => '1.41'},
      async checkManager() {
        self.calls.push('GET /info')
        if (!self.manager) throw new NotSwarmManagerError()
      },
      async services(filter: Record<string, string[]>) {
        self.calls.push('GET /services')
        return [...self.services.values()].filter((s) => stackOf(s.Spec.Labels, filter)).map((s) => structuredClone(s))
      },
      async networks(filter: Record<string, string[]>) {
        return [...self.networks.values()].filter((n) => stackOf(n.Labels, filter))
      },
      async network(name: string) {
        self.calls.push(`GET /networks/${name}`)
        return [...self.networks.values()].find((n) => n.Name === name)
      },
      async createNetwork(body: NetworkCreate) {
        self.calls.push(`POST /networks/create ${body.Name}`)
        const n = {Id: self.id('net'), Name: body.Name, Scope: 'swarm', Labels: body.Labels}
        self.networks.set(n.Id, n)
        return {Id: n.Id}
      },
      async removeNetwork(id: string) {
        self.calls.push(`DELETE /networks/${self.networks.get(id)!.Name}`)
        self.networks.delete(id)
      },
      async fileObjects(kind: 'secrets' | 'configs', filter: Record<string, string[]>) {
        self.calls.push(`GET /${kind}`)
        return [...store(kind).values()].filter((o) => (filter.name ?? []).some((n) => o.Spec.Name.startsWith(n)) || (filter.label && stackOf(o.Spec.Labels, filter))).map((o) => structuredClone(o))
      },
      async createFileObject(kind: 'secrets' | 'configs', body: FileObjectCreate) {
        self.calls.push(`POST /${kind}/create ${body.Name}`)
        const o = {ID: self.id(kind), Version: {Index: 1}, Spec: kind === 'secrets' ? {Name: body.Name, Labels: body.Labels} : {...body}, data: body.Data}
        store(kind).set(o.ID, o)
        return {ID: o.ID}
      },
      async updateFileObject(kind: 'secrets' | 'configs', id: string, version: number, body: FileObjectCreate) {
        self.calls.push(`POST /${kind}/update ${body.Name}`)
        const o = store(kind).get(id)! as FileObject & {data: string}
        if ((o.data ?? o.Spec.Data) !== body.Data) {
          throw new EngineServerError({method: 'POST', path: `/${kind}/${id}/update`, status: 400, daemonMessage: 'rpc error: code = InvalidArgument desc = only updates to Labels are allowed'})
        }
        o.Version.Index = version + 1
      },
      async removeFileObject(kind: 'secrets' | 'configs', id: string) {
        self.calls.push(`DELETE /${kind}/${store(kind).get(id)!.Spec.Name}`)
        store(kind).delete(id)
      },
      async createService(spec: ServiceSpec) {
        self.calls.push(`POST /services/create ${spec.Name}`)
        const ID = self.id('svc')
        self.services.set(ID, {ID, Version: {Index: 1}, Spec: self.keep(spec)})
        return {ID}
      },
      async updateService(id: string, version: number, spec: ServiceSpec) {
        self.calls.push(`POST /services/update ${spec.Name}`)
        const s = self.services.get(id)!
        assert.equal(version, s.Version.Index, 'the version the engine last reported')
        s.Spec = self.keep(spec)
        s.Version.Index++
        return {}
      },
      async removeService(id: string) {
        self.calls.push(`DELETE /services/${self.services.get(id)!.Spec.Name}`)
        self.services.delete(id)
      },
    } as unknown as SwarmApi
  }

  /** What the engine keeps of a spec: network IDs, its defaults. */
  keep(spec: ServiceSpec): ServiceSpec {
    const s = structuredClone(spec) as any
    for (const n of s.TaskTemplate.Networks ?? []) n.Target = [...this.networks.values()].find((x) => x.Name === n.Target)?.Id ?? n.Target
    s.TaskTemplate.ContainerSpec.Isolation = 'default'
    s.TaskTemplate.ForceUpdate ??= 0
    s.TaskTemplate.Runtime = 'container'
    if (s.Mode.Replicated && s.Mode.Replicated.Replicas === undefined) s.Mode.Replicated.Replicas = 1
    s.EndpointSpec = {Mode: 'vip', ...s.EndpointSpec}
    return s
  }
}

describe('swarm: deploying and removing a stack (in-memory swarm)', function () {
  this.timeout(20_000)
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-swarm-deploy-'))
    writeFileSync(join(dir, 'pw.txt'), 'hunter2')
    writeFileSync(join(dir, 'app.conf'), 'listen 80')
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  const YAML = `services:
  web:
    image: busybox:latest
    secrets: [pw]
    configs: [conf]
    networks: [front, shared]
  worker:
    image: busybox:latest
networks:
  front: {}
  shared: {external: true, name: shared}
secrets:
  pw: {file: ./pw.txt}
configs:
  conf: {file: ./app.conf}
`
  async function setup(yaml = YAML): Promise<{plan: StackPlan; contents: {secrets: Map<string, string>; configs: Map<string, string>}}> {
    writeFileSync(join(dir, 'compose.yaml'), yaml)
    const {project} = await loadProject({files: [join(dir, 'compose.yaml')], projectName: 'st', cwd: dir, env: {}})
    const plan = convertStack(project!, 'st')
    return {plan, contents: {secrets: await readFileObjects('secret', plan.secrets, {}, dir), configs: await readFileObjects('config', plan.configs, {}, dir)}}
  }
  function options(extra: Partial<DeployOptions> = {}): DeployOptions & {lines: string[]; warnings: string[]} {
    const lines: string[] = []
    const warnings: string[] = []
    return {lines, warnings, report: (l) => lines.push(l), warn: (w) => warnings.push(w), resolveImage: 'never', ...extra}
  }
  function swarmWithShared(): FakeSwarm {
    const swarm = new FakeSwarm()
    swarm.networks.set('ext1', {Id: 'ext1', Name: 'shared', Scope: 'swarm', Labels: {}})
    return swarm
  }

  it('creates networks, then secrets and configs, then services in name order; a second deploy changes nothing', async () => {
    const swarm = swarmWithShared()
    const {plan, contents} = await setup()
    const o = options()
    const result = await deployStack(swarm.api(), plan, contents, o)
    assert.deepEqual(result, {created: ['st_web', 'st_worker'], updated: [], unchanged: [], removed: []})
    assert.deepEqual(o.lines, ['Creating network st_default', 'Creating network st_front', 'Creating secret st_pw', 'Creating config st_conf', 'Creating service st_web', 'Creating service st_worker'])
    const web = [...swarm.services.values()].find((s) => s.Spec.Name === 'st_web')!
    assert.equal(web.Spec.TaskTemplate.ContainerSpec.Secrets![0]!.SecretID, [...swarm.secrets.keys()][0], 'secret IDs filled in')
    assert.equal(web.Spec.TaskTemplate.ContainerSpec.Configs![0]!.ConfigID, [...swarm.configs.keys()][0])

    swarm.calls = []
    const again = options()
    assert.deepEqual(await deployStack(swarm.api(), plan, contents, again), {created: [], updated: [], unchanged: ['st_web', 'st_worker'], removed: []})
    assert.deepEqual(again.lines, ['Unchanged service st_web', 'Unchanged service st_worker'])
    assert.ok(!swarm.calls.some((c) => c.startsWith('POST /services') || c.startsWith('POST /networks') || c.startsWith('POST /configs')), swarm.calls.join('\n'))
  })

  it('updates only the service that changed, with its current version, keeping a forced update', async () => {
    const swarm = swarmWithShared()
    await deployStack(swarm.api(), (await setup()).plan, (await setup()).contents, options())
    const worker = [...swarm.services.values()].find((s) => s.Spec.Name === 'st_worker')!
    worker.Spec.TaskTemplate.ForceUpdate = 2
    worker.Version.Index = 7
    const {plan, contents} = await setup(YAML.replace('  worker:\n    image: busybox:latest\n', '  worker:\n    image: busybox:latest\n    environment: {A: "1"}\n'))
    const o = options()
    const result = await deployStack(swarm.api(), plan, contents, o)
    assert.deepEqual(result.updated, ['st_worker'])
    assert.deepEqual(result.unchanged, ['st_web'])
    const updated = swarm.services.get(worker.ID)!
    assert.deepEqual(updated.Spec.TaskTemplate.ContainerSpec.Env, ['A=1'])
    assert.equal(updated.Spec.TaskTemplate.ForceUpdate, 2)
    assert.ok(o.lines.includes(`Updating service st_worker (id: ${worker.ID})`), o.lines.join('\n'))
  })

  it('makes nothing when an external network is missing or the engine is not a manager', async () => {
    const {plan, contents} = await setup()
    const missing = new FakeSwarm()
    await assert.rejects(deployStack(missing.api(), plan, contents, options()), /network "shared" is declared as external, but could not be found/)
    assert.deepEqual(missing.calls.filter((c) => !c.startsWith('GET')), [])
    const worker = swarmWithShared()
    worker.manager = false
    await assert.rejects(deployStack(worker.api(), plan, contents, options()), (e: unknown) => e instanceof NotSwarmManagerError && /^this node is not a swarm manager/.test(e.message))
    assert.deepEqual(worker.calls, ['GET /info'])
  })

  it('says a changed secret cannot change in place, without its content', async () => {
    const swarm = swarmWithShared()
    const first = await setup()
    await deployStack(swarm.api(), first.plan, first.contents, options())
    writeFileSync(join(dir, 'pw.txt'), 'correct horse')
    try {
      const second = await setup()
      await assert.rejects(deployStack(swarm.api(), second.plan, second.contents, options()), (e: unknown) => {
        assert.ok(e instanceof UserInputError)
        assert.match(e.message, /^secret st_pw already exists with different content/)
        assert.ok(!`${e.message}${e.hints.join('')}`.includes('correct horse'))
        return true
      })
    } finally {
      writeFileSync(join(dir, 'pw.txt'), 'hunter2')
    }
  })

  it('removes services no longer in the file only with prune', async () => {
    const swarm = swarmWithShared()
    const full = await setup()
    await deployStack(swarm.api(), full.plan, full.contents, options())
    const smaller = await setup(YAML.replace('  worker:\n    image: busybox:latest\n', ''))
    assert.deepEqual((await deployStack(swarm.api(), smaller.plan, smaller.contents, options())).removed, [])
    assert.equal(swarm.services.size, 2)
    const o = options({prune: true})
    assert.deepEqual((await deployStack(swarm.api(), smaller.plan, smaller.contents, o)).removed, ['st_worker'])
    assert.deepEqual(o.lines.at(-1), 'Removing service st_worker')
    assert.deepEqual([...swarm.services.values()].map((s) => s.Spec.Name), ['st_web'])
  })

  it('pins images to a local digest (always), re-resolves only a changed image (changed), warns once per unpinned image', async () => {
    const swarm = swarmWithShared()
    const {plan, contents} = await setup()
    const asked: string[] = []
    const resolveDigest = async (image: string) => {
      asked.push(image)
      return `${image}@sha256:${'a'.repeat(64)}`
    }
    await deployStack(swarm.api(), plan, contents, options({resolveImage: 'always', resolveDigest}))
    assert.deepEqual([...swarm.services.values()].map((s) => s.Spec.TaskTemplate.ContainerSpec.Image), [`busybox:latest@sha256:${'a'.repeat(64)}`, `busybox:latest@sha256:${'a'.repeat(64)}`])
    assert.deepEqual([...swarm.services.values()].map((s) => s.Spec.Labels['com.docker.stack.image']), ['busybox:latest', 'busybox:latest'])
    asked.length = 0
    const changed = options({resolveImage: 'changed', resolveDigest})
    assert.deepEqual((await deployStack(swarm.api(), plan, contents, changed)).unchanged, ['st_web', 'st_worker'])
    assert.deepEqual(asked, [], 'the image did not change: its pinned reference is kept')
    const unpinned = options({resolveImage: 'always', resolveDigest: async () => undefined})
    const fresh = swarmWithShared()
    await deployStack(fresh.api(), plan, contents, unpinned)
    assert.equal(unpinned.warnings.length, 1)
    assert.match(unpinned.warnings[0]!, /^image busybox:latest has no registry digest/)
  })

  it('stack rm removes services, secrets, configs and networks of the stack only', async () => {
    const swarm = swarmWithShared()
    const {plan, contents} = await setup()
    await deployStack(swarm.api(), plan, contents, options())
    swarm.calls = []
    const lines: string[] = []
    const result = await removeStack(swarm.api(), 'st', {report: (l) => lines.push(l), warn: () => {}})
    assert.deepEqual(result, {found: true, failures: []})
    assert.deepEqual(lines, ['Removing service st_web', 'Removing service st_worker', 'Removing secret st_pw', 'Removing config st_conf', 'Removing network st_default', 'Removing network st_front'])
    assert.deepEqual([...swarm.networks.values()].map((n) => n.Name), ['shared'])
    assert.deepEqual(await removeStack(swarm.api(), 'st', {report: () => assert.fail(), warn: () => {}}), {found: false, failures: []})
  })

  it('reads secrets from files and variables before any engine call; a missing one is one line naming it', async () => {
    await assert.rejects(readFileObjects('secret', [{key: 'pw', name: 'st_pw', labels: {}, source: {file: join(dir, 'nope.txt')}}], {}, dir), /^UserInputError: secret pw: cannot read \.\/nope\.txt: no such file$/)
    await assert.rejects(readFileObjects('config', [{key: 'c', name: 'st_c', labels: {}, source: {environment: 'UNSET_VAR'}}], {}, dir), /config c: environment variable UNSET_VAR is not set/)
    const read = await readFileObjects('secret', [{key: 't', name: 'st_t', labels: {}, source: {environment: 'TOKEN'}}, {key: 'i', name: 'st_i', labels: {}, source: {content: 'inline'}}], {TOKEN: 'abc'}, dir)
    assert.deepEqual(Object.fromEntries(read), {st_t: Buffer.from('abc').toString('base64'), st_i: Buffer.from('inline').toString('base64')})
  })
})
