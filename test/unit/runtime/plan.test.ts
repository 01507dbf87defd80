import {strict as assert} from 'node:assert'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {BerthError} from '../../../src/errors.js'
import {LABEL} from '../../../src/runtime/labels.js'
import {dependencyLevels, formatPlan, isTemporaryName, planDown, planImages, planUp, selectServices, temporaryName, type Plan} from '../../../src/runtime/plan.js'
import {containerFor, emptyObserved, project, withImage, withNetwork, withVolume} from './fixtures.js'

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/runtime/plans')

/** Compares a plan's text with fixtures/runtime/plans/<name>.txt (UPDATE_GOLDEN=1 rewrites it). */
function golden(name: string, plan: Plan): void {
  const file = join(GOLDEN, `${name}.txt`)
  const text = formatPlan(plan)
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(GOLDEN, {recursive: true})
    writeFileSync(file, text)
  }
  assert.equal(text, readFileSync(file, 'utf8'))
}

/** web -> backend (healthy, restart: true) -> db; a named volume on db; a port on web. */
function demo(mode = 'prod') {
  return project(
    'demo',
    {
      db: {image: 'busybox', volumes: [{type: 'volume', source: 'data', target: '/data'}]},
      backend: {image: 'busybox', environment: {MODE: mode}, depends_on: {db: {condition: 'service_started', required: true}}, healthcheck: {test: ['CMD', 'true']}},
      web: {image: 'busybox', ports: [{mode: 'ingress', target: 80, published: '8080', protocol: 'tcp'}], depends_on: {backend: {condition: 'service_healthy', required: true, restart: true}}},
    },
    {volumes: {data: {name: 'demo_data'}}},
  )
}

function running(p = demo()) {
  const o = withImage(withVolume(withNetwork(emptyObserved('demo'), 'demo_default', 'demo'), 'demo_data', 'demo', 'data'), 'busybox:latest')
  o.containers.push(containerFor(p, 'db', 1), containerFor(p, 'backend', 1), containerFor(p, 'web', 1))
  return o
}

describe('runtime/plan: up', () => {
  it('creates network, volume and containers in dependency order on a fresh engine', () => {
    golden('up-fresh', planUp(demo(), withImage(emptyObserved('demo'), 'busybox:latest')))
  })

  it('does nothing when everything is up to date (no create, stop or start)', () => {
    const plan = planUp(demo(), running())
    assert.deepEqual(plan.operations, [])
    golden('up-nothing-to-do', plan)
  })

  it('recreates a changed service naming the field, and restarts dependents with restart: true', () => {
    const plan = planUp(demo('debug'), running(demo('prod')))
    assert.deepEqual(plan.operations.map((o) => `${o.kind} ${'name' in o ? o.name : ''}`), ['recreate-container demo-backend-1', 'restart-container demo-web-1'])
    assert.equal(plan.operations[0].cause, 'config changed (environment.MODE)')
    golden('up-env-changed', plan)
  })

  it('recreates when the image ID changed', () => {
    const o = running()
    o.images[0].id = 'sha256:bbbbbbbbbbbbbbbbbbbb'
    const plan = planUp(demo(), o)
    assert.equal(plan.operations.filter((op) => op.kind === 'recreate-container').length, 3)
    assert.match(plan.operations[0].cause, /^image changed \(aaaa -> bbbbbbbbbbbb\)$/)
  })

  it('tidies what a killed recreate left: a twin under a temporary name goes, a lone one gets its name back', () => {
    const p = demo()
    const o = running()
    const backend = o.containers[1]
    // Killed after creating the replacement: both exist; the properly named one stays.
    o.containers.unshift(containerFor(p, 'backend', 1, 'created', {id: 'beef'.padEnd(64, '1'), name: temporaryName(backend.id, 'demo-backend-1')}))
    // Killed after removing the old one: only the replacement, stopped, under its temporary name.
    const web = o.containers.pop()!
    const replacement = containerFor(p, 'web', 1, 'exited', {id: 'c0ffee'.padEnd(64, '0'), name: temporaryName(web.id, 'demo-web-1')})
    o.containers.push(replacement)
    const plan = planUp(p, o)
    assert.deepEqual(plan.operations.map((op) => [op.kind, 'name' in op ? op.name : '']), [
      ['remove-container', temporaryName(backend.id, 'demo-backend-1')],
      ['rename-container', 'demo-web-1'],
    ])
    assert.deepEqual(plan.operations[1], {kind: 'rename-container', service: 'web', number: 1, name: 'demo-web-1', id: replacement.id, from: temporaryName(web.id, 'demo-web-1'), start: true, cause: `left as ${temporaryName(web.id, 'demo-web-1')} by an interrupted recreate (exited)`})
    golden('up-interrupted-recreate', plan)
  })

  it('recreates a replacement left under a temporary name when its config is outdated', () => {
    const o = running(demo('prod'))
    const backend = o.containers[1]
    backend.name = temporaryName('f'.repeat(64), 'demo-backend-1')
    const plan = planUp(demo('debug'), o)
    assert.deepEqual(plan.operations.map((op) => [op.kind, 'name' in op ? op.name : '']), [['recreate-container', 'demo-backend-1'], ['restart-container', 'demo-web-1']])
  })

  it('a temporary name is the old ID\'s first 12 hex digits, an underscore and the proper name', () => {
    assert.equal(temporaryName(`sha256:${'ab'.repeat(32)}`, 'demo-web-1'), 'abababababab_demo-web-1')
    assert.ok(isTemporaryName('abababababab_demo-web-1', 'demo-web-1'))
    assert.ok(!isTemporaryName('demo-web-1', 'demo-web-1'))
    assert.ok(!isTemporaryName('xyz_demo-web-1', 'demo-web-1'))
    assert.ok(!isTemporaryName('abababababab_demo-web-10', 'demo-web-1'))
  })

  it('--force-recreate recreates everything; --no-recreate never does', () => {
    assert.equal(planUp(demo(), running(), {forceRecreate: true}).operations.filter((o) => o.kind === 'recreate-container').length, 3)
    assert.deepEqual(planUp(demo('debug'), running(demo('prod')), {noRecreate: true}).operations, [])
  })

  it('starts stopped containers', () => {
    const o = running()
    o.containers[2].state = 'exited'
    golden('up-start-exited', planUp(demo(), o))
  })

  it('scales up and down (highest numbers removed first)', () => {
    golden('up-scale-up', planUp(demo(), running(), {scale: {web: 3}}))
    const o = running()
    o.containers.push(containerFor(demo(), 'web', 2), containerFor(demo(), 'web', 3))
    golden('up-scale-down', planUp(demo(), o, {scale: {web: 1}}))
  })

  it('warns about orphans, and removes them with --remove-orphans', () => {
    const o = running()
    o.containers.push(containerFor(demo(), 'old', 1))
    const kept = planUp(demo(), o)
    assert.deepEqual(kept.operations, [])
    assert.match(kept.warnings[0], /orphan containers \(demo-old-1\).*--remove-orphans/)
    golden('up-remove-orphans', planUp(demo(), o, {removeOrphans: true}))
  })

  it('acts on named services and their dependencies only (unless --no-deps)', () => {
    assert.deepEqual(selectServices(demo(), ['backend']).sort(), ['backend', 'db'])
    assert.deepEqual(selectServices(demo(), ['backend'], true), ['backend'])
    assert.throws(() => selectServices(demo(), ['nope']), /no such service: nope/)
    const plan = planUp(demo(), withImage(emptyObserved('demo'), 'busybox:latest'), {services: ['backend']})
    assert.deepEqual(plan.operations.map((o) => ('name' in o ? o.name : '')), ['demo_default', 'demo_data', 'demo-db-1', 'demo-backend-1'])
  })

  it('refuses a missing external network before touching anything', () => {
    const p = demo()
    p.networks.default = {name: 'shared', external: true}
    assert.throws(() => planUp(p, running()), (e: unknown) => e instanceof BerthError && e.code === 'NETWORK_NOT_FOUND')
  })

  it('refuses scale > 1 with container_name', () => {
    const p = demo()
    p.services.web.container_name = 'front'
    assert.throws(() => planUp(p, running(), {scale: {web: 2}}), /container_name "front", so it cannot have 2 containers/)
  })

  it('orders services in dependency levels and names a cycle', () => {
    assert.deepEqual(dependencyLevels(demo().services), [['db'], ['backend'], ['web']])
    const p = project('x', {a: {image: 'i', depends_on: {b: {condition: 'service_started', required: true}}}, b: {image: 'i', depends_on: {a: {condition: 'service_started', required: true}}}})
    assert.throws(() => dependencyLevels(p.services), /dependency cycle between services: a, b/)
  })
})

describe('runtime/plan: images', () => {
  it('pulls missing images once, builds build-only services, refuses --pull never', () => {
    const p = project('demo', {a: {image: 'busybox'}, b: {image: 'busybox'}, c: {image: 'alpine:3'}, d: {build: {context: '/srv/app'}}})
    golden('images-missing', planImages(p, withImage(emptyObserved('demo'), 'alpine:3'), {}))
    assert.deepEqual(planImages(p, withImage(withImage(emptyObserved('demo'), 'busybox:latest'), 'alpine:3'), {}).operations.map((o) => o.kind), ['build-image'])
    assert.throws(() => planImages(p, emptyObserved('demo'), {pull: 'never'}), /service "a": image "busybox" is not present locally/)
    assert.equal(planImages(p, withImage(emptyObserved('demo'), 'demo-d:latest'), {build: true, pull: 'never', services: ['d']}).operations[0].cause, '--build')
  })
})

describe('runtime/plan: down', () => {
  it('removes containers in reverse dependency order, then networks; keeps volumes without -v', () => {
    const plan = planDown(demo(), 'demo', running())
    assert.deepEqual(plan.warnings, ['kept volumes: demo_data (remove them with down -v)'])
    golden('down', plan)
  })

  it('removes the project volumes with -v, never external ones', () => {
    const p = demo()
    const o = running()
    p.volumes.ext = {name: 'keepme', external: true}
    o.volumes.set('keepme', {name: 'keepme', labels: {}})
    golden('down-volumes', planDown(p, 'demo', o, {volumes: true}))
  })

  it('works from labels alone (no Compose file), ordering by depends_on labels', () => {
    const o = running()
    o.containers.find((c) => c.service === 'web')!.labels[LABEL.dependsOn] = 'backend:service_healthy:true'
    o.containers.find((c) => c.service === 'backend')!.labels[LABEL.dependsOn] = 'db:service_started:false'
    const plan = planDown(undefined, 'demo', o, {volumes: true})
    assert.deepEqual(plan.operations.map((op) => ('name' in op ? op.name : '')), ['demo-web-1', 'demo-backend-1', 'demo-db-1', 'demo_default', 'demo_data'])
  })

  it('leaves orphans unless --remove-orphans', () => {
    const o = running()
    o.containers.push(containerFor(demo(), 'old', 1))
    assert.ok(!planDown(demo(), 'demo', o).operations.some((op) => 'name' in op && op.name === 'demo-old-1'))
    assert.ok(planDown(demo(), 'demo', o, {removeOrphans: true}).operations.some((op) => 'name' in op && op.name === 'demo-old-1'))
  })
})
