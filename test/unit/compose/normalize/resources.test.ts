import assert from 'node:assert/strict'
import {normalizeYaml, thrown} from './helpers.js'

describe('normalize: top-level volumes, secrets, configs', () => {
  it('names volumes <project>_<key> unless name: or external', () => {
    const p = normalizeYaml('services: {app: {image: x, volumes: ["a:/a", "b:/b", "c:/c"]}}\nvolumes: {a: , b: {name: fixed}, c: {external: true}}')
    assert.deepEqual(p.volumes, {a: {name: 'demo_a'}, b: {name: 'fixed'}, c: {name: 'c', external: true}})
  })

  it('turns service secrets and configs into the long form', () => {
    const p = normalizeYaml(`
services:
  app:
    image: x
    secrets: [s, {source: t, target: t.key, mode: 0o440, uid: 1000}]
    configs: [c, {source: d, target: /etc/d}]
secrets: {s: {file: ./s.txt}, t: {environment: TOKEN}}
configs: {c: {content: hi}, d: {file: /etc/d.conf}}
`)
    assert.deepEqual(p.services.app.secrets, [
      {source: 's', target: '/run/secrets/s'},
      {source: 't', target: 't.key', mode: '0440', uid: '1000'},
    ])
    assert.deepEqual(p.services.app.configs, [{source: 'c'}, {source: 'd', target: '/etc/d'}])
    assert.deepEqual(p.secrets, {s: {name: 'demo_s', file: '/srv/app/s.txt'}, t: {name: 'demo_t', environment: 'TOKEN'}})
    assert.deepEqual(p.configs, {c: {name: 'demo_c', content: 'hi'}, d: {name: 'demo_d', file: '/etc/d.conf'}})
  })

  it('prunes what no active service uses, unless allResources', () => {
    const text = 'services: {app: {image: x}}\nvolumes: {v: }\nsecrets: {s: {file: x}}\nnetworks: {n: }'
    const pruned = normalizeYaml(text)
    assert.deepEqual([pruned.volumes, pruned.secrets, Object.keys(pruned.networks)], [{}, {}, ['default']])
    const all = normalizeYaml(text, {allResources: true})
    assert.deepEqual([Object.keys(all.volumes), Object.keys(all.secrets), Object.keys(all.networks).sort()], [['v'], ['s'], ['default', 'n']])
  })

  it('refuses undeclared secrets and configs', () => {
    assert.match(thrown(() => normalizeYaml('services: {app: {image: x, secrets: [nope]}}')).message, /undefined secret "nope"/)
    assert.match(thrown(() => normalizeYaml('services: {app: {image: x, configs: [nope]}}')).message, /undefined config "nope"/)
  })
})
