import assert from 'node:assert/strict'
import {normalizeYaml, thrown} from './helpers.js'

describe('normalize: depends_on and implicit dependencies', () => {
  it('turns a list into a mapping with condition service_started and required true', () => {
    const p = normalizeYaml('services: {web: {image: x, depends_on: [db]}, db: {image: x}}')
    assert.deepEqual(p.services.web.depends_on, {db: {condition: 'service_started', required: true}})
  })

  it('fills defaults in the long form and keeps restart only when true', () => {
    const p = normalizeYaml('services: {web: {image: x, depends_on: {db: {condition: service_healthy, restart: true}, c: {restart: false}}}, db: {image: x}, c: {image: x}}')
    assert.deepEqual(p.services.web.depends_on, {
      db: {condition: 'service_healthy', restart: true, required: true},
      c: {condition: 'service_started', required: true},
    })
  })

  it('adds dependencies for links, service: modes (restart: true) and volumes_from', () => {
    const p = normalizeYaml(`
services:
  web: {image: x, links: ["api:backend"], ipc: "service:db"}
  api: {image: x, volumes_from: [data, "container:other"]}
  side: {image: x, network_mode: "service:api"}
  db: {image: x}
  data: {image: x}
`)
    assert.deepEqual(p.services.web.depends_on, {
      api: {condition: 'service_started', restart: true, required: true},
      db: {condition: 'service_started', restart: true, required: true},
    })
    assert.deepEqual(p.services.api.depends_on, {data: {condition: 'service_started', required: true}})
    assert.deepEqual(p.services.side.depends_on, {api: {condition: 'service_started', restart: true, required: true}})
  })

  it('names both services when a dependency is unknown', () => {
    const e = thrown(() => normalizeYaml('services: {web: {image: x, depends_on: [ghost]}}'))
    assert.equal(e.code, 'COMPOSE_UNKNOWN_SERVICE')
    assert.match(e.message, /service "web" depends on undefined service "ghost" \(services\.web\.depends_on\.ghost\)/)
    assert.match(thrown(() => normalizeYaml('services: {web: {image: x, links: [ghost]}}')).message, /service "web" refers to \(links\) undefined service "ghost"/)
    assert.match(thrown(() => normalizeYaml('services: {web: {image: x, network_mode: "service:ghost"}}')).message, /refers to \(network_mode\) undefined service "ghost"/)
  })

  it('says when a dependency is switched off by a profile, and how to switch it on', () => {
    const e = thrown(() => normalizeYaml('services: {web: {image: x, depends_on: [dbg]}, dbg: {image: x, profiles: [debug]}}'))
    assert.match(e.message, /service "web" depends on service "dbg", which is not active \(profiles: debug\)/)
    assert.deepEqual((e as unknown as {hints: string[]}).hints, ['enable it with --profile debug'])
  })

  it('lets an optional dependency be missing', () => {
    const p = normalizeYaml('services: {web: {image: x, depends_on: {ghost: {condition: service_started, required: false}}}}')
    assert.deepEqual(p.services.web.depends_on, {ghost: {condition: 'service_started', required: false}})
  })

  it('rejects a dependency cycle and prints it', () => {
    const e = thrown(() => normalizeYaml('services: {a: {image: x, depends_on: [b]}, b: {image: x, depends_on: [c]}, c: {image: x, depends_on: [a]}}'))
    assert.equal(e.code, 'COMPOSE_DEPENDENCY_CYCLE')
    assert.match(e.message, /dependency cycle: a -> b -> c -> a/)
  })
})
