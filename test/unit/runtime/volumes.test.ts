import {strict as assert} from 'node:assert'
import type {EngineClient} from '../../../src/engine/client.js'
import type {ContainerSummary, Volume} from '../../../src/engine/types.js'
import {NoSuchServiceError} from '../../../src/runtime/select.js'
import {projectVolumes, volumeItem, VOLUMES_SCHEMA} from '../../../src/runtime/volumes.js'
import {parseFormat, renderItems} from '../../../src/runtime/template-format.js'
import {project} from './fixtures.js'

function volume(name: string, key: string): Volume {
  return {
    Name: name,
    Driver: 'local',
    Mountpoint: `/var/lib/docker/volumes/${name}/_data`,
    Labels: {'com.docker.compose.volume': key, 'com.docker.compose.project': 'demo'},
    Scope: 'local',
    Options: null,
  }
}

/** An engine that answers the two list calls `volumes` makes, and records their filters. */
function fakeEngine(volumes: Volume[], containers: Partial<ContainerSummary>[] = []) {
  const calls: string[] = []
  const engine = {
    volumes: {
      async list(options: {filters?: Record<string, string[]>}) {
        calls.push(`volumes ${JSON.stringify(options.filters)}`)
        // The engine returns them in its own order.
        return [...volumes].reverse()
      },
    },
    containers: {
      async list(options: {filters?: Record<string, string[]>}) {
        calls.push(`containers ${JSON.stringify(options.filters)}`)
        return containers
      },
    },
  } as unknown as EngineClient
  return {engine, calls}
}

describe('runtime: volumes', () => {
  const vols = [volume('demo_cache', 'cache'), volume('demo_data', 'data'), volume('demo_logs', 'logs')]
  const model = project('demo', {
    web: {image: 'x', volumes: [{type: 'volume', source: 'data', target: '/data'}, {type: 'bind', source: '/srv', target: '/srv'}]},
    worker: {image: 'x', volumes: [{type: 'volume', source: 'logs', target: '/logs'}, {type: 'volume', target: '/anon'}]},
  }, {volumes: {data: {name: 'demo_data'}, logs: {name: 'demo_logs'}, cache: {name: 'demo_cache'}}})

  it("lists the project's volumes by label, in one call, sorted by name", async () => {
    const {engine, calls} = fakeEngine(vols)
    const list = await projectVolumes(engine, {name: 'demo', project: model})
    assert.deepEqual(list.map((v) => v.Name), ['demo_cache', 'demo_data', 'demo_logs'])
    assert.deepEqual(calls, ['volumes {"label":["com.docker.compose.project=demo"]}'])
  })

  it('with services named: the volumes they mount, from the Compose file', async () => {
    const {engine} = fakeEngine(vols)
    assert.deepEqual((await projectVolumes(engine, {name: 'demo', project: model}, {services: ['web']})).map((v) => v.Name), ['demo_data'])
    assert.deepEqual((await projectVolumes(engine, {name: 'demo', project: model}, {services: ['web', 'worker']})).map((v) => v.Name), ['demo_data', 'demo_logs'])
    await assert.rejects(projectVolumes(engine, {name: 'demo', project: model}, {services: ['nope']}), NoSuchServiceError)
  })

  it('without a Compose file (-p NAME): from the containers\' volume mounts', async () => {
    const containers = [
      {Id: 'a', Names: ['/demo-web-1'], Labels: {'com.docker.compose.service': 'web'}, Mounts: [{Type: 'volume', Name: 'demo_data', Source: '', Destination: '/data', Mode: '', RW: true, Propagation: ''}]},
      {Id: 'b', Names: ['/demo-worker-1'], Labels: {'com.docker.compose.service': 'worker'}, Mounts: [{Type: 'bind', Source: '/srv', Destination: '/srv', Mode: '', RW: true, Propagation: ''}]},
    ] as Partial<ContainerSummary>[]
    const {engine} = fakeEngine(vols, containers)
    assert.deepEqual((await projectVolumes(engine, {name: 'demo'}, {services: ['web']})).map((v) => v.Name), ['demo_data'])
    assert.deepEqual(await projectVolumes(engine, {name: 'demo'}, {services: ['worker']}), [])
    await assert.rejects(projectVolumes(engine, {name: 'demo'}, {services: ['nope']}), /no such service: nope \(services: web, worker\)/)
  })

  it('formats like docker compose volumes: DRIVER and VOLUME NAME; json with N/A for what a local volume lacks', () => {
    const items = [volumeItem(vols[1]), volumeItem(vols[2])]
    assert.equal(renderItems(parseFormat('table', VOLUMES_SCHEMA), items, VOLUMES_SCHEMA), 'DRIVER    VOLUME NAME\nlocal     demo_data\nlocal     demo_logs\n')
    assert.deepEqual(JSON.parse(renderItems(parseFormat('json', VOLUMES_SCHEMA), items, VOLUMES_SCHEMA).split('\n')[0]), {
      Availability: 'N/A',
      Driver: 'local',
      Group: 'N/A',
      Labels: 'com.docker.compose.project=demo,com.docker.compose.volume=data',
      Links: 'N/A',
      Mountpoint: '/var/lib/docker/volumes/demo_data/_data',
      Name: 'demo_data',
      Scope: 'local',
      Size: 'N/A',
      Status: 'N/A',
    })
    assert.equal(renderItems(parseFormat('{{.Name}} {{.Label "com.docker.compose.volume"}}', VOLUMES_SCHEMA), items, VOLUMES_SCHEMA), 'demo_data data\ndemo_logs logs\n')
    const used = volumeItem({...vols[0], UsageData: {Size: 1_234_567, RefCount: 2}})
    assert.equal(used.fields.Size, '1.235MB')
    assert.equal(used.fields.Links, '2')
  })
})
