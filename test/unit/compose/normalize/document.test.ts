import assert from 'node:assert/strict'
import {toComposeDocument} from '../../../../src/compose/normalize/index.js'
import {normalizeYaml} from './helpers.js'

const TEXT = `
x-top: 1
services:
  app:
    image: x
    x-note: hi
    environment: {PRICE: "cost $5"}
    ulimits: {nproc: 10, nofile: {soft: 1, hard: 2}}
    deploy: {replicas: 1}
`

describe('normalize: the config document', () => {
  it('prints the JSON shape of docker compose config', () => {
    const doc = toComposeDocument(normalizeYaml(TEXT)) as {services: {app: Record<string, unknown>}; networks: unknown; 'x-top': unknown}
    assert.deepEqual(doc.services.app, {
      command: null, entrypoint: null, image: 'x', environment: {PRICE: 'cost $$5'},
      ulimits: {nproc: 10, nofile: {soft: 1, hard: 2}}, deploy: {replicas: 1, resources: {}, placement: {}}, networks: {default: null},
    })
    assert.deepEqual(doc.networks, {default: {name: 'demo_default', ipam: {}}})
    assert.equal(doc['x-top'], 1)
  })

  it('prints the YAML shape: no null command, no empty ipam/resources/placement, service x- kept', () => {
    const doc = toComposeDocument(normalizeYaml(TEXT), {format: 'yaml', escapeDollars: false}) as {services: {app: Record<string, unknown>}; networks: unknown}
    assert.deepEqual(doc.services.app, {
      image: 'x', 'x-note': 'hi', environment: {PRICE: 'cost $5'},
      ulimits: {nproc: 10, nofile: {soft: 1, hard: 2}}, deploy: {replicas: 1}, networks: {default: null},
    })
    assert.deepEqual(doc.networks, {default: {name: 'demo_default'}})
  })
})
