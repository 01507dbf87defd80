import assert from 'node:assert/strict'
import {CLIENT_MAX_API, CONTAINER_CREATE_FIELDS, apiSupports, compareApiVersions, dropUnsupportedFields, negotiateApiVersion} from '../../../src/engine/index.js'

describe('engine: API versions', () => {
  it('compares versions numerically', () => {
    assert.equal(compareApiVersions('1.41', '1.9'), 1)
    assert.equal(compareApiVersions('1.41', '1.41'), 0)
    assert.equal(compareApiVersions('1.41', '1.44'), -1)
  })

  it('negotiates the lower of the server and client versions', () => {
    assert.equal(negotiateApiVersion('1.41'), '1.41')
    assert.equal(negotiateApiVersion('1.43'), '1.43')
    assert.equal(negotiateApiVersion('1.99'), CLIENT_MAX_API)
    assert.equal(negotiateApiVersion(undefined), '1.41')
  })

  it('knows which features a version has', () => {
    assert.equal(apiSupports('1.41', 'multipleNetworksAtCreate'), false)
    assert.equal(apiSupports('1.44', 'multipleNetworksAtCreate'), true)
  })

  it('drops the create fields an older engine does not know, naming each, without touching the input', () => {
    const body = {
      Image: 'busybox',
      Healthcheck: {Test: ['CMD', 'true'], StartInterval: 1_000_000_000},
      HostConfig: {
        Annotations: {a: 'b'},
        Mounts: [
          {Type: 'volume', Target: '/a', VolumeOptions: {NoCopy: true, Subpath: 'sub'}},
          {Type: 'bind', Target: '/b', Source: '/b'},
        ],
      },
      NetworkingConfig: {EndpointsConfig: {front: {Aliases: ['web'], MacAddress: '02:42:ac:11:00:02', DriverOpts: {x: 'y'}}}},
    }
    const snapshot = structuredClone(body)
    const at141 = dropUnsupportedFields(body, CONTAINER_CREATE_FIELDS, '1.41')
    assert.deepEqual(body, snapshot)
    assert.deepEqual(at141.dropped.sort(), [
      'Healthcheck.StartInterval',
      'HostConfig.Annotations',
      'HostConfig.Mounts.0.VolumeOptions.Subpath',
      'NetworkingConfig.EndpointsConfig.front.DriverOpts',
      'NetworkingConfig.EndpointsConfig.front.MacAddress',
    ])
    assert.deepEqual(at141.body, {
      Image: 'busybox',
      Healthcheck: {Test: ['CMD', 'true']},
      HostConfig: {Mounts: [{Type: 'volume', Target: '/a', VolumeOptions: {NoCopy: true}}, {Type: 'bind', Target: '/b', Source: '/b'}]},
      NetworkingConfig: {EndpointsConfig: {front: {Aliases: ['web']}}},
    })
    const at144 = dropUnsupportedFields(body, CONTAINER_CREATE_FIELDS, '1.44')
    assert.deepEqual(at144.dropped, ['HostConfig.Mounts.0.VolumeOptions.Subpath'])
    const at147 = dropUnsupportedFields(body, CONTAINER_CREATE_FIELDS, '1.47')
    assert.deepEqual(at147.dropped, [])
    assert.equal(at147.body, body)
  })
})
