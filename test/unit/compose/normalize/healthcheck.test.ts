import assert from 'node:assert/strict'
import {app, thrown} from './helpers.js'

describe('normalize: healthcheck', () => {
  it('wraps a string test in CMD-SHELL and prints durations as Go does', () => {
    const s = app('services: {app: {image: x, healthcheck: {test: "curl -f http://x", interval: 90s, timeout: 1500ms, start_period: 1m, start_interval: 500us, retries: 3}}}')
    assert.deepEqual(s.healthcheck, {test: ['CMD-SHELL', 'curl -f http://x'], interval: '1m30s', timeout: '1.5s', start_period: '1m0s', start_interval: '500µs', retries: 3})
  })

  it('keeps list tests and disable as written', () => {
    assert.deepEqual(app('services: {app: {image: x, healthcheck: {test: [CMD, "true"]}}}').healthcheck, {test: ['CMD', 'true']})
    assert.deepEqual(app('services: {app: {image: x, healthcheck: {disable: true}}}').healthcheck, {disable: true})
  })

  it('rejects a duration without a unit, pointing at it', () => {
    const e = thrown(() => app('services: {app: {image: x, healthcheck: {test: [CMD, "true"], interval: 10}}}'))
    assert.equal(e.code, 'COMPOSE_INVALID_DURATION')
    assert.match(e.message, /invalid duration "10" \(services\.app\.healthcheck\.interval\)/)
  })
})
