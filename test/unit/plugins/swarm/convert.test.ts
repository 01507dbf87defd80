/** Project -> ServiceSpec details the fixtures do not show, and what is refused before any engine call. */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadProject} from '../../../../src/compose/index.js'
import {capabilities} from '../../../../src/plugins/swarm/convert/service.js'
import {checkStackName, convertStack, type StackPlan} from '../../../../src/plugins/swarm/convert/stack.js'
import {fitToApi} from '../../../../src/plugins/swarm/deploy.js'
import {UserInputError} from '../../../../src/errors.js'

describe('swarm: converting a project', function () {
  this.timeout(20_000)
  let dir: string
  before(() => (dir = mkdtempSync(join(tmpdir(), 'berth-swarm-convert-'))))
  after(() => rmSync(dir, {recursive: true, force: true}))

  async function plan(yaml: string, stack = 'st'): Promise<StackPlan> {
    writeFileSync(join(dir, 'compose.yaml'), yaml)
    const {project} = await loadProject({files: [join(dir, 'compose.yaml')], projectName: stack, cwd: dir, env: {}})
    return convertStack(project!, stack)
  }
  const spec = (p: StackPlan, service: string) => p.services.find((s) => s.service === service)!.spec

  async function refused(yaml: string, message: RegExp): Promise<void> {
    await assert.rejects(plan(yaml), (error: unknown) => {
      assert.ok(error instanceof UserInputError, String(error))
      assert.match(error.message, message)
      assert.ok(!error.message.includes('\n'), 'one line')
      return true
    })
  }

  it('mounts service-level tmpfs entries, with size and mode', async () => {
    const p = await plan('services:\n  a:\n    image: busybox\n    tmpfs: ["/run", "/tmp:size=64m,mode=1777"]\n')
    assert.deepEqual(spec(p, 'a').TaskTemplate.ContainerSpec.Mounts, [
      {Type: 'tmpfs', Target: '/run'},
      {Type: 'tmpfs', Target: '/tmp', TmpfsOptions: {SizeBytes: 64 * 1024 * 1024, Mode: 0o1777}},
    ])
  })

  it('sends the default secret target as the source name, other targets as written, sorted by secret name', async () => {
    writeFileSync(join(dir, 's.txt'), 'x')
    const p = await plan('services:\n  a:\n    image: busybox\n    secrets:\n      - zz\n      - {source: aa, target: rel}\n      - {source: zz, target: /etc/abs, mode: 0400, uid: "7"}\nsecrets:\n  zz: {file: ./s.txt}\n  aa: {file: ./s.txt, name: custom}\n')
    assert.deepEqual(spec(p, 'a').TaskTemplate.ContainerSpec.Secrets, [
      {File: {Name: 'rel', UID: '0', GID: '0', Mode: 0o444}, SecretID: '', SecretName: 'custom'},
      {File: {Name: 'zz', UID: '0', GID: '0', Mode: 0o444}, SecretID: '', SecretName: 'st_zz'},
      {File: {Name: '/etc/abs', UID: '7', GID: '0', Mode: 0o400}, SecretID: '', SecretName: 'st_zz'},
    ])
    assert.deepEqual(p.secrets.map((s) => [s.name, s.source]), [['custom', {file: join(dir, 's.txt')}], ['st_zz', {file: join(dir, 's.txt')}]])
  })

  it('writes extra_hosts as /etc/hosts lines, IPv6 without brackets', async () => {
    const p = await plan('services:\n  a:\n    image: busybox\n    extra_hosts:\n      one: 10.0.0.1\n      six: "[::1]"\n')
    assert.deepEqual(spec(p, 'a').TaskTemplate.ContainerSpec.Hosts, ['10.0.0.1 one', '::1 six'])
  })

  it('names capabilities as the engine does: CAP_ prefix, upper case, sorted, once', () => {
    assert.deepEqual(capabilities(['net_admin', 'CAP_CHOWN', 'NET_ADMIN']), ['CAP_CHOWN', 'CAP_NET_ADMIN'])
    assert.deepEqual(capabilities(['all']), ['ALL'])
    assert.equal(capabilities([]), undefined)
  })

  it('maps restart: when deploy.restart_policy is absent, and prefers deploy.restart_policy', async () => {
    const p = await plan('services:\n  a: {image: busybox, restart: unless-stopped}\n  b: {image: busybox, restart: "on-failure:2"}\n  c: {image: busybox, restart: "no"}\n  d: {image: busybox, restart: always, deploy: {restart_policy: {condition: none}}}\n')
    assert.deepEqual(spec(p, 'a').TaskTemplate.RestartPolicy, {Condition: 'any'})
    assert.deepEqual(spec(p, 'b').TaskTemplate.RestartPolicy, {Condition: 'on-failure', MaxAttempts: 2})
    assert.equal(spec(p, 'c').TaskTemplate.RestartPolicy, undefined)
    assert.deepEqual(spec(p, 'd').TaskTemplate.RestartPolicy, {Condition: 'none'})
    assert.deepEqual(p.warnings, [], 'restart is honoured, so not called unsupported')
  })

  it('takes scale as replicas when deploy.replicas is unset, and group_add and dns_opt', async () => {
    const p = await plan('services:\n  a:\n    image: busybox\n    scale: 3\n    group_add: [wheel]\n    dns_opt: [ndots:2]\n')
    assert.deepEqual(spec(p, 'a').Mode, {Replicated: {Replicas: 3}})
    assert.deepEqual(spec(p, 'a').TaskTemplate.ContainerSpec.Groups, ['wheel'])
    assert.deepEqual(spec(p, 'a').TaskTemplate.ContainerSpec.DNSConfig, {Options: ['ndots:2']})
  })

  it('creates only the networks services use; external ones are listed to be checked', async () => {
    const p = await plan('services:\n  a:\n    image: busybox\n    networks: [ext, mine]\nnetworks:\n  mine: {attachable: true}\n  idle: {}\n  ext: {external: true, name: shared}\n')
    assert.deepEqual(p.networks, [{Name: 'st_mine', Driver: 'overlay', Labels: {'com.docker.stack.namespace': 'st'}, Attachable: true}])
    assert.deepEqual(p.externalNetworks, ['shared'])
    assert.deepEqual(spec(p, 'a').TaskTemplate.Networks, [{Target: 'shared', Aliases: ['a']}, {Target: 'st_mine', Aliases: ['a']}])
  })

  it('ignores network_mode with the warning and joins the default network, as the CLI does', async () => {
    const p = await plan('services:\n  a:\n    image: busybox\n    network_mode: host\n')
    assert.deepEqual(spec(p, 'a').TaskTemplate.Networks, [{Target: 'st_default', Aliases: ['a']}])
    assert.deepEqual(p.networks.map((n) => n.Name), ['st_default'])
    assert.deepEqual(p.warnings, ['Ignoring unsupported options: network_mode'])
  })

  it('warns about a host_ip, which swarm cannot bind', async () => {
    const p = await plan('services:\n  a:\n    image: busybox\n    ports: ["127.0.0.1:8080:80"]\n')
    assert.deepEqual(p.warnings, ["service a: ignoring IP-address (127.0.0.1:8080:80/tcp) service will listen on '0.0.0.0'"])
  })

  it('refuses, in one line before any engine call, what a stack cannot deploy', async () => {
    await refused('services:\n  a:\n    build: .\n', /^service a: no image/)
    await refused('services:\n  a:\n    image: busybox\n    cpus: 1.5\n', /^service a: cpus is not supported in a stack: Set resource limits using deploy.resources$/)
    await refused('services:\n  a:\n    image: busybox\n    volumes_from: [b]\n  b:\n    image: busybox\n', /volumes_from is not supported/)
    await refused('services:\n  a:\n    image: busybox\n    ports: ["8080:80"]\n    deploy: {endpoint_mode: dnsrr}\n', /ingress mode cannot be used with endpoint_mode: dnsrr/)
    await refused('services:\n  a:\n    image: busybox\n    deploy: {mode: global, replicas: 2}\n', /replicas cannot be used with deploy.mode: global/)
  })

  it('accepts stack names as Compose project names that swarm also takes', () => {
    for (const ok of ['web', 'web-1', 'a_b', 'x1']) checkStackName(ok)
    for (const bad of ['', 'Web', 'a.b', '-a', 'a-', 'a b', 'x'.repeat(64)]) assert.throws(() => checkStackName(bad), /invalid stack name/, bad)
  })

  it('leaves out healthcheck.start_interval for engines before API 1.44, saying so once', async () => {
    const p = await plan('services:\n  a:\n    image: busybox\n    healthcheck: {test: ["CMD", "true"], start_interval: 2s}\n')
    const warnings: string[] = []
    const old = fitToApi(p, '1.41', (m) => warnings.push(m))
    assert.equal(spec(old, 'a').TaskTemplate.ContainerSpec.Healthcheck!.StartInterval, undefined)
    assert.equal(spec(p, 'a').TaskTemplate.ContainerSpec.Healthcheck!.StartInterval, 2e9, 'the plan itself is not changed')
    assert.deepEqual(warnings, ['healthcheck.start_interval needs Docker Engine API 1.44, this engine speaks 1.41: left out for a'])
    assert.equal(fitToApi(p, '1.44', () => assert.fail('no warning')), p)
  })
})
