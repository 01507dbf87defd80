import assert from 'node:assert/strict'
import {app, normalizeYaml, thrown} from './helpers.js'

describe('normalize: service volumes', () => {
  it('makes short bind mounts absolute against the project directory, with bind: {}', () => {
    const s = app('services: {app: {image: x, volumes: [".:/src", "./data:/data:ro", "../up/:/up/", "/abs:/abs:rw"]}}')
    assert.deepEqual(s.volumes, [
      {type: 'bind', source: '/srv/app', target: '/src', bind: {}},
      {type: 'bind', source: '/srv/app/data', target: '/data', read_only: true, bind: {}},
      {type: 'bind', source: '/srv/up', target: '/up', bind: {}},
      {type: 'bind', source: '/abs', target: '/abs', bind: {}},
    ])
  })

  it('expands ~ with the home directory', () => {
    const s = app('services: {app: {image: x, volumes: ["~/.cfg:/cfg", "~:/home"]}}')
    assert.deepEqual(s.volumes?.map((v) => v.source), ['/home/me/.cfg', '/home/me'])
  })

  it('keeps named volumes by their short name and reads nocopy, selinux and propagation', () => {
    const s = normalizeYaml('services: {app: {image: x, volumes: ["data:/d:nocopy", "/anon", "./c:/c:z,rshared"]}}\nvolumes: {data: {}}').services.app
    assert.deepEqual(s.volumes, [
      {type: 'volume', source: 'data', target: '/d', volume: {nocopy: true}},
      {type: 'volume', target: '/anon', volume: {}},
      {type: 'bind', source: '/srv/app/c', target: '/c', bind: {selinux: 'z', propagation: 'rshared'}},
    ])
  })

  it('leaves the long syntax as written apart from absolute bind sources and clean targets', () => {
    const s = normalizeYaml(`
services:
  app:
    image: x
    volumes:
      - {type: bind, source: ./src, target: /src/, read_only: false, bind: {create_host_path: true}}
      - {type: bind, source: ./strict, target: /strict, bind: {create_host_path: false}}
      - {type: tmpfs, target: /tmp, tmpfs: {size: 64m}}
      - {type: volume, source: data, target: /data}
volumes: {data: }
`).services.app
    assert.deepEqual(s.volumes, [
      {type: 'bind', source: '/srv/app/src', target: '/src', bind: {}},
      {type: 'bind', source: '/srv/app/strict', target: '/strict', bind: {create_host_path: false}},
      {type: 'tmpfs', target: '/tmp', tmpfs: {size: '67108864'}},
      {type: 'volume', source: 'data', target: '/data'},
    ])
  })

  it('rejects empty sections and too many colons', () => {
    assert.equal(thrown(() => app('services: {app: {image: x, volumes: ["a::/b"]}}')).code, 'COMPOSE_INVALID_VOLUME')
    assert.match(thrown(() => app('services: {app: {image: x, volumes: ["a:/b:ro:x"]}}')).message, /too many colons/)
  })

  it('requires a named volume to be declared', () => {
    const e = thrown(() => app('services: {app: {image: x, volumes: ["data:/d"]}}'))
    assert.equal(e.code, 'COMPOSE_UNDEFINED_RESOURCE')
    assert.match(e.message, /service "app" refers to undefined volume "data"/)
  })

  it('refuses a tmpfs target mounted twice', () => {
    assert.match(thrown(() => app('services: {app: {image: x, tmpfs: [/t, "/t:size=1m"]}}')).message, /mounts \/t twice \(also at tmpfs\.0\)/)
    assert.match(thrown(() => app('services: {app: {image: x, tmpfs: [/t], volumes: ["./x:/t"]}}')).message, /mounts \/t twice/)
  })

  it('keeps one mount per target, the later one in the earlier place', () => {
    const s = app('services: {app: {image: x, volumes: ["./conf/:/etc/app/", "./data:/data", "/etc/app/:/etc/app:ro"]}}')
    assert.deepEqual(s.volumes?.map((v) => [v.source, v.target]), [['/etc/app/', '/etc/app'], ['/srv/app/data', '/data']])
  })
})
