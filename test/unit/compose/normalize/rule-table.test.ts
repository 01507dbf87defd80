import assert from 'node:assert/strict'
import {Normalizer} from '../../../../src/compose/normalize/context.js'
import {NORMALIZE_RULES} from '../../../../src/compose/normalize/rules.js'
import {applyRules, pass, rules} from '../../../../src/compose/normalize/walk.js'

const n = new Normalizer({projectName: 'p', workingDir: '/w', environment: {}, profiles: []})

describe('normalize: the rule table', () => {
  it('matches * against keys and list indexes, and runs rows in order', () => {
    const seen: string[] = []
    const model = {services: {a: {ports: [1, 2]}, b: {ports: [3]}}}
    applyRules(model, rules([
      ['services.*.ports.*', (v, path) => {
        seen.push(path.join('.'))
        return Number(v) * 10
      }],
      ['services.*.ports', (v) => (v as number[]).map((x) => x + 1)],
      ['services.b', () => undefined],
      ['', pass((m) => {
        m.seen = true
      })],
    ]), n)
    assert.deepEqual(seen, ['services.a.ports.0', 'services.a.ports.1', 'services.b.ports.0'])
    assert.deepEqual(model, {services: {a: {ports: [11, 21]}}, seen: true})
  })

  it('orders rows so that each sees the shape the earlier ones made', () => {
    const patterns = NORMALIZE_RULES.map((r) => r.pattern)
    assert.ok(patterns.includes('services.*.ports'))
    assert.ok(patterns.indexOf('services.*.networks') < patterns.indexOf(''), 'service networks are a mapping before the project passes')
    assert.ok(patterns.lastIndexOf('') > patterns.indexOf('networks.*'), 'pruning runs after resources are named')
    assert.ok(patterns.indexOf('services.*.environment') < patterns.indexOf('services.*'), 'environment is a mapping before env files merge under it')
  })
})
