import assert from 'node:assert/strict'
import {normalizeYaml} from './helpers.js'

const MODEL = `
services:
  web: {image: x}
  debug: {image: x, profiles: [debug], depends_on: [helper]}
  helper: {image: x, profiles: [helpers]}
  tools: {image: x, profiles: [tools, debug]}
`

describe('normalize: profiles', () => {
  it('keeps services with profiles out unless a profile is enabled', () => {
    const p = normalizeYaml('services: {web: {image: x}, tools: {image: x, profiles: [tools]}}')
    assert.deepEqual(Object.keys(p.services), ['web'])
    assert.deepEqual(Object.keys(p.disabledServices), ['tools'])
  })

  it('enables a service when any of its profiles is enabled', () => {
    const p = normalizeYaml(MODEL, {profiles: ['debug', 'helpers']})
    assert.deepEqual(Object.keys(p.services).sort(), ['debug', 'helper', 'tools', 'web'])
  })

  it('enables every profile with *', () => {
    assert.deepEqual(Object.keys(normalizeYaml(MODEL, {profiles: ['*']}).disabledServices), [])
  })

  it('enables a service named explicitly, with what it depends on', () => {
    const p = normalizeYaml(MODEL, {explicitServices: ['debug']})
    assert.deepEqual(Object.keys(p.services).sort(), ['debug', 'helper', 'web'])
    assert.deepEqual(Object.keys(p.disabledServices), ['tools'])
  })

  it('does not count resources used only by disabled services', () => {
    const p = normalizeYaml('services: {web: {image: x}, dbg: {image: x, profiles: [d], volumes: ["v:/v"]}}\nvolumes: {v: }')
    assert.deepEqual(p.volumes, {})
    assert.deepEqual(p.disabledServices.dbg.volumes?.[0], {type: 'volume', source: 'v', target: '/v', volume: {}})
  })
})
