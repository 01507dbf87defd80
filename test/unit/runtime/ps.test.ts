import {strict as assert} from 'node:assert'
import type {ContainerSummary} from '../../../src/engine/types.js'
import type {EngineClient} from '../../../src/engine/client.js'
import type {Project} from '../../../src/compose/types.js'
import {displayPorts, formatPsJson, formatPsTable, humanDuration, orphansFlag, projectPs, serviceNames, tabulate, toPsRow} from '../../../src/runtime/ps.js'

const NOW = 1_800_000_000

function container(over: Partial<ContainerSummary> & {service: string; name: string}): ContainerSummary {
  const {service, name, ...rest} = over
  return {
    Id: `${name.replace(/[^a-z0-9]/g, '')}0123456789abcdef0123456789abcdef`,
    Names: [`/${name}`],
    Image: 'busybox',
    ImageID: 'sha256:abc',
    Command: 'httpd -f -p 80',
    Created: NOW - 125,
    Ports: [],
    Labels: {'com.docker.compose.project': 'demo', 'com.docker.compose.service': service, 'com.docker.compose.oneoff': 'False'},
    State: 'running',
    Status: 'Up 2 minutes',
    HostConfig: {NetworkMode: 'demo_default'},
    NetworkSettings: {Networks: {demo_default: {}}},
    Mounts: [],
    ...rest,
  }
}

describe('runtime/ps: rows and formats', () => {
  it('prints the compose table: tabwriter columns, quoted truncated command, relative CREATED, ports', () => {
    const rows = [
      container({
        service: 'web',
        name: 'demo-web-1',
        Command: '/docker-entrypoint.sh nginx -g daemon off;',
        Ports: [
          {IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp'},
          {IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp'},
        ],
      }),
      container({service: 'db', name: 'demo-db-1', State: 'exited', Status: 'Exited (3) 5 seconds ago', Created: NOW - 7200}),
    ].map(toPsRow)
    assert.equal(
      formatPsTable(rows, {now: NOW}),
      [
        'NAME         IMAGE     COMMAND                  SERVICE   CREATED         STATUS                     PORTS',
        'demo-web-1   busybox   "/docker-entrypoint.…"   web       2 minutes ago   Up 2 minutes               0.0.0.0:8080->80/tcp, [::]:8080->80/tcp',
        'demo-db-1    busybox   "httpd -f -p 80"         db        2 hours ago     Exited (3) 5 seconds ago   ',
      ].join('\n'),
    )
  })

  it('prints one JSON object per line with compose field names, health and exit code from the status', () => {
    const rows = [
      container({service: 'api', name: 'demo-api-1', Status: 'Up 3 seconds (healthy)', Ports: [{IP: '127.0.0.1', PrivatePort: 80, PublicPort: 9000, Type: 'tcp'}]}),
      container({service: 'job', name: 'demo-job-1', State: 'exited', Status: 'Exited (137) 1 second ago'}),
    ].map(toPsRow)
    const lines = formatPsJson(rows, {now: NOW}).split('\n')
    assert.equal(lines.length, 2)
    const api = JSON.parse(lines[0]) as Record<string, unknown>
    assert.deepEqual(Object.keys(api), [
      'Command', 'CreatedAt', 'ExitCode', 'Health', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Name', 'Names',
      'Networks', 'Ports', 'Project', 'Publishers', 'RunningFor', 'Service', 'Size', 'State', 'Status',
    ])
    assert.equal(api.Name, 'demo-api-1')
    assert.equal(api.Service, 'api')
    assert.equal(api.Project, 'demo')
    assert.equal(api.Health, 'healthy')
    assert.equal(api.Command, '"httpd -f -p 80"')
    assert.equal((api.ID as string).length, 12)
    assert.equal(api.Ports, '127.0.0.1:9000->80/tcp')
    assert.deepEqual(api.Publishers, [{URL: '127.0.0.1', TargetPort: 80, PublishedPort: 9000, Protocol: 'tcp'}])
    assert.equal(api.RunningFor, '2 minutes ago')
    assert.equal(api.CreatedAt, '2027-01-15 07:57:55 +0000 UTC')
    const job = JSON.parse(lines[1]) as Record<string, unknown>
    assert.equal(job.ExitCode, 137)
    assert.equal(job.Health, '')
    assert.equal(job.State, 'exited')
  })

  it('renders ports like the docker CLI: ranges collapse, unpublished ports show bare', () => {
    assert.equal(
      displayPorts([
        {IP: '0.0.0.0', PrivatePort: 8001, PublicPort: 8001, Type: 'tcp'},
        {IP: '0.0.0.0', PrivatePort: 8000, PublicPort: 8000, Type: 'tcp'},
        {PrivatePort: 53, Type: 'udp'},
        {PrivatePort: 9000, Type: 'tcp'},
      ]),
      '53/udp, 0.0.0.0:8000-8001->8000-8001/tcp, 9000/tcp',
    )
    assert.equal(displayPorts([]), '')
  })

  it('says durations the way go-units does', () => {
    assert.equal(humanDuration(0.5), 'Less than a second')
    assert.equal(humanDuration(1), '1 second')
    assert.equal(humanDuration(59), '59 seconds')
    assert.equal(humanDuration(61), 'About a minute')
    assert.equal(humanDuration(3599), '59 minutes')
    assert.equal(humanDuration(3600), 'About an hour')
    assert.equal(humanDuration(5 * 3600), '5 hours')
    assert.equal(humanDuration(3 * 86400), '3 days')
    assert.equal(humanDuration(20 * 86400), '2 weeks')
    assert.equal(humanDuration(90 * 86400), '3 months')
    assert.equal(humanDuration(800 * 86400), '2 years')
  })

  it('pads columns to at least 10 and never pads the last one', () => {
    assert.equal(tabulate([['A', 'B'], ['long-value-here', 'x']]), 'A                 B\nlong-value-here   x')
    assert.equal(tabulate([['A', 'B', 'C']]), 'A         B         C')
  })

  it('--services lists each service once in row order', () => {
    const rows = [container({service: 'web', name: 'a-web-1'}), container({service: 'web', name: 'a-web-2'}), container({service: 'db', name: 'a-db-1'})].map(toPsRow)
    assert.deepEqual(serviceNames(rows), ['web', 'db'])
  })
})

describe('runtime/ps: --orphans', () => {
  const listed = [
    container({service: 'web', name: 'demo-web-1'}),
    container({service: 'gone', name: 'demo-gone-1'}),
    container({service: 'later', name: 'demo-later-1'}),
  ]
  const engine = {containers: {list: async () => listed}} as unknown as EngineClient
  const project = {
    name: 'demo', workingDir: '/srv', configFiles: [], services: {web: {name: 'web', image: 'busybox'}},
    disabledServices: {later: {name: 'later', image: 'busybox', profiles: ['p']}},
    networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {}, environment: {}, profiles: [],
  } as Project

  it('lists the containers of every service by default, orphans included', async () => {
    assert.deepEqual((await projectPs(engine, {name: 'demo', project})).map((r) => r.Name), ['demo-gone-1', 'demo-later-1', 'demo-web-1'])
  })

  it('--orphans=false leaves out services the project does not declare or has switched off by a profile', async () => {
    assert.deepEqual((await projectPs(engine, {name: 'demo', project}, {orphans: false})).map((r) => r.Name), ['demo-web-1'])
  })

  it('without a Compose file nothing is known to be an orphan', async () => {
    assert.equal((await projectPs(engine, {name: 'demo'}, {orphans: false})).length, 3)
  })

  it('reads compose\'s --orphans=false / --orphans=true; anything else is one clear line', () => {
    assert.deepEqual(orphansFlag(['-a', '--orphans=false', 'web']), ['-a', '--no-orphans', 'web'])
    assert.deepEqual(orphansFlag(['--orphans=TRUE', '--orphans', '--no-orphans']), ['--orphans', '--orphans', '--no-orphans'])
    assert.deepEqual(orphansFlag(['--', '--orphans=false']), ['--', '--orphans=false'])
    assert.throws(() => orphansFlag(['--orphans=maybe']), /invalid value "maybe" for --orphans: use true or false/)
  })
})
