/** Whether a service already runs a spec: the engine's defaults, IDs and orderings do not count as changes. */
import assert from 'node:assert/strict'
import {sameSpec, specDifferences} from '../../../../src/plugins/swarm/compare.js'
import type {ServiceSpec} from '../../../../src/plugins/swarm/types.js'

const desired = (): ServiceSpec => ({
  Name: 's_web',
  Labels: {'com.docker.stack.namespace': 's', 'com.docker.stack.image': 'busybox'},
  TaskTemplate: {
    ContainerSpec: {
      Image: 'busybox',
      Labels: {'com.docker.stack.namespace': 's'},
      Secrets: [
        {File: {Name: 'a', UID: '0', GID: '0', Mode: 292}, SecretID: 'id1', SecretName: 's_a'},
        {File: {Name: 'b', UID: '0', GID: '0', Mode: 292}, SecretID: 'id2', SecretName: 's_b'},
      ],
    },
    Networks: [{Target: 's_default', Aliases: ['web']}],
  },
  Mode: {Replicated: {}},
  UpdateConfig: {Parallelism: 1, Delay: 10e9},
  EndpointSpec: {Ports: [{TargetPort: 80, PublishedPort: 8080, PublishMode: 'host', Protocol: ''}]},
})

/** `desired` as a 20.10 engine keeps it after /services/create. */
const stored = (): ServiceSpec => {
  const s = desired() as any
  s.TaskTemplate.ContainerSpec.Privileges = {CredentialSpec: null, SELinuxContext: null}
  s.TaskTemplate.ContainerSpec.Isolation = 'default'
  s.TaskTemplate.ContainerSpec.Secrets.reverse()
  s.TaskTemplate.Networks[0].Target = 'netid1'
  s.TaskTemplate.ForceUpdate = 3
  s.TaskTemplate.Runtime = 'container'
  s.TaskTemplate.Resources = {}
  s.TaskTemplate.Placement = {}
  s.Mode = {Replicated: {Replicas: 1}}
  s.UpdateConfig = {Parallelism: 1, Delay: 10e9, FailureAction: 'pause', MaxFailureRatio: 0, Order: 'stop-first'}
  s.EndpointSpec = {Mode: 'vip', Ports: [{Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host'}]}
  return s
}
const names = (id: string) => ({netid1: 's_default'})[id] ?? id

describe('swarm: comparing service specs', () => {
  it('sees no change between what a deploy sends and what the engine kept of it', () => {
    assert.ok(sameSpec(desired(), stored(), names), specDifferences(desired(), stored(), names).join(', '))
  })

  it('sees a changed image, replica count, secret ID or label', () => {
    const cases: Array<[string, (s: any) => void]> = [
      ['TaskTemplate.ContainerSpec.Image', (s) => (s.TaskTemplate.ContainerSpec.Image = 'busybox:1')],
      ['Mode.Replicated.Replicas', (s) => (s.Mode = {Replicated: {Replicas: 2}})],
      ['TaskTemplate.ContainerSpec.Secrets', (s) => (s.TaskTemplate.ContainerSpec.Secrets[0].SecretID = 'other')],
      ['Labels.x', (s) => (s.Labels.x = 'y')],
    ]
    for (const [path, change] of cases) {
      const current = stored()
      change(current)
      assert.equal(sameSpec(desired(), current, names), false, path)
      assert.deepEqual(specDifferences(desired(), current, names), [path])
    }
  })

  it('keeps the zeros that mean something: replicas 0, init false, parallelism 0, a global mode', () => {
    const zero = desired()
    zero.Mode = {Replicated: {Replicas: 0}}
    assert.equal(sameSpec(zero, stored(), names), false, 'replicas 0 is not the default 1')
    const noInit = desired()
    noInit.TaskTemplate.ContainerSpec.Init = false
    assert.equal(sameSpec(noInit, stored(), names), false, 'init: false overrides the daemon default')
    const allAtOnce = desired()
    allAtOnce.UpdateConfig!.Parallelism = 0
    assert.equal(sameSpec(allAtOnce, stored(), names), false)
    const global = desired()
    global.Mode = {Global: {}}
    assert.deepEqual(specDifferences(global, stored(), names), ['Mode.Global', 'Mode.Replicated'])
  })

  it('does not count the order of extra hosts (a stack docker made keeps file order) as a change', () => {
    const mine = desired()
    mine.TaskTemplate.ContainerSpec.Hosts = ['10.0.0.11 cache', '10.0.0.10 db']
    const docker = stored()
    docker.TaskTemplate.ContainerSpec.Hosts = ['10.0.0.10 db', '10.0.0.11 cache']
    assert.ok(sameSpec(mine, docker, names))
  })

  it('does not count a forced update (ForceUpdate) as a change', () => {
    const current = stored()
    current.TaskTemplate.ForceUpdate = 9
    assert.ok(sameSpec(desired(), current, names))
  })
})
