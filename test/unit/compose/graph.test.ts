import assert from 'node:assert/strict'
import {buildGraph} from '../../../src/compose/graph.js'
import type {ServiceConfig} from '../../../src/compose/types.js'

function services(spec: Record<string, Partial<ServiceConfig>>): Record<string, ServiceConfig> {
  const out: Record<string, ServiceConfig> = {}
  for (const [name, s] of Object.entries(spec)) out[name] = {name, image: 'x', ...s}
  return out
}

const started = {condition: 'service_started', required: true} as const

describe('compose dependency graph', () => {
  const project = {
    services: services({
      proxy: {depends_on: {web: started}},
      web: {depends_on: {db: started, cache: started}},
      worker: {links: ['db:database'], volumes_from: ['data:ro', 'container:foreign']},
      sidecar: {network_mode: 'service:web', ipc: 'service:cache', pid: 'host'},
      db: {},
      cache: {},
      data: {},
    }),
  }

  it('collects edges from depends_on, links, volumes_from and service: modes', () => {
    const g = buildGraph(project)
    assert.deepEqual(g.dependenciesOf('web'), ['db', 'cache'])
    assert.deepEqual(g.dependenciesOf('worker'), ['db', 'data'])
    assert.deepEqual(g.dependenciesOf('sidecar'), ['web', 'cache'])
    assert.deepEqual(g.edgesOf('sidecar').map((e) => e.via), ['network_mode', 'ipc'])
    assert.deepEqual(g.dependentsOf('db'), ['web', 'worker'])
  })

  it('groups services that can start in parallel, and stops in reverse', () => {
    const g = buildGraph(project)
    assert.deepEqual(g.levels(), [['cache', 'data', 'db'], ['web', 'worker'], ['proxy', 'sidecar']])
    assert.deepEqual(g.order(), ['cache', 'data', 'db', 'web', 'worker', 'proxy', 'sidecar'])
    assert.deepEqual(g.reverseLevels()[0], ['proxy', 'sidecar'])
    assert.equal(g.stopOrder().at(-1), 'db')
  })

  it('gives the transitive closure both ways', () => {
    const g = buildGraph(project)
    assert.deepEqual([...g.withDependencies(['proxy'])].sort(), ['cache', 'db', 'proxy', 'web'])
    assert.deepEqual([...g.withDependents(['cache'])].sort(), ['cache', 'proxy', 'sidecar', 'web'])
  })

  it('prints a cycle', () => {
    const cyclic = {services: services({a: {depends_on: {b: started}}, b: {links: ['c']}, c: {volumes_from: ['a']}, d: {}})}
    assert.throws(() => buildGraph(cyclic), (e: Error & {code: string}) => e.code === 'COMPOSE_DEPENDENCY_CYCLE' && /dependency cycle: a -> b -> c -> a/.test(e.message))
    const self = {services: services({a: {network_mode: 'service:a'}})}
    assert.throws(() => buildGraph(self), /a -> a/)
  })

  it('names both services when a reference is unknown or inactive, skips optional ones', () => {
    assert.throws(() => buildGraph({services: services({web: {links: ['ghost']}})}), /service "web" refers to \(links\) undefined service "ghost"/)
    const withDisabled = {services: services({web: {depends_on: {dbg: started}}}), disabledServices: services({dbg: {profiles: ['debug']}})}
    assert.throws(() => buildGraph(withDisabled), /service "web" depends on service "dbg", which is not active/)
    const optional = {services: services({web: {depends_on: {ghost: {condition: 'service_started', required: false}}}})}
    assert.deepEqual(buildGraph(optional).levels(), [['web']])
  })
})
