import {strict as assert} from 'node:assert'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {ServiceConfig} from '../../../src/compose/types.js'
import {Batcher} from '../../../src/runtime/watch/batcher.js'
import {hookArgv} from '../../../src/runtime/watch/exec.js'
import {isIgnoredAnywhere, matchRule, planBatch, watchRules, WatchConfigError} from '../../../src/runtime/watch/rules.js'
import {splitMappings} from '../../../src/runtime/watch/sync.js'
import {project} from './fixtures.js'

const web = (watch: unknown[], extra: Partial<ServiceConfig> = {}): Omit<ServiceConfig, 'name'> => ({image: 'busybox', develop: {watch}, ...extra}) as Omit<ServiceConfig, 'name'>

describe('runtime/watch rules', () => {
  const p = project('demo', {
    web: web([
      {path: '/srv/app/src', action: 'sync', target: '/app', ignore: ['node_modules/', '*.log']},
      {path: '/srv/app/package.json', action: 'rebuild'},
      {path: '/srv/app/conf', action: 'sync+restart', target: '/etc/app', include: ['*.conf']},
      {path: '/srv/app/hooks', action: 'sync+exec', target: '/hooks', exec: {command: 'reload'}},
    ], {build: {context: '/srv/app'}}),
    db: web([{path: '/srv/app/db.conf', action: 'restart'}]),
    plain: {image: 'busybox'},
  })
  const rules = watchRules(p, ['web', 'db', 'plain'], (s) => (s.build ? {base: s.build.context, text: 'src/generated\n*.bak\n'} : undefined))

  it('maps a changed path under a sync rule to the container path', () => {
    assert.deepEqual(matchRule(rules[0], '/srv/app/src/lib/a.js'), {hostPath: '/srv/app/src/lib/a.js', containerPath: '/app/lib/a.js'})
    assert.deepEqual(matchRule(rules[0], '/srv/app/src'), {hostPath: '/srv/app/src', containerPath: '/app'})
    assert.equal(matchRule(rules[0], '/srv/app/srcx/a.js'), undefined, 'a sibling with the same prefix is not below')
    assert.equal(matchRule(rules[0], '/srv/other/a.js'), undefined)
  })

  it('ignore: patterns relative to the rule path, the .dockerignore of the build context, .git and editor files', () => {
    assert.equal(matchRule(rules[0], '/srv/app/src/node_modules/x/index.js'), undefined)
    assert.equal(matchRule(rules[0], '/srv/app/src/debug.log'), undefined)
    assert.ok(matchRule(rules[0], '/srv/app/src/deep/debug.log'), 'a pattern without ** matches at the top only, as in .dockerignore')
    assert.equal(matchRule(rules[0], '/srv/app/src/generated/x.js'), undefined, 'the context .dockerignore is relative to the context')
    assert.ok(matchRule(rules[0], '/srv/app/src/a.js.bak'), '*.bak in the context root does not reach src/')
    assert.equal(matchRule(rules[0], '/srv/app/src/.git/HEAD'), undefined)
    for (const f of ['.a.js.swp', 'a.js~', '4913', '.#a.js', 'x___jb_tmp___']) assert.equal(matchRule(rules[0], `/srv/app/src/${f}`), undefined, f)
    assert.equal(isIgnoredAnywhere('/srv/app/src/a.js'), false)
  })

  it('include: only matching paths', () => {
    assert.ok(matchRule(rules[2], '/srv/app/conf/nginx.conf'))
    assert.equal(matchRule(rules[2], '/srv/app/conf/readme.md'), undefined)
  })

  it('plans a batch: sync per service (deduplicated), restart, exec once per rule, rebuild', () => {
    const plan = planBatch(rules, ['/srv/app/src/a.js', '/srv/app/src/a.js', '/srv/app/conf/x.conf', '/srv/app/hooks/h', '/srv/app/hooks/i', '/srv/app/db.conf'])
    assert.deepEqual(plan.rebuild, [])
    assert.deepEqual(plan.restart, ['db', 'web'])
    assert.deepEqual(plan.sync.get('web')?.map((m) => m.containerPath), ['/etc/app/x.conf', '/hooks/h', '/hooks/i', '/app/a.js'])
    assert.equal(plan.sync.has('db'), false, 'restart alone syncs nothing')
    assert.deepEqual(plan.exec.get('web')?.map((r) => r.index), [3])
  })

  it('a rebuilt service is neither synced nor restarted in the same batch', () => {
    const plan = planBatch(rules, ['/srv/app/package.json', '/srv/app/src/a.js', '/srv/app/conf/x.conf'])
    assert.deepEqual(plan.rebuild, ['web'])
    assert.deepEqual(plan.restart, [])
    assert.equal(plan.sync.size, 0)
  })

  it('refuses a rebuild rule without build:, and a selection without develop.watch', () => {
    const bad = project('demo', {web: web([{path: '/srv/app', action: 'rebuild'}])})
    assert.throws(() => watchRules(bad, ['web'], () => undefined), (e: unknown) => e instanceof WatchConfigError && /can't watch service "web" with action rebuild without a build context/.test(e.message))
    assert.throws(() => watchRules(p, ['plain'], () => undefined), /none of the selected services is configured for watch/)
  })

  it('skips a sync path that a bind mount already shares, with a warning', () => {
    const bound = project('demo', {
      web: web([{path: '/srv/app/src', action: 'sync', target: '/app'}, {path: '/srv/app/x', action: 'restart'}], {volumes: [{type: 'bind', source: '/srv/app', target: '/app'}]}),
    })
    const warnings: string[] = []
    const r = watchRules(bound, ['web'], () => undefined, (m) => warnings.push(m))
    assert.deepEqual(r.map((x) => x.action), ['restart'])
    assert.deepEqual(warnings, ["path '/srv/app/src' also declared by a bind mount volume, this path won't be monitored!"])
  })

  it('hook commands: a string runs in sh -c, a list as is', () => {
    assert.deepEqual(hookArgv('kill -HUP 1'), ['/bin/sh', '-c', 'kill -HUP 1'])
    assert.deepEqual(hookArgv(['kill', '-HUP', '1']), ['kill', '-HUP', '1'])
  })
})

describe('runtime/watch batcher', () => {
  it('hands on one sorted, deduplicated batch once the quiet period passes', async () => {
    const batches: string[][] = []
    const b = new Batcher((paths) => batches.push(paths), 30)
    b.add('/b')
    b.add('/a')
    await new Promise((r) => setTimeout(r, 10))
    b.add('/b')
    assert.equal(batches.length, 0, 'still within the quiet period')
    await new Promise((r) => setTimeout(r, 60))
    assert.deepEqual(batches, [['/a', '/b']])
    b.add('/c')
    b.close()
    await new Promise((r) => setTimeout(r, 60))
    assert.equal(batches.length, 1, 'closed: nothing more')
  })
})

describe('runtime/watch sync entries', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'berth-watch-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('reads files, directories (with what they hold) and links; missing paths become deletions', async () => {
    mkdirSync(join(dir, 'd/e'), {recursive: true})
    writeFileSync(join(dir, 'd/e/f.txt'), 'f')
    writeFileSync(join(dir, 'a.txt'), 'aa')
    symlinkSync('a.txt', join(dir, 'l'))
    mkdirSync(join(dir, 'd/.git'))
    writeFileSync(join(dir, 'd/.git/HEAD'), 'x')
    const split = await splitMappings([
      {hostPath: join(dir, 'a.txt'), containerPath: '/app/a.txt'},
      {hostPath: join(dir, 'd'), containerPath: '/app/d'},
      {hostPath: join(dir, 'd/e/f.txt'), containerPath: '/app/d/e/f.txt'},
      {hostPath: join(dir, 'l'), containerPath: '/app/l'},
      {hostPath: join(dir, 'gone.txt'), containerPath: '/app/gone.txt'},
      {hostPath: join(dir, 'no-target')},
    ])
    assert.deepEqual(split.entries.map((e) => `${e.header.type} ${e.header.name}`), ['file /app/a.txt', 'directory /app/d', 'directory /app/d/e', 'file /app/d/e/f.txt', 'symlink /app/l'])
    assert.equal(split.entries[0].body?.toString(), 'aa')
    assert.equal(split.entries.at(-1)?.header.linkname, 'a.txt')
    assert.deepEqual(split.deleted, ['/app/gone.txt'])
  })
})
