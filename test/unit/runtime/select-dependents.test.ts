/** restart's dependents (restart: true on a named service) and kill's orphans, from the project or from labels. */
import {strict as assert} from 'node:assert'
import type {ContainerSummary} from '../../../src/engine/types.js'
import {orphanContainers, withRestartDependents} from '../../../src/runtime/select.js'
import {project} from './fixtures.js'

function container(service: string, dependsOn = ''): ContainerSummary {
  return {
    Id: `id-${service}`,
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

const started = {condition: 'service_started' as const, required: true}

/** db <- api (restart: true) <- sidecar (restart: true, e.g. network_mode service:api); web (plain depends_on api). */
const demo = project('demo', {
  db: {image: 'busybox'},
  api: {image: 'busybox', depends_on: {db: {...started, restart: true}}},
  sidecar: {image: 'busybox', depends_on: {api: {...started, restart: true}}},
  web: {image: 'busybox', depends_on: {api: started}},
  lone: {image: 'busybox'},
})

describe('runtime/select: restart dependents and orphans', () => {
  it('adds, transitively, the services that declare restart: true on a named one', () => {
    assert.deepEqual(withRestartDependents({name: 'demo', project: demo}, [], ['db']).sort(), ['api', 'db', 'sidecar'])
    assert.deepEqual(withRestartDependents({name: 'demo', project: demo}, [], ['api']).sort(), ['api', 'sidecar'])
    // A plain depends_on does not make web follow; nothing depends on web or lone.
    assert.deepEqual(withRestartDependents({name: 'demo', project: demo}, [], ['web', 'lone']).sort(), ['lone', 'web'])
  })

  it('reads restart: true from the depends_on labels when there is no Compose file', () => {
    const containers = [container('db'), container('api', 'db:service_started:true'), container('web', 'api:service_started:false')]
    assert.deepEqual(withRestartDependents({name: 'demo'}, containers, ['db']).sort(), ['api', 'db'])
  })

  it('orphans are the containers of services the project does not define (profiles count as defined)', () => {
    const withProfile = {...demo, disabledServices: {debug: {name: 'debug', image: 'busybox'}}}
    const list = [container('db'), container('old'), container('debug')]
    assert.deepEqual(orphanContainers({name: 'demo', project: withProfile}, list).map((c) => c.Id), ['id-old'])
    assert.deepEqual(orphanContainers({name: 'demo'}, list), [], 'without a Compose file nothing is an orphan')
  })
})
