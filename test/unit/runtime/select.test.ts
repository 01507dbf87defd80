import {strict as assert} from 'node:assert'
import type {Project} from '../../../src/compose/types.js'
import type {ContainerSummary} from '../../../src/engine/types.js'
import {NoSuchServiceError, checkServices, dependencyLevels, dependencyMap} from '../../../src/runtime/select.js'

function project(services: Record<string, string[]>): Project {
  return {
    name: 'demo',
    workingDir: '/tmp/demo',
    configFiles: ['/tmp/demo/compose.yaml'],
    services: Object.fromEntries(
      Object.entries(services).map(([name, deps]) => [
        name,
        {name, image: 'busybox', depends_on: Object.fromEntries(deps.map((d) => [d, {condition: 'service_started' as const, required: true}]))},
      ]),
    ),
    disabledServices: {},
    networks: {},
    volumes: {},
    secrets: {},
    configs: {},
    extensions: {},
    environment: {},
    profiles: [],
  }
}

function labelled(service: string, dependsOn: string): ContainerSummary {
  return {
    Id: service,
    Names: [`/demo-${service}-1`],
    Image: 'busybox',
    ImageID: 'sha256:1',
    Command: '',
    Created: 0,
    Ports: [],
    Labels: {'com.docker.compose.project': 'demo', 'com.docker.compose.service': service, 'com.docker.compose.depends_on': dependsOn},
    State: 'running',
    Status: 'Up',
    HostConfig: {NetworkMode: 'default'},
    NetworkSettings: {Networks: {}},
    Mounts: [],
  }
}

describe('runtime/select: services, dependencies and levels', () => {
  it('orders services in levels, dependencies first, independent ones together', () => {
    const deps = dependencyMap({name: 'demo', project: project({web: ['api', 'cache'], api: ['db'], db: [], cache: [], worker: ['db']})}, [])
    assert.deepEqual(dependencyLevels(deps), [['cache', 'db'], ['api', 'worker'], ['web']])
  })

  it('reads dependencies from the containers\' depends_on labels when there is no Compose file', () => {
    const deps = dependencyMap({name: 'demo'}, [labelled('web', 'db:service_healthy:false,cache:service_started:true'), labelled('db', ''), labelled('cache', '')])
    assert.deepEqual(dependencyLevels(deps), [['cache', 'db'], ['web']])
  })

  it('ignores dependencies on services that are not there, and survives a cycle', () => {
    assert.deepEqual(dependencyLevels(new Map([['a', ['gone']]])), [['a']])
    assert.deepEqual(dependencyLevels(new Map([['a', ['b']], ['b', ['a']]])), [['a'], ['b']])
  })

  it('names an unknown service and the known ones in one line', () => {
    const ref = {name: 'demo', project: project({web: [], db: []})}
    assert.doesNotThrow(() => checkServices(ref, ['web']))
    assert.throws(
      () => checkServices(ref, ['wbe']),
      (error: unknown) => error instanceof NoSuchServiceError && error.message === 'no such service: wbe (services: db, web)' && error.code === 'NO_SUCH_SERVICE',
    )
    assert.throws(() => checkServices({name: 'demo'}, ['nope'], [labelled('web', '')]), /no such service: nope \(services: web\)/)
  })
})
