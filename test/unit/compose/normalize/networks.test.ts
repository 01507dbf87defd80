import assert from 'node:assert/strict'
import {normalizeYaml, thrown} from './helpers.js'

describe('normalize: networks', () => {
  it('attaches a service without networks to default and declares <project>_default', () => {
    const p = normalizeYaml('services: {app: {image: x}}')
    assert.deepEqual(p.services.app.networks, {default: null})
    assert.deepEqual(p.networks, {default: {name: 'demo_default', ipam: {}}})
  })

  it('declares no default network when no service uses it', () => {
    const p = normalizeYaml('services: {app: {image: x, networks: [back]}, h: {image: x, network_mode: host}}\nnetworks: {back: }')
    assert.deepEqual(p.services.app.networks, {back: null})
    assert.equal(p.services.h.networks, undefined)
    assert.deepEqual(Object.keys(p.networks), ['back'])
  })

  it('names networks <project>_<key> unless name: or external', () => {
    const p = normalizeYaml(`
services: {app: {image: x, networks: {a: {aliases: [w]}, b: , c: }}}
networks:
  a: {driver_opts: {mtu: 1400}, labels: [t=1]}
  b: {name: fixed}
  c: {external: true}
`)
    assert.deepEqual(p.networks, {
      a: {name: 'demo_a', driver_opts: {mtu: '1400'}, labels: {t: '1'}, ipam: {}},
      b: {name: 'fixed', ipam: {}},
      c: {name: 'c', external: true, ipam: {}},
    })
    assert.deepEqual(p.services.app.networks, {a: {aliases: ['w']}, b: null, c: null})
  })

  it('refuses a network no one declared', () => {
    const e = thrown(() => normalizeYaml('services: {app: {image: x, networks: [nope]}}'))
    assert.equal(e.code, 'COMPOSE_UNDEFINED_RESOURCE')
    assert.match(e.message, /service "app" refers to undefined network "nope" \(services\.app\.networks\.nope\)/)
  })
})
