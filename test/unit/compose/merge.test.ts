import {strict as assert} from 'node:assert'
import {enforceUnique, mergeModels, portKey, volumeTarget} from '../../../src/compose/merge.js'
import {parseComposeFile} from '../../../src/compose/parse.js'

/** Merge YAML texts like several -f files. */
function mergeTexts(...texts: string[]): Record<string, unknown> {
  let model: Record<string, unknown> = {}
  texts.forEach((text, i) => {
    for (const doc of parseComposeFile(text, `/p/${i}.yaml`)) model = mergeModels(model, doc.model, {directives: doc.directives})
  })
  return enforceUnique(model)
}

const service = (model: Record<string, unknown>, name = 'web') => (model.services as Record<string, Record<string, unknown>>)[name]

describe('compose/merge', () => {
  it('mappings merge by key, a later scalar wins, a later null keeps the earlier value', () => {
    const m = mergeTexts('services:\n  web: {image: a, restart: always, tty: true}\n', 'services:\n  web: {image: b, tty: null, init: true}\n  db: {image: pg}\n')
    assert.deepEqual(m.services, {web: {image: 'b', restart: 'always', tty: true, init: true}, db: {image: 'pg'}})
  })

  it('command, entrypoint and healthcheck.test are replaced', () => {
    const m = mergeTexts(
      'services:\n  web: {command: [a, b], entrypoint: sh, healthcheck: {test: [CMD, x], retries: 3}}\n',
      'services:\n  web: {command: [c], entrypoint: [bash], healthcheck: {test: [CMD, y]}}\n',
    )
    assert.deepEqual(service(m), {command: ['c'], entrypoint: ['bash'], healthcheck: {test: ['CMD', 'y'], retries: 3}})
  })

  it('environment, labels, sysctls, build.args merge by key in list or map form', () => {
    const m = mergeTexts(
      'services:\n  web:\n    environment: [A=1, B=2, C]\n    labels: {x: "1"}\n    sysctls: [net.a=1]\n    build: {context: ., args: [V=1]}\n',
      'services:\n  web:\n    environment: {B: "3", D: "4"}\n    labels: [y=2, x=0]\n    sysctls: {net.b: 2}\n    build: {args: {W: "2"}}\n',
    )
    assert.deepEqual(service(m), {
      environment: {A: '1', B: '3', C: null, D: '4'},
      labels: {x: '0', y: '2'},
      sysctls: {'net.a': '1', 'net.b': 2},
      build: {context: '.', args: {V: '1', W: '2'}},
    })
  })

  it('build as a string merges with a build mapping', () => {
    const m = mergeTexts('services:\n  web: {build: ./app}\n', 'services:\n  web: {build: {target: dev}}\n')
    assert.deepEqual(service(m).build, {context: './app', target: 'dev'})
  })

  it('ports, expose, dns, tmpfs, cap_add append without duplicates', () => {
    const m = mergeTexts(
      'services:\n  web:\n    ports: ["8080:80", "443"]\n    expose: [3000]\n    dns: 8.8.8.8\n    tmpfs: /run\n    cap_add: [NET_ADMIN]\n',
      'services:\n  web:\n    ports: ["8080:80", "9090:90/udp", {target: 443}]\n    expose: ["3000", 4000]\n    dns: [8.8.8.8, 1.1.1.1]\n    tmpfs: [/run, /tmp]\n    cap_add: [NET_ADMIN, SYS_TIME]\n',
    )
    assert.deepEqual(service(m), {
      ports: ['8080:80', {target: 443}, '9090:90/udp'],
      expose: ['3000', 4000],
      dns: ['8.8.8.8', '1.1.1.1'],
      tmpfs: ['/run', '/tmp'],
      cap_add: ['NET_ADMIN', 'SYS_TIME'],
    })
  })

  it('volumes merge by target, secrets and configs by target, devices by container path', () => {
    const m = mergeTexts(
      'services:\n  web:\n    volumes: [foo:/work, ./a:/a, /anon]\n    secrets: [s1, {source: s2, target: /run/secrets/x}]\n    configs: [c1]\n    devices: ["/dev/a:/dev/x"]\n',
      'services:\n  web:\n    volumes: [bar:/work, {type: bind, source: ./b, target: /b}]\n    secrets: [{source: s3, target: s1}, x]\n    configs: [{source: c2, target: /c1}]\n    devices: ["/dev/b:/dev/x:r"]\n',
    )
    assert.deepEqual(service(m), {
      volumes: ['bar:/work', './a:/a', '/anon', {type: 'bind', source: './b', target: '/b'}],
      // `x` is /run/secrets/x: it takes the place of s2's entry.
      secrets: ['s1', 'x', {source: 's3', target: 's1'}],
      configs: [{source: 'c2', target: '/c1'}],
      devices: ['/dev/b:/dev/x:r'],
    })
  })

  it('depends_on and networks merge by name, the list form becoming the mapping form', () => {
    const m = mergeTexts(
      'services:\n  web:\n    depends_on: [db]\n    networks: [front]\n',
      'services:\n  web:\n    depends_on: {db: {condition: service_healthy}, cache: {condition: service_started}}\n    networks: {back: {aliases: [w]}}\n',
    )
    assert.deepEqual(service(m), {
      depends_on: {db: {condition: 'service_healthy', required: true}, cache: {condition: 'service_started'}},
      networks: {front: null, back: {aliases: ['w']}},
    })
  })

  it('extra_hosts append without exact duplicates', () => {
    const m = mergeTexts('services:\n  web:\n    extra_hosts: ["a:1.1.1.1"]\n', 'services:\n  web:\n    extra_hosts: {a: 1.1.1.1, b: 2.2.2.2}\n')
    assert.deepEqual(service(m).extra_hosts, ['a:1.1.1.1', 'b=2.2.2.2'])
  })

  it('logging options merge only for the same driver', () => {
    const same = mergeTexts('services:\n  web: {logging: {driver: json-file, options: {max-size: 1m}}}\n', 'services:\n  web: {logging: {options: {max-file: "3"}}}\n')
    assert.deepEqual(service(same).logging, {driver: 'json-file', options: {'max-size': '1m', 'max-file': '3'}})
    const other = mergeTexts('services:\n  web: {logging: {driver: json-file, options: {max-size: 1m}}}\n', 'services:\n  web: {logging: {driver: syslog}}\n')
    assert.deepEqual(service(other).logging, {driver: 'syslog'})
  })

  it('!reset removes the earlier value, !override replaces it', () => {
    const m = mergeTexts(
      'services:\n  web:\n    image: a\n    ports: ["8080:80"]\n    environment: {FOO: bar, KEEP: "1"}\n    volumes: [x:/x]\n',
      'services:\n  web:\n    ports: !reset []\n    environment:\n      FOO: !reset null\n    volumes: !override [y:/y]\n',
    )
    assert.deepEqual(service(m), {image: 'a', environment: {KEEP: '1'}, volumes: ['y:/y']})
  })

  it('a mapping merged with a list is an error naming the path', () => {
    assert.throws(() => mergeTexts('services:\n  web: {ulimits: {nofile: 1}}\n', 'services:\n  web: {ulimits: [1]}\n'), /cannot merge services\.web\.ulimits/)
  })

  it('does not change its inputs', () => {
    const [a] = parseComposeFile('services:\n  web: {ports: ["1:1"], environment: {A: "1"}}\n', '/p/a.yaml')
    const [b] = parseComposeFile('services:\n  web: {ports: ["2:2"], environment: {B: "2"}}\n', '/p/b.yaml')
    const before = JSON.stringify(a.model)
    mergeModels(a.model, b.model)
    assert.equal(JSON.stringify(a.model), before)
  })

  it('keys of unique resources', () => {
    assert.equal(portKey('127.0.0.1:8080:80/udp'), '127.0.0.1:8080:80/udp')
    assert.equal(portKey('[::1]:8080:80'), '::1:8080:80/tcp')
    assert.equal(portKey('80'), '::80/tcp')
    assert.equal(portKey({target: 80, published: '8080'}), ':8080:80/tcp')
    assert.equal(volumeTarget('./data:/data:ro'), '/data')
    assert.equal(volumeTarget('/anonymous'), '/anonymous')
    assert.equal(volumeTarget('C:\\data:/data'), '/data')
  })
})
