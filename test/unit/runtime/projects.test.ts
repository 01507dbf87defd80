import {strict as assert} from 'node:assert'
import type {ContainerSummary} from '../../../src/engine/types.js'
import {combinedStatus, formatProjectsTable, summarizeProjects} from '../../../src/runtime/projects.js'

function c(project: string, state: ContainerSummary['State'], files: string): ContainerSummary {
  return {
    Id: `${project}${state}`,
    Names: [`/${project}-x-1`],
    Image: 'busybox',
    ImageID: 'sha256:1',
    Command: '',
    Created: 0,
    Ports: [],
    Labels: {'com.docker.compose.project': project, 'com.docker.compose.project.config_files': files, 'com.docker.compose.config-hash': 'h'},
    State: state,
    Status: '',
    HostConfig: {NetworkMode: 'default'},
    NetworkSettings: {Networks: {}},
    Mounts: [],
  }
}

describe('runtime/projects: ls', () => {
  it('counts states like compose: alphabetical, with counts', () => {
    assert.equal(combinedStatus(['running', 'exited', 'running']), 'exited(1), running(2)')
    assert.equal(combinedStatus(['running']), 'running(1)')
  })

  it('groups containers by project, merges config files, sorts by name, prints the table', () => {
    const projects = summarizeProjects([
      c('web', 'running', '/srv/web/compose.yaml'),
      c('api', 'running', '/srv/api/compose.yaml,/srv/api/compose.override.yaml'),
      c('api', 'exited', '/srv/api/compose.yaml'),
    ])
    assert.deepEqual(projects, [
      {Name: 'api', Status: 'exited(1), running(1)', ConfigFiles: '/srv/api/compose.yaml,/srv/api/compose.override.yaml'},
      {Name: 'web', Status: 'running(1)', ConfigFiles: '/srv/web/compose.yaml'},
    ])
    assert.equal(
      formatProjectsTable(projects),
      ['NAME      STATUS                  CONFIG FILES', 'api       exited(1), running(1)   /srv/api/compose.yaml,/srv/api/compose.override.yaml', 'web       running(1)              /srv/web/compose.yaml'].join('\n'),
    )
  })
})
