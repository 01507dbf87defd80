import {strict as assert} from 'node:assert'
import type {ServiceConfig} from '../../../src/compose/types.js'
import {UnsupportedError} from '../../../src/errors.js'
import {containerSpec, type ContainerSpecInput} from '../../../src/runtime/container-spec.js'
import {LABEL} from '../../../src/runtime/labels.js'
import {project} from './fixtures.js'

function spec(service: Omit<ServiceConfig, 'name'>, more: Partial<ContainerSpecInput> = {}, extra: Parameters<typeof project>[2] = {}) {
  const p = project('demo', {web: {image: 'busybox', ...service}, db: {image: 'busybox'}}, extra)
  return containerSpec({project: p, service: p.services.web, number: 1, apiVersion: '1.41', image: 'busybox', configHash: 'h', configFields: 'f', ...more})
}

describe('runtime/container-spec', () => {
  it('names the container <project>-<service>-<n>, or container_name', () => {
    assert.equal(spec({}).name, 'demo-web-1')
    assert.equal(spec({}, {number: 3}).name, 'demo-web-3')
    assert.equal(spec({container_name: 'front'}).name, 'front')
  })

  it('labels the container as docker compose does', () => {
    const labels = spec({labels: {team: 'a'}, depends_on: {db: {condition: 'service_healthy', required: true, restart: true}}}, {imageId: 'sha256:abc'}).body.Labels
    assert.equal(labels.team, 'a')
    assert.equal(labels[LABEL.project], 'demo')
    assert.equal(labels[LABEL.service], 'web')
    assert.equal(labels[LABEL.containerNumber], '1')
    assert.equal(labels[LABEL.oneoff], 'False')
    assert.equal(labels[LABEL.configHash], 'h')
    assert.equal(labels[LABEL.workingDir], '/srv/app')
    assert.equal(labels[LABEL.configFiles], '/srv/app/compose.yaml')
    assert.equal(labels[LABEL.dependsOn], 'db:service_healthy:true')
    assert.equal(labels[LABEL.image], 'sha256:abc')
  })

  it('maps the process: command, entrypoint, environment, working_dir, user, hostname, tty, stdin_open', () => {
    const b = spec({command: ['httpd', '-f'], entrypoint: ['/bin/sh', '-c'], environment: {A: '1', B: '', C: null}, working_dir: '/w', user: '1000:1000', hostname: 'h', domainname: 'example.org', tty: true, stdin_open: true}).body
    assert.deepEqual(b.Cmd, ['httpd', '-f'])
    assert.deepEqual(b.Entrypoint, ['/bin/sh', '-c'])
    assert.deepEqual(b.Env, ['A=1', 'B='])
    assert.equal(b.WorkingDir, '/w')
    assert.equal(b.User, '1000:1000')
    assert.equal(b.Hostname, 'h')
    assert.equal(b.Domainname, 'example.org')
    assert.equal(b.Tty, true)
    assert.equal(b.OpenStdin, true)
  })

  it('leaves command and entrypoint to the image when absent', () => {
    const b = spec({}).body
    assert.equal(b.Cmd, undefined)
    assert.equal(b.Entrypoint, undefined)
  })

  it('maps ports with host_ip, ranges and udp to ExposedPorts and PortBindings', () => {
    const b = spec({
      ports: [
        {mode: 'ingress', target: 80, published: '8080', protocol: 'tcp'},
        {mode: 'ingress', target: 53, published: '5353', protocol: 'udp', host_ip: '127.0.0.1'},
        {mode: 'ingress', target: 9000, published: '9000-9005', protocol: 'tcp'},
        {mode: 'ingress', target: 7000, protocol: 'tcp'},
      ],
      expose: ['3000', '4000-4001/udp'],
    }).body
    assert.deepEqual(Object.keys(b.ExposedPorts!).sort(), ['3000/tcp', '4000/udp', '4001/udp', '53/udp', '7000/tcp', '80/tcp', '9000/tcp'])
    assert.deepEqual(b.HostConfig.PortBindings, {
      '80/tcp': [{HostPort: '8080'}],
      '53/udp': [{HostIp: '127.0.0.1', HostPort: '5353'}],
      '9000/tcp': [{HostPort: '9000-9005'}],
      '7000/tcp': [{HostPort: ''}],
    })
  })

  it('maps bind, named, anonymous and tmpfs volumes', () => {
    const b = spec(
      {
        volumes: [
          {type: 'bind', source: '/srv/app/html', target: '/www', read_only: true},
          {type: 'bind', source: '/srv/app/x', target: '/x', bind: {create_host_path: false, propagation: 'rslave'}},
          {type: 'volume', source: 'data', target: '/data', volume: {nocopy: true}},
          {type: 'volume', target: '/cache'},
          {type: 'tmpfs', target: '/tmp', tmpfs: {size: '64m', mode: 0o1777}},
        ],
      },
      {anonymousVolumes: {'/cache': 'f'.repeat(64)}},
      {volumes: {data: {name: 'demo_data'}}},
    ).body
    assert.deepEqual(b.HostConfig.Binds, ['/srv/app/html:/www:ro'])
    assert.deepEqual(b.HostConfig.Mounts, [
      {Target: '/x', Type: 'bind', Source: '/srv/app/x', BindOptions: {Propagation: 'rslave'}},
      {Target: '/data', Type: 'volume', Source: 'demo_data', VolumeOptions: {NoCopy: true}},
      {Target: '/cache', Type: 'volume', Source: 'f'.repeat(64)},
      {Target: '/tmp', Type: 'tmpfs', TmpfsOptions: {SizeBytes: 64 * 1024 * 1024, Mode: 0o1777}},
    ])
  })

  it('refuses volume subpath on API 1.41, naming service and field', () => {
    assert.throws(() => spec({volumes: [{type: 'volume', source: 'data', target: '/d', volume: {subpath: 'x'}}]}, {}, {volumes: {data: {name: 'demo_data'}}}), (e: unknown) => {
      assert.ok(e instanceof UnsupportedError)
      assert.match((e as Error).message, /service "web": volumes\[0\]\.volume\.subpath .*needs Engine API 1\.45/)
      return true
    })
    const ok = spec({volumes: [{type: 'volume', source: 'data', target: '/d', volume: {subpath: 'x'}}]}, {apiVersion: '1.45'}, {volumes: {data: {name: 'demo_data'}}})
    assert.deepEqual((ok.body.HostConfig.Mounts as Array<{VolumeOptions: unknown}>)[0].VolumeOptions, {Subpath: 'x'})
  })

  it('maps service tmpfs strings', () => {
    assert.deepEqual(spec({tmpfs: ['/run:size=1m', '/var/cache']}).body.HostConfig.Tmpfs, {'/run': 'size=1m', '/var/cache': ''})
  })

  it('joins the default network with the service name and container name as aliases', () => {
    const s = spec({})
    assert.equal(s.body.HostConfig.NetworkMode, 'demo_default')
    assert.deepEqual(s.body.NetworkingConfig, {EndpointsConfig: {demo_default: {Aliases: ['web', 'demo-web-1']}}})
    assert.deepEqual(s.extraNetworks, [])
  })

  it('takes the first network (by priority) at create and connects the others later', () => {
    const s = spec(
      {networks: {front: {aliases: ['www'], ipv4_address: '10.1.0.5'}, back: {priority: 10}}},
      {},
      {networks: {front: {name: 'demo_front'}, back: {name: 'shared', external: true}}},
    )
    assert.equal(s.body.HostConfig.NetworkMode, 'shared')
    assert.deepEqual(Object.keys(s.body.NetworkingConfig!.EndpointsConfig), ['shared'])
    assert.deepEqual(s.extraNetworks, [{network: 'demo_front', endpoint: {Aliases: ['web', 'demo-web-1', 'www'], IPAMConfig: {IPv4Address: '10.1.0.5'}}}])
  })

  it('maps network_mode host/none/container and service:x to container:<id>', () => {
    assert.equal(spec({network_mode: 'host'}).body.HostConfig.NetworkMode, 'host')
    assert.equal(spec({network_mode: 'none'}).body.NetworkingConfig, undefined)
    assert.equal(spec({network_mode: 'container:abc'}).body.HostConfig.NetworkMode, 'container:abc')
    assert.equal(spec({network_mode: 'service:db'}, {containerOf: (s) => (s === 'db' ? 'id-of-db' : undefined)}).body.HostConfig.NetworkMode, 'container:id-of-db')
    assert.throws(() => spec({network_mode: 'service:db'}), /network_mode "service:db": service "db" has no container yet/)
  })

  it('maps pid and ipc, including service:x', () => {
    const h = spec({pid: 'host', ipc: 'service:db'}, {containerOf: () => 'dbid'}).body.HostConfig
    assert.equal(h.PidMode, 'host')
    assert.equal(h.IpcMode, 'container:dbid')
  })

  it('maps volumes_from and links', () => {
    const h = spec({volumes_from: ['db:ro', 'container:other'], links: ['db:database']}, {containerOf: () => 'dbid'}).body
    assert.deepEqual(h.HostConfig.VolumesFrom, ['dbid:ro', 'other'])
    assert.deepEqual(h.NetworkingConfig!.EndpointsConfig.demo_default.Links, ['demo-db-1:database'])
    const ext = spec({external_links: ['legacy-db:db', 'cache']}).body
    assert.deepEqual(ext.NetworkingConfig!.EndpointsConfig.demo_default.Links, ['legacy-db:db', 'cache:cache'])
  })

  it('maps extra_hosts (list and map) and dns fields', () => {
    const h = spec({extra_hosts: ['a=1.2.3.4', 'b:5.6.7.8'], dns: ['8.8.8.8'], dns_search: ['x.org'], dns_opt: ['ndots:2']}).body.HostConfig
    assert.deepEqual(h.ExtraHosts, ['a:1.2.3.4', 'b:5.6.7.8'])
    assert.deepEqual(h.Dns, ['8.8.8.8'])
    assert.deepEqual(h.DnsSearch, ['x.org'])
    assert.deepEqual(h.DnsOptions, ['ndots:2'])
    assert.deepEqual(spec({extra_hosts: {c: ['1.1.1.1', '::1']}}).body.HostConfig.ExtraHosts, ['c:1.1.1.1', 'c:::1'])
  })

  it('maps restart and deploy.restart_policy', () => {
    assert.deepEqual(spec({restart: 'on-failure:3'}).body.HostConfig.RestartPolicy, {Name: 'on-failure', MaximumRetryCount: 3})
    assert.deepEqual(spec({restart: 'unless-stopped'}).body.HostConfig.RestartPolicy, {Name: 'unless-stopped'})
    assert.deepEqual(spec({deploy: {restart_policy: {condition: 'any'}}}).body.HostConfig.RestartPolicy, {Name: 'always'})
    assert.throws(() => spec({restart: 'sometimes'}), /restart: unknown policy "sometimes"/)
  })

  it('maps healthcheck durations to nanoseconds, and disable to NONE', () => {
    assert.deepEqual(spec({healthcheck: {test: ['CMD-SHELL', 'true'], interval: '1m30s', timeout: '500ms', start_period: '2s', retries: 3}}).body.Healthcheck, {
      Test: ['CMD-SHELL', 'true'],
      Interval: 90e9,
      Timeout: 500e6,
      StartPeriod: 2e9,
      Retries: 3,
    })
    assert.deepEqual(spec({healthcheck: {disable: true}}).body.Healthcheck, {Test: ['NONE']})
    assert.throws(() => spec({healthcheck: {test: ['CMD', 'true'], start_interval: '1s'}}), /healthcheck\.start_interval needs Engine API 1\.44/)
  })

  it('maps stop_signal and stop_grace_period', () => {
    const b = spec({stop_signal: 'SIGINT', stop_grace_period: '1m30s'}).body
    assert.equal(b.StopSignal, 'SIGINT')
    assert.equal(b.StopTimeout, 90)
  })

  it('maps security and process flags', () => {
    const h = spec({init: true, privileged: true, read_only: true, cap_add: ['NET_ADMIN'], cap_drop: ['ALL'], security_opt: ['no-new-privileges'], group_add: ['audio']}).body.HostConfig
    assert.equal(h.Init, true)
    assert.equal(h.Privileged, true)
    assert.equal(h.ReadonlyRootfs, true)
    assert.deepEqual(h.CapAdd, ['NET_ADMIN'])
    assert.deepEqual(h.CapDrop, ['ALL'])
    assert.deepEqual(h.SecurityOpt, ['no-new-privileges'])
    assert.deepEqual(h.GroupAdd, ['audio'])
  })

  it('maps devices, ulimits, sysctls and shm_size', () => {
    const h = spec({devices: [{source: '/dev/null', target: '/dev/x'}], ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: {single: 64}}, sysctls: {'net.core.somaxconn': '1024'}, shm_size: '64m'}).body.HostConfig
    assert.deepEqual(h.Devices, [{PathOnHost: '/dev/null', PathInContainer: '/dev/x', CgroupPermissions: 'rwm'}])
    assert.deepEqual(h.Ulimits, [{Name: 'nofile', Soft: 1024, Hard: 2048}, {Name: 'nproc', Soft: 64, Hard: 64}])
    assert.deepEqual(h.Sysctls, {'net.core.somaxconn': '1024'})
    assert.equal(h.ShmSize, 64 * 1024 * 1024)
  })

  it('maps resources: mem_limit, memswap_limit, mem_reservation, cpus, cpu_shares, cpuset, pids_limit', () => {
    const h = spec({mem_limit: '512m', memswap_limit: '1g', mem_reservation: 1024, cpus: 1.5, cpu_shares: 512, cpuset: '0-1', pids_limit: 100}).body.HostConfig
    assert.equal(h.Memory, 512 * 1024 * 1024)
    assert.equal(h.MemorySwap, 1024 ** 3)
    assert.equal(h.MemoryReservation, 1024)
    assert.equal(h.NanoCpus, 1.5e9)
    assert.equal(h.CpuShares, 512)
    assert.equal(h.CpusetCpus, '0-1')
    assert.equal(h.PidsLimit, 100)
  })

  it('maps deploy.resources limits and reservations, warning about a CPU reservation', () => {
    const s = spec({deploy: {resources: {limits: {cpus: '0.5', memory: '256m', pids: 50}, reservations: {memory: '64m', cpus: '0.25'}}}})
    assert.equal(s.body.HostConfig.NanoCpus, 0.5e9)
    assert.equal(s.body.HostConfig.Memory, 256 * 1024 * 1024)
    assert.equal(s.body.HostConfig.PidsLimit, 50)
    assert.equal(s.body.HostConfig.MemoryReservation, 64 * 1024 * 1024)
    assert.deepEqual(s.warnings, ['service "web": deploy.resources.reservations.cpus: the Docker Engine has no CPU reservation for containers; ignored'])
  })

  it('maps logging', () => {
    assert.deepEqual(spec({logging: {driver: 'json-file', options: {'max-size': '1m'}}}).body.HostConfig.LogConfig, {Type: 'json-file', Config: {'max-size': '1m'}})
  })

  it('bind-mounts secrets read-only under /run/secrets and configs at their target', () => {
    const s = spec(
      {secrets: [{source: 'token'}, {source: 'cert', target: 'tls.pem'}], configs: [{source: 'conf', target: '/etc/app.conf'}, {source: 'other'}]},
      {fileOf: (kind, name) => `/host/${kind}/${name}`},
      {secrets: {token: {name: 'demo_token', environment: 'TOKEN'}, cert: {name: 'demo_cert', file: './cert.pem'}}, configs: {conf: {name: 'demo_conf', file: './app.conf'}, other: {name: 'demo_other', content: 'x'}}},
    )
    assert.deepEqual(s.body.HostConfig.Binds, [
      '/host/secrets/token:/run/secrets/token:ro',
      '/host/secrets/cert:/run/secrets/tls.pem:ro',
      '/host/configs/conf:/etc/app.conf:ro',
      '/host/configs/other:/other:ro',
    ])
  })

  it('refuses external secrets (they need swarm)', () => {
    assert.throws(() => spec({secrets: [{source: 's'}]}, {fileOf: () => '/x'}, {secrets: {s: {name: 's', external: true}}}), /secrets "s" is external/)
  })

  it('warns about a field it does not map instead of dropping it silently', () => {
    const s = spec({some_future_field: 1} as Omit<ServiceConfig, 'name'>)
    assert.deepEqual(s.warnings, ['service "web": some_future_field: not supported by Berth yet; ignored'])
  })

  it('refuses annotations on API 1.41 and passes them on 1.43', () => {
    assert.throws(() => spec({annotations: {a: 'b'}}), /annotations needs Engine API 1\.43/)
    assert.deepEqual(spec({annotations: {a: 'b'}}, {apiVersion: '1.43'}).body.HostConfig.Annotations, {a: 'b'})
  })

  it('puts a network mac_address in Config.MacAddress on API 1.41', () => {
    assert.equal(spec({networks: {default: {mac_address: '02:42:ac:11:00:02'}}}).body.MacAddress, '02:42:ac:11:00:02')
  })
})
