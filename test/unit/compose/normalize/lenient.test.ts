import assert from 'node:assert/strict'
import {app, thrown} from './helpers.js'

const RAW = `
services:
  app:
    image: x
    ports: ["\${PORT}:80", "90"]
    volumes: ["\${SRC}:/x", "./y:/y"]
    mem_limit: \${MEM}
    depends_on: ["\${OTHER}"]
    healthcheck: {test: [CMD, "true"], interval: "\${INTERVAL}"}
`

describe('normalize: lenient (--no-interpolate)', () => {
  it('keeps values it cannot read as written and skips reference checks', () => {
    const s = app(RAW, {lenient: true})
    assert.deepEqual(s.ports, ['${PORT}:80', '90'])
    assert.deepEqual(s.volumes?.[1], {type: 'bind', source: '/srv/app/y', target: '/y', bind: {}})
    assert.equal(s.mem_limit, '${MEM}')
    assert.equal(s.healthcheck?.interval, '${INTERVAL}')
  })

  it('is strict otherwise', () => {
    assert.equal(thrown(() => app(RAW)).code, 'COMPOSE_INVALID_PORT')
  })
})
