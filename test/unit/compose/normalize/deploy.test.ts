import assert from 'node:assert/strict'
import {app, thrown} from './helpers.js'

describe('normalize: deploy and resources', () => {
  it('always carries resources and placement', () => {
    assert.deepEqual(app('services: {app: {image: x, deploy: {replicas: 2}}}').deploy, {replicas: 2, resources: {}, placement: {}})
  })

  it('reads cpus as numbers, memory as bytes, durations canonical (zero update delays omitted)', () => {
    const d = app(`
services:
  app:
    image: x
    deploy:
      labels: [a=b]
      resources: {limits: {cpus: "0.50", memory: 256M, pids: 10}, reservations: {cpus: 0.25, memory: 64m}}
      restart_policy: {condition: on-failure, delay: 5s, window: 120s}
      update_config: {delay: 0s, monitor: 30s}
`).deploy
    assert.deepEqual(d, {
      labels: {a: 'b'},
      resources: {limits: {cpus: 0.5, memory: '268435456', pids: 10}, reservations: {cpus: 0.25, memory: '67108864'}},
      restart_policy: {condition: 'on-failure', delay: '5s', window: '2m0s'},
      update_config: {monitor: '30s'},
      placement: {},
    })
  })

  it('prints service memory as bytes and rejects bad sizes', () => {
    const s = app('services: {app: {image: x, mem_limit: 1.5g, shm_size: 1024, memswap_limit: -1}}')
    assert.deepEqual([s.mem_limit, s.shm_size, s.memswap_limit], ['1610612736', '1024', '-1'])
    const e = thrown(() => app('services: {app: {image: x, mem_limit: lots}}'))
    assert.equal(e.code, 'COMPOSE_INVALID_SIZE')
    assert.match(e.message, /invalid size "lots" \(services\.app\.mem_limit\)/)
  })

  it('rejects container_name with more than one replica', () => {
    assert.match(thrown(() => app('services: {app: {image: x, container_name: c, deploy: {replicas: 2}}}')).message, /container_name "c" and 2 replicas/)
    assert.match(thrown(() => app('services: {app: {image: x, container_name: c, scale: 3}}')).message, /3 replicas/)
  })

  it('requires service values and their deploy twins to agree', () => {
    const e = thrown(() => app('services: {app: {image: x, cpus: 0.5, deploy: {resources: {limits: {cpus: 1}}}}}'))
    assert.match(e.message, /service "app": cpus \(0\.5\) and deploy\.resources\.limits\.cpus \(1\) differ/)
    assert.match(thrown(() => app('services: {app: {image: x, mem_limit: 1g, deploy: {resources: {limits: {memory: 512m}}}}}')).message, /mem_limit/)
    assert.equal(app('services: {app: {image: x, mem_limit: 1g, deploy: {resources: {limits: {memory: 1024m}}}}}').mem_limit, '1073741824')
  })
})
