import {assertInvalid, assertValid, service} from './support.js'

describe('schema: services.*.volumes, volumes_from, tmpfs', () => {
  it('accepts short syntax strings and every long-syntax option', () => {
    assertValid(
      service(`volumes:
  - db-data:/var/lib/db
  - ./cache:/cache:ro,z
  - /var/run/docker.sock:/var/run/docker.sock
  - /anonymous
  - type: volume
    source: db-data
    target: /data
    read_only: true
    volume:
      nocopy: true
      subpath: sub
  - type: bind
    source: ./src
    target: /src
    consistency: cached
    bind:
      propagation: rshared
      create_host_path: false
      selinux: Z
      recursive: readonly
  - type: tmpfs
    target: /tmp
    tmpfs:
      size: 64m
      mode: 1777
  - type: image
    source: alpine:3
    target: /img
    image:
      subpath: etc
  - type: npipe
    source: \\\\.\\pipe\\docker_engine
    target: \\\\.\\pipe\\docker_engine
volumes_from:
  - other
  - container:legacy:ro
tmpfs: /run`),
    )
    assertValid(service('tmpfs:\n  - /run\n  - /data:mode=755,uid=1009'))
  })

  it('rejects an unknown mount type, a missing target and an empty short form', () => {
    assertInvalid(
      service('volumes:\n  - type: nfs\n    target: /x'),
      'compose.yaml:5:9: expected one of "bind", "volume", "tmpfs", "image", "npipe", "cluster", got "nfs" (services.web.volumes[0].type)',
    )
    assertInvalid(service('volumes:\n  - type: bind\n    source: .'), 'compose.yaml:5:9: missing required field "target" (services.web.volumes[0])')
    assertInvalid(service('volumes:\n  - ""'), 'compose.yaml:5:9: expected a non-empty string, got "" (services.web.volumes[0])')
  })

  it('rejects options of the wrong kind, with a suggestion for near misses', () => {
    assertInvalid(
      service('volumes:\n  - type: bind\n    source: .\n    target: /x\n    bind:\n      create_host: true'),
      'compose.yaml:9:11: unknown field "create_host", did you mean "create_host_path"? (services.web.volumes[0].bind.create_host)',
    )
    assertInvalid(
      service('volumes:\n  - type: volume\n    source: v\n    target: /x\n    readonly: true'),
      'compose.yaml:8:9: unknown field "readonly", did you mean "read_only"? (services.web.volumes[0].readonly)',
    )
    assertInvalid(
      service('volumes:\n  - type: tmpfs\n    target: /x\n    tmpfs:\n      size: lots'),
      'compose.yaml:8:11: expected a byte size such as "512m", "1gb" or a number of bytes, got "lots" (services.web.volumes[0].tmpfs.size)',
    )
  })

  it('names both accepted forms when an item has the wrong type', () => {
    assertInvalid(
      service('volumes:\n  - 42'),
      'compose.yaml:5:9: expected a volume: a string such as "data:/var/lib/data:ro" or a mapping (long syntax), got 42 (services.web.volumes[0])',
    )
  })
})
