import {strict as assert} from 'node:assert'
import {canonicalJson, serviceHash} from '../../../src/compose/hash.js'
import type {ServiceConfig} from '../../../src/compose/types.js'

describe('compose/hash', () => {
  const base: ServiceConfig = {name: 'web', image: 'nginx', environment: {A: '1', B: '2'}, ports: [{mode: 'ingress', target: 80, published: '8080', protocol: 'tcp'}]}

  it('canonical JSON sorts keys at every level', () => {
    assert.equal(canonicalJson({b: 1, a: {d: [1, {z: 1, y: 2}], c: undefined}}), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}')
  })

  it('is stable across key order and is a sha256', () => {
    const reordered: ServiceConfig = {ports: base.ports, environment: {B: '2', A: '1'}, image: 'nginx', name: 'web'}
    assert.match(serviceHash(base), /^[0-9a-f]{64}$/)
    assert.equal(serviceHash(reordered), serviceHash(base))
  })

  it('ignores what does not shape the container', () => {
    const h = serviceHash(base)
    assert.equal(serviceHash({...base, scale: 3, deploy: {replicas: 5}, depends_on: {db: {condition: 'service_started', required: true}}, profiles: ['x'], build: {context: '/x'}, pull_policy: 'always', 'x-note': 1}), serviceHash({...base, deploy: {}}))
    assert.equal(serviceHash({...base, name: 'other'}), h)
  })

  it('changes when the container would change', () => {
    const h = serviceHash(base)
    assert.notEqual(serviceHash({...base, image: 'nginx:2'}), h)
    assert.notEqual(serviceHash({...base, environment: {A: '1', B: '3'}}), h)
    assert.notEqual(serviceHash({...base, deploy: {resources: {limits: {memory: 1}}}}), serviceHash({...base, deploy: {}}))
  })
})
