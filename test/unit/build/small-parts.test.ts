import {strict as assert} from 'node:assert'
import {stepKey} from '../../../src/build/cache.js'
import {resolveChown, needsLookup} from '../../../src/build/owner.js'
import {invalidTagReason} from '../../../src/build/tags.js'
import {planServiceBuilds} from '../../../src/build/compose.js'
import {copyIntoVolume, neededStages} from '../../../src/build/executor.js'
import {parseDockerfile, targetStage} from '../../../src/build/dockerfile/index.js'
import {createVariables} from '../../../src/build/steps.js'
import {plainProgress} from '../../../src/build/progress.js'
import {parseSize} from '../../../src/build/prune.js'
import {setEnv, envToMap} from '../../../src/build/image-config.js'
import type {Project} from '../../../src/compose/types.js'

describe('build: cache keys', () => {
  it('chain the previous key, the text, the args and the digest', () => {
    const base = stepKey('sha256:base', 'RUN make', ['A=1'])
    assert.match(base, /^sha256:[0-9a-f]{64}$/)
    assert.equal(stepKey('sha256:base', 'RUN make', ['A=1']), base)
    assert.notEqual(stepKey('sha256:other', 'RUN make', ['A=1']), base)
    assert.notEqual(stepKey('sha256:base', 'RUN make all', ['A=1']), base)
    assert.notEqual(stepKey('sha256:base', 'RUN make', ['A=2']), base)
    assert.notEqual(stepKey('sha256:base', 'RUN make', []), base)
    assert.notEqual(stepKey('sha256:base', 'RUN make', ['A=1'], 'digest'), base)
  })
})

describe('build: --chown', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n'
  const group = 'root:x:0:\napp:x:1001:\nstaff:x:50:\n'
  it('numbers need no lookup; a lone user id is also the group id', () => {
    assert.equal(needsLookup('1000:1000'), false)
    assert.equal(needsLookup('app'), true)
    assert.deepEqual(resolveChown('1000', undefined, undefined), {uid: 1000, gid: 1000})
    assert.deepEqual(resolveChown('10:20', undefined, undefined), {uid: 10, gid: 20})
  })
  it('names come from /etc/passwd and /etc/group', () => {
    assert.deepEqual(resolveChown('app:staff', passwd, group), {uid: 1000, gid: 50})
    assert.deepEqual(resolveChown('app', passwd, group), {uid: 1000, gid: 1000})
    assert.deepEqual(resolveChown('0:app', passwd, group), {uid: 0, gid: 1001})
    assert.throws(() => resolveChown('ghost', passwd, group), /unable to find user ghost/)
    assert.throws(() => resolveChown('app:ghosts', passwd, group), /unable to find group ghosts/)
  })
})

describe('build: tags', () => {
  for (const ok of ['app', 'app:1.0', 'team/app:dev', 'localhost:5000/team/app:v2', 'registry.example.com/a/b_c__d-e:latest', 'a.b']) {
    it(`accepts ${ok}`, () => assert.equal(invalidTagReason(ok), undefined))
  }
  for (const [bad, re] of [['App', /lowercase/], ['app:', /tag must be/], ['app:-x', /tag must be/], ['a//b', /empty path/], ['app@sha256:abc', /digest/], ['a_-b', /bad repository name/]] as const) {
    it(`rejects ${bad}`, () => assert.match(invalidTagReason(bad) ?? '', re))
  }
})

describe('build: stages a target needs', () => {
  const df = parseDockerfile([
    'ARG SRC=deps',
    'FROM busybox AS deps',
    'FROM busybox AS unused',
    'FROM deps AS build',
    'COPY --from=${SRC} /a /a',
    'FROM busybox AS other',
    'FROM busybox',
    'COPY --from=build /a /a',
    'COPY --from=other /b /b',
    'COPY --from=busybox:1 /c /c',
  ].join('\n'))
  const vars = createVariables(df, {})
  it('follows FROM <stage> and COPY --from (with global args), skipping the rest', () => {
    assert.deepEqual([...neededStages(df, targetStage(df), vars)].sort(), [0, 2, 3, 4])
    assert.deepEqual([...neededStages(df, targetStage(df, 'build'), vars)].sort(), [0, 2])
    assert.deepEqual([...neededStages(df, targetStage(df, 'unused'), vars)], [1])
  })
})

describe('build: Compose services', () => {
  const project = {
    name: 'demo',
    workingDir: '/p',
    services: {
      web: {name: 'web', build: {context: '/p/web', args: {A: '1', FROM_ENV: null}, tags: ['demo/web:extra']}},
      worker: {name: 'worker', image: 'demo/worker:1', build: {context: '/p/web', args: {A: '1', FROM_ENV: null}}},
      api: {name: 'api', build: {context: '/p/api', target: 'prod', network: 'host'}},
      db: {name: 'db', image: 'postgres'},
    },
  } as unknown as Project
  it('one build per distinct configuration, tagged for every service that shares it', () => {
    process.env.FROM_ENV = 'env-value'
    const builds = planServiceBuilds(project, [])
    delete process.env.FROM_ENV
    assert.deepEqual(builds.map((b) => [b.services, b.options.tags, b.options.args]), [
      [['api'], ['demo-api'], {}],
      [['web', 'worker'], ['demo-web', 'demo/web:extra', 'demo/worker:1'], {A: '1', FROM_ENV: 'env-value'}],
    ])
  })
  it('selected services only; unknown names and unsupported networks are errors', () => {
    assert.deepEqual(planServiceBuilds(project, ['db']), [])
    assert.throws(() => planServiceBuilds(project, ['nope']), /no such service: nope/)
    const bad = {...project, services: {x: {name: 'x', build: {context: '/p', network: 'mynet'}}}} as unknown as Project
    assert.throws(() => planServiceBuilds(bad, []), /build.network "mynet" is not supported/)
  })
  it('build.network, extra_hosts and shm_size reach the RUN steps', () => {
    const p = {...project, services: {x: {name: 'x', build: {context: '/p', network: 'none', extra_hosts: {db: ['10.0.0.5']}, shm_size: '64m'}}}} as unknown as Project
    const [x] = planServiceBuilds(p, [])
    assert.equal(x.options.network, 'none')
    assert.deepEqual(x.options.extraHosts, ['db:10.0.0.5'])
    assert.equal(x.options.shmSize, 64 * 1024 * 1024)
  })
  it('--no-cache, --pull and --build-arg override the file', () => {
    const [api] = planServiceBuilds(project, ['api'], {noCache: true, pull: true, args: {X: 'y'}})
    assert.equal(api.options.noCache, true)
    assert.equal(api.options.pull, true)
    assert.deepEqual(api.options.args, {X: 'y'})
  })
})

describe('build: small helpers', () => {
  it('plain progress: steps, CACHED, durations, RUN output indented, folded steps silent', () => {
    const lines: string[] = []
    const p = plainProgress((l) => lines.push(l))
    const a = {label: '[s 2/3]', text: 'ENV A=1'}
    const b = {label: '[s 3/3]', text: 'RUN make'}
    p.stepCached!({label: '[s 1/3]', text: 'COPY . /'})
    p.stepStarted!(a)
    p.stepStarted!(b)
    p.output!(b, 'one\ntw')
    p.output!(b, 'o\n')
    p.stepDone!(a, 0)
    p.stepDone!(b, 1500)
    assert.deepEqual(lines, ['[s 1/3] COPY . /  CACHED', '[s 2/3] ENV A=1', '[s 3/3] RUN make', '  one', '  two', '[s 3/3] done in 1.5s'])
  })
  it('sizes for --keep-storage', () => {
    assert.equal(parseSize('500MB'), 500e6)
    assert.equal(parseSize('2GB'), 2e9)
    assert.equal(parseSize('1.5g'), 1.5e9)
    assert.equal(parseSize('1024'), 1024)
    assert.throws(() => parseSize('lots'), /invalid size/)
  })
  it('Env lists keep positions when a variable is set again', () => {
    assert.deepEqual(setEnv(['PATH=/bin', 'A=1'], 'PATH', '/usr/bin'), ['PATH=/usr/bin', 'A=1'])
    assert.deepEqual(setEnv(null, 'A', 'x=y'), ['A=x=y'])
    assert.deepEqual([...envToMap(['A=1', 'B', 'C=x=y'])], [['A', '1'], ['B', ''], ['C', 'x=y']])
  })
})

describe('build: COPY into a declared volume', () => {
  it('the destination in a volume, or files copied into a volume below the destination', () => {
    assert.equal(copyIntoVolume('/data/', ['/data/a.txt'], ['/data']), true)
    assert.equal(copyIntoVolume('/data', ['/data'], ['/data']), true)
    assert.equal(copyIntoVolume('/data/sub/x.txt', ['/data/sub/x.txt'], ['/data']), true)
    assert.equal(copyIntoVolume('/database/', ['/database/a'], ['/data']), false)
    assert.equal(copyIntoVolume('/srv/', ['/srv/a'], ['/data', '/var/lib']), false)
    // COPY . / with a volume at /data: only when something lands in it.
    assert.equal(copyIntoVolume('/', ['/app', '/app/x'], ['/data']), false)
    assert.equal(copyIntoVolume('/', ['/app', '/data', '/data/x'], ['/data']), true)
    // COPY --from: the files are not known, so a volume below the destination counts.
    assert.equal(copyIntoVolume('/', undefined, ['/data']), true)
    assert.equal(copyIntoVolume('/srv', undefined, ['/data']), false)
    assert.equal(copyIntoVolume('/srv', [], ['/']), true)
    assert.equal(copyIntoVolume('/srv', ['/srv'], []), false)
  })
})
