import {strict as assert} from 'node:assert'
import type {ContainerSummary} from '../../../src/engine/types.js'
import {assertsDirectory, entryParts, namesContents, parseCopyArg, parseCopyArgs, trimContainerPath} from '../../../src/runtime/copy.js'
import {formatEventJson, formatEventText, toProjectEvent} from '../../../src/runtime/events.js'
import {formatImagesTable, humanSize} from '../../../src/runtime/images.js'
import {engineTimestamp, logName, unixNanos} from '../../../src/runtime/project-logs.js'
import {formatTop} from '../../../src/runtime/top.js'

describe('runtime: small formats of top, images, events, cp and logs', () => {
  it('events: compose labels are dropped; text and JSON lines like docker compose', () => {
    const event = toProjectEvent({
      Type: 'container',
      Action: 'start',
      Actor: {ID: 'abc123', Attributes: {'com.docker.compose.service': 'web', 'com.docker.compose.project': 'demo', name: 'demo-web-1', image: 'busybox'}},
      time: 1_800_000_000,
      timeNano: 1_800_000_000 * 1e9 + 123_456_789, // as JSON.parse reads it: nanoseconds beyond 2^53 are approximate
    })
    assert.deepEqual(event.attributes, {name: 'demo-web-1', image: 'busybox'})
    assert.equal(event.service, 'web')
    assert.match(formatEventText(event), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123456 container start abc123 \(image=busybox, name=demo-web-1\)$/)
    assert.deepEqual(JSON.parse(formatEventJson(event)), {
      time: '2027-01-15T08:00:00.123Z',
      type: 'container',
      service: 'web',
      id: 'abc123',
      action: 'start',
      attributes: {name: 'demo-web-1', image: 'busybox'},
    })
  })

  it('images: decimal sizes with three significant digits and a 12-digit ID', () => {
    assert.equal(humanSize(1_980_000), '1.98MB')
    assert.equal(humanSize(999), '999B')
    assert.equal(humanSize(123_456_789), '123MB')
    assert.equal(
      formatImagesTable([{ContainerName: 'demo-web-1', Repository: 'busybox', Tag: 'latest', Platform: 'linux/amd64', ID: 'sha256:916f749d225e750ad0a1', Size: 1_980_000, Created: 1000}], 1000 + 3 * 86400),
      'CONTAINER    REPOSITORY   TAG       PLATFORM      IMAGE ID       SIZE      CREATED\ndemo-web-1   busybox      latest    linux/amd64   916f749d225e   1.98MB    3 days ago',
    )
  })

  it('top: one table, SERVICE and # before the ps columns, as compose v2 prints it', () => {
    const ps = ['UID', 'PID', 'C', 'CMD']
    assert.equal(
      formatTop([
        {name: 'demo-db-1', service: 'db', number: 1, top: {Titles: ps, Processes: [['root', '4913', '0', 'postgres']]}},
        {name: 'demo-web-1', service: 'web', number: 1, top: {Titles: ps, Processes: [['root', '5014', '0', 'httpd -f'], ['root', '5687', '0', 'sleep 1']]}},
        {name: 'demo-web-2', service: 'web', number: 2, top: {Titles: ps, Processes: [['www', '14532', '0', 'httpd -f']]}},
      ]),
      [
        'SERVICE  #   UID   PID    C   CMD',
        'db       1   root  4913   0   postgres',
        'web      1   root  5014   0   httpd -f',
        'web      1   root  5687   0   sleep 1',
        'web      2   www   14532  0   httpd -f',
        '',
      ].join('\n'),
    )
    // A container with other ps columns: its cells are matched by title.
    assert.equal(
      formatTop([
        {name: 'a-1', service: 'a', number: 1, top: {Titles: ['PID', 'CMD'], Processes: [['1', 'init']]}},
        {name: 'b-1', service: 'b', number: 1, top: {Titles: ['CMD', 'USER', 'PID'], Processes: [['sh', 'root', '7']]}},
      ]),
      'SERVICE  #   PID  CMD\na        1   1    init\nb        1   7    sh\n',
    )
    assert.equal(formatTop([]), '')
  })

  it('cp: SERVICE:PATH versus host paths', () => {
    assert.deepEqual(parseCopyArg('web:/etc/hosts'), {service: 'web', path: '/etc/hosts'})
    assert.deepEqual(parseCopyArg('./a:b'), {path: './a:b'})
    assert.deepEqual(parseCopyArg('/tmp/x:y'), {path: '/tmp/x:y'})
    assert.deepEqual(parseCopyArg('-'), {path: '-'})
  })

  it('cp: DIR/. names the contents, a trailing slash asks for a directory, archive names map below the destination', () => {
    assert.deepEqual([namesContents('web/.'), namesContents('.'), namesContents('web/..'), namesContents('web/')], [true, true, false, false])
    assert.deepEqual([assertsDirectory('/tmp/x/'), assertsDirectory('/tmp/x/.'), assertsDirectory('/tmp/x')], [true, true, false])
    assert.deepEqual([trimContainerPath('/tmp/x/'), trimContainerPath('/tmp/x/.'), trimContainerPath('/tmp/x/./'), trimContainerPath('/'), trimContainerPath('/.')], ['/tmp/x', '/tmp/x', '/tmp/x', '/', '/'])
    // The engine names a `/etc/.` archive's entries ./, ./hosts, ./ssl/cert.pem.
    assert.deepEqual(entryParts('./', '.'), [])
    assert.deepEqual(entryParts('./ssl/cert.pem', '.'), ['ssl', 'cert.pem'])
    assert.deepEqual(entryParts('./ssl/cert.pem', 'out'), ['out', 'ssl', 'cert.pem'])
    assert.deepEqual(entryParts('etc/hosts', undefined), ['etc', 'hosts'])
    assert.deepEqual(entryParts('etc/hosts', 'copy'), ['copy', 'hosts'])
    assert.deepEqual(entryParts('etc/./hosts', '.'), ['hosts'])
    assert.throws(() => parseCopyArgs('web:/a', 'db:/b'), /copying between containers is not supported/)
    assert.throws(() => parseCopyArgs('./a', './b'), /one side must be SERVICE:PATH/)
    assert.throws(() => parseCopyArgs('web:', './b'), /empty path in "web:"/)
    assert.deepEqual(parseCopyArgs('./a/.', 'web:/srv/'), {from: {path: './a/.'}, to: {service: 'web', path: '/srv/'}, service: 'web'})
  })

  it('logs: since/until accept durations, dates and unix seconds; prefixes drop the project', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0)
    assert.equal(engineTimestamp('10m', now), String((now - 600_000) / 1000) + '.000')
    assert.equal(engineTimestamp('1700000000'), '1700000000')
    assert.equal(engineTimestamp('2026-01-01T00:00:00Z'), '1767225600.000')
    assert.throws(() => engineTimestamp('yesterday'), /is not a timestamp/)
    assert.equal(unixNanos('2026-01-01T00:00:01.123456789Z'), '1767225601.123456789')
    assert.equal(unixNanos('2026-01-01T00:00:01Z'), '1767225601.000000000')
    assert.equal(unixNanos('0001-01-01T00:00:00Z'), undefined)
    const c = (name: string) => ({Names: [`/${name}`], Labels: {'com.docker.compose.project': 'demo', 'com.docker.compose.service': 'web', 'com.docker.compose.container-number': '1'}}) as unknown as ContainerSummary
    assert.equal(logName(c('demo-web-1')), 'web-1')
    assert.equal(logName(c('my-custom-name')), 'my-custom-name')
    assert.equal(logName(c('f896c0e8c22e_demo-web-1')), 'web-1', 'a replacement before its rename')
    assert.equal(logName(c('f896c0e8c22e_other')), 'f896c0e8c22e_other')
  })
})
