/**
 * planUp with the flags of the up family (compose v5's behaviour, checked against the binary):
 * --force-recreate and -V act on the named services, --always-recreate-deps on what they pull in,
 * --no-start (create) never starts, --scale with named services (the scale command).
 */
import {strict as assert} from 'node:assert'
import {describe as describeOp, formatPlan, planUp, type Operation, type Plan} from '../../../src/runtime/plan.js'
import {containerFor, emptyObserved, project, withImage, withNetwork} from './fixtures.js'

const dep = (condition: 'service_started' = 'service_started') => ({condition, required: true})

/** web -> api -> db, all running as up left them; a stopped tool. */
function chain(env: Record<string, string> = {}) {
  return project('demo', {
    db: {image: 'busybox', volumes: [{type: 'volume', target: '/data'}]},
    api: {image: 'busybox', environment: env, depends_on: {db: dep()}},
    web: {image: 'busybox', depends_on: {api: dep()}},
  })
}

function observed(p = chain()) {
  const o = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
  o.containers.push(containerFor(p, 'db', 1), containerFor(p, 'api', 1), containerFor(p, 'web', 1))
  return o
}

const ops = (plan: Plan) => plan.operations.map((op: Operation) => `${op.kind} ${'name' in op ? op.name : ''}: ${op.cause}`)

describe('runtime/plan: recreate flags of up and create', () => {
  it('--force-recreate with a named service recreates that one only; its dependencies stay', () => {
    assert.deepEqual(ops(planUp(chain(), observed(), {services: ['web'], forceRecreate: true})), ['recreate-container demo-web-1: --force-recreate'])
    // Nothing named: every service is named.
    assert.equal(planUp(chain(), observed(), {forceRecreate: true}).operations.length, 3)
  })

  it('--always-recreate-deps recreates what the named services pull in, not the named ones', () => {
    assert.deepEqual(ops(planUp(chain(), observed(), {services: ['web'], alwaysRecreateDeps: true})), [
      'recreate-container demo-db-1: --always-recreate-deps',
      'recreate-container demo-api-1: --always-recreate-deps',
    ])
    // With both, everything goes, each for its own reason.
    assert.deepEqual(ops(planUp(chain(), observed(), {services: ['api'], alwaysRecreateDeps: true, forceRecreate: true})), [
      'recreate-container demo-db-1: --always-recreate-deps',
      'recreate-container demo-api-1: --force-recreate',
    ])
  })

  it('--always-recreate-deps does nothing when every service is named, or with --no-deps', () => {
    assert.deepEqual(planUp(chain(), observed(), {alwaysRecreateDeps: true}).operations, [])
    assert.deepEqual(planUp(chain(), observed(), {services: ['web'], noDeps: true, alwaysRecreateDeps: true}).operations, [])
  })

  it('a dependency that changed is still recreated without --always-recreate-deps', () => {
    assert.deepEqual(ops(planUp(chain({MODE: 'b'}), observed(chain({MODE: 'a'})), {services: ['web']})), ['recreate-container demo-api-1: config changed (environment.MODE)'])
  })

  it('-V recreates the named services with new anonymous volumes, and any other recreate gets new ones too', () => {
    const plan = planUp(chain(), observed(), {services: ['db'], renewAnonVolumes: true})
    assert.deepEqual(ops(plan), ['recreate-container demo-db-1: --renew-anon-volumes'])
    const op = plan.operations[0] as Extract<Operation, {kind: 'recreate-container'}>
    assert.equal(op.renewVolumes, true)
    assert.equal(describeOp(op).action, 'recreate, new anonymous volumes')
    assert.equal(formatPlan(plan), '#1 container:demo-db-1  recreate, new anonymous volumes  --renew-anon-volumes\n')
    // A changed dependency of a named service is recreated for its change, also with new volumes.
    const changed = planUp(chain({MODE: 'b'}), observed(chain({MODE: 'a'})), {services: ['web'], renewAnonVolumes: true})
    assert.deepEqual(changed.operations.map((o) => [o.kind, 'name' in o ? o.name : '', o.kind === 'recreate-container' && o.renewVolumes]), [
      ['recreate-container', 'demo-api-1', true],
      ['recreate-container', 'demo-web-1', true],
    ])
    // Without -V a recreate keeps the old container's volumes.
    assert.equal((planUp(chain(), observed(), {forceRecreate: true}).operations[0] as {renewVolumes?: boolean}).renewVolumes, undefined)
  })

  it('--no-recreate wins over everything that would recreate', () => {
    assert.deepEqual(planUp(chain({MODE: 'b'}), observed(chain({MODE: 'a'})), {noRecreate: true}).operations, [])
  })
})

describe('runtime/plan: create (--no-start) and scale', () => {
  it('create makes every container without starting one, and leaves stopped ones stopped', () => {
    const fresh = withImage(emptyObserved('demo'), 'busybox:latest')
    const plan = planUp(chain(), fresh, {noStart: true})
    assert.deepEqual(plan.operations.map((o) => describeOp(o).action), ['create', 'create', 'create', 'create'])
    assert.deepEqual(plan.operations.map((o) => describeOp(o).resource), ['network:demo_default', 'container:demo-db-1', 'container:demo-api-1', 'container:demo-web-1'])

    const o = observed()
    o.containers[0].state = 'exited'
    assert.deepEqual(planUp(chain(), o, {noStart: true}).operations, [], 'a stopped container is not started')
    // A changed one is recreated and left stopped.
    const changed = planUp(chain({MODE: 'b'}), observed(chain({MODE: 'a'})), {noStart: true})
    assert.deepEqual(changed.operations.map((op) => describeOp(op).action), ['recreate (no start)'])
  })

  it('scale SERVICE=N: adds or removes the highest numbers, starts stopped replicas, brings up dependencies unless --no-deps', () => {
    const p = chain()
    const o = observed(p)
    o.containers.push(containerFor(p, 'api', 2, 'exited'))
    assert.deepEqual(ops(planUp(p, o, {services: ['api'], scale: {api: 3}})), [
      'start-container demo-api-2: exited',
      'create-container demo-api-3: scale api: 2 -> 3',
    ])
    assert.deepEqual(ops(planUp(p, o, {services: ['api'], scale: {api: 1}})), ['remove-container demo-api-2: scale api: 2 -> 1'])
    assert.deepEqual(ops(planUp(p, o, {services: ['api'], scale: {api: 0}})), [
      'remove-container demo-api-2: scale api: 2 -> 0',
      'remove-container demo-api-1: scale api: 2 -> 0',
    ])

    // The dependency is missing: created and started first, unless --no-deps.
    const bare = withImage(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'busybox:latest')
    assert.deepEqual(ops(planUp(p, bare, {services: ['api'], scale: {api: 2}})), [
      'create-container demo-db-1: not found',
      'create-container demo-api-1: not found',
      'create-container demo-api-2: not found',
    ])
    assert.deepEqual(ops(planUp(p, bare, {services: ['api'], scale: {api: 2}, noDeps: true})), ['create-container demo-api-1: not found', 'create-container demo-api-2: not found'])
  })
})
