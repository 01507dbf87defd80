/** stack ls / services / ps output, as the docker CLI prints it (cases taken from docker stack runs). */
import assert from 'node:assert/strict'
import {parseFilters, parseFormat, renderTemplate} from '../../../../src/plugins/swarm/format.js'
import {formatPorts, formatServices, formatStacks, formatTasks, serviceRows, stackRows, taskRows} from '../../../../src/plugins/swarm/list.js'
import type {Service, Task} from '../../../../src/plugins/swarm/types.js'

function service(name: string, spec: Partial<Service['Spec']> = {}, extra: Partial<Service> = {}): Service {
  return {
    ID: `${name.replace(/\W/g, '')}0123456789abcdef`,
    Version: {Index: 1},
    Spec: {Name: name, Labels: {'com.docker.stack.namespace': name.split('_')[0]!}, TaskTemplate: {ContainerSpec: {Image: 'busybox:latest@sha256:abc'}}, Mode: {Replicated: {Replicas: 1}}, ...spec},
    ...extra,
  }
}

describe('swarm: stack listings', () => {
  it('stack ls: stacks by name with their service count', () => {
    const rows = stackRows([service('web_a'), service('api_x'), service('web_b')])
    assert.equal(formatStacks(rows, 'table'), 'NAME      SERVICES\napi       1\nweb       2')
    assert.equal(formatStacks(rows, 'json'), '{"Name":"api","Services":"1"}\n{"Name":"web","Services":"2"}')
  })

  it('folds consecutive published ports into ranges, by protocol then target port', () => {
    const ports = [
      {Protocol: 'tcp', TargetPort: 90, PublishedPort: 30000, PublishMode: 'ingress' as const},
      {Protocol: 'udp', TargetPort: 70, PublishedPort: 7000, PublishMode: 'ingress' as const},
      {Protocol: 'tcp', TargetPort: 81, PublishedPort: 8001, PublishMode: 'ingress' as const},
      {Protocol: 'tcp', TargetPort: 80, PublishedPort: 8000, PublishMode: 'ingress' as const},
    ]
    assert.equal(formatPorts(ports), '*:8000-8001->80-81/tcp, *:30000->90/tcp, *:7000->70/udp')
    assert.equal(formatPorts([]), '')
  })

  it('stack services: mode, replicas (max per node, global, jobs), image without digest, ingress ports only', () => {
    const rows = serviceRows([
      service('sa_web', {TaskTemplate: {ContainerSpec: {Image: 'busybox:latest@sha256:abc'}, Placement: {MaxReplicas: 2}}, Mode: {Replicated: {Replicas: 2}}}, {
        ServiceStatus: {RunningTasks: 1, DesiredTasks: 2},
        Endpoint: {Ports: [{Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress'}, {Protocol: 'tcp', TargetPort: 81, PublishedPort: 8081, PublishMode: 'host'}]},
      }),
      service('sa_g', {Mode: {Global: {}}}, {ServiceStatus: {RunningTasks: 3, DesiredTasks: 3}}),
      service('sa_j', {Mode: {ReplicatedJob: {MaxConcurrent: 3, TotalCompletions: 3}}}, {ServiceStatus: {RunningTasks: 0, DesiredTasks: 0, CompletedTasks: 3}}),
    ])
    assert.equal(
      formatServices(rows, 'table'),
      [
        'ID             NAME      MODE             REPLICAS               IMAGE            PORTS',
        `${rows[0]!.ID}   sa_g      global           3/3                    busybox:latest   `,
        `${rows[1]!.ID}   sa_j      replicated job   0/3 (3/3 completed)    busybox:latest   `,
        `${rows[2]!.ID}   sa_web    replicated       1/2 (max 2 per node)   busybox:latest   *:8080->80/tcp`,
      ].join('\n'),
    )
    assert.equal(rows[0]!.ID.length, 12)
    assert.equal(formatServices(rows, 'table', true), rows.map((r) => r.ID).join('\n'))
    assert.deepEqual(JSON.parse(formatServices(rows, 'json').split('\n')[2]!), {ID: rows[2]!.ID, Image: 'busybox:latest', Mode: 'replicated', Name: 'sa_web', Ports: '*:8080->80/tcp', Replicas: '1/2 (max 2 per node)'})
  })

  it('stack ps: one group per task name, newest first, older ones indented; states with their age; errors quoted and cut at 30', () => {
    const services = [service('sd_a'), service('sd_g', {Mode: {Global: {}}})]
    const now = Date.parse('2026-01-01T00:01:00Z') / 1000
    const task = (id: string, svc: Service, slot: number | undefined, state: string, at: string, extra: Partial<Task['Status']> = {}): Task => ({
      ID: `${id}xxxxxxxxxxxxxxxxxxxx`,
      ServiceID: svc.ID,
      NodeID: 'node0id',
      Slot: slot,
      DesiredState: state === 'running' ? 'running' : 'shutdown',
      Spec: {ContainerSpec: {Image: 'busybox:latest@sha256:abc'}},
      Status: {Timestamp: at, State: state, ...extra},
    })
    const tasks = [
      task('old1', services[0]!, 1, 'complete', '2026-01-01T00:00:10Z'),
      task('new1', services[0]!, 1, 'running', '2026-01-01T00:00:57Z', {PortStatus: {Ports: [{Protocol: 'tcp', TargetPort: 81, PublishedPort: 8081, PublishMode: 'host'}, {Protocol: 'tcp', TargetPort: 81, PublishedPort: 8081, PublishMode: 'host'}]}}),
      task('glob', services[1]!, undefined, 'failed', '2025-12-31T23:59:30Z', {Err: 'starting container failed: path not found'}),
    ]
    const rows = taskRows(tasks, services, [{ID: 'node0id', Description: {Hostname: 'node1'}}], {now})
    assert.equal(
      formatTasks(rows, 'table'),
      [
        'ID             NAME           IMAGE            NODE      DESIRED STATE   CURRENT STATE               ERROR                              PORTS',
        'new1xxxxxxxx   sd_a.1         busybox:latest   node1     Running         Running 3 seconds ago                                          *:8081->81/tcp,*:8081->81/tcp',
        'old1xxxxxxxx    \\_ sd_a.1     busybox:latest   node1     Shutdown        Complete 50 seconds ago                                        ',
        'globxxxxxxxx   sd_g.node0id   busybox:latest   node1     Shutdown        Failed about a minute ago   "starting container failed: pa…"   ',
      ].join('\n'),
    )
    const full = taskRows(tasks, services, [], {now, noTrunc: true, noResolve: true})
    assert.equal(full[2]!.Error, '"starting container failed: path not found"')
    assert.equal(full[2]!.Image, 'busybox:latest@sha256:abc')
    assert.equal(full[0]!.Name, `${services[0]!.ID}.1`)
    assert.equal(full[0]!.Node, 'node0id')
    assert.equal(formatTasks(rows, 'table', true), 'new1xxxxxxxx\nold1xxxxxxxx\nglobxxxxxxxx')
  })

  it('--format: table, json, {{.Field}} templates; anything else is one clear error', () => {
    assert.deepEqual(parseFormat(undefined, ['Name']), {kind: 'table'})
    assert.deepEqual(parseFormat('json', ['Name']), {kind: 'json'})
    const t = parseFormat('{{.Name}}\\t{{ .Services }}', ['Name', 'Services'])
    assert.equal(t.kind === 'template' && renderTemplate(t.template, {Name: 'web', Services: '2'}), 'web\t2')
    assert.throws(() => parseFormat('{{.Nope}}', ['Name']), /no field "Nope"/)
    assert.throws(() => parseFormat('{{range .}}x{{end}}', ['Name']), /unsupported --format/)
  })

  it('--filter: key=value pairs for the engine; unknown keys refused', () => {
    assert.deepEqual(parseFilters(['name=web', 'label=a=b', 'name=api'], ['name', 'label']), {name: ['web', 'api'], label: ['a=b']})
    assert.throws(() => parseFilters(['foo=bar'], ['name']), /invalid filter 'foo'/)
    assert.throws(() => parseFilters(['name'], ['name']), /use key=value/)
  })
})
