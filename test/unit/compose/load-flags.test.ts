/**
 * The loader options behind `config --no-path-resolution`, `--no-env-resolution` and
 * `--no-consistency`: what each keeps as written or lets through, and that the default load is
 * untouched by them.
 */
import {strict as assert} from 'node:assert'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {loadProject} from '../../../src/compose/load.js'
import type {Project} from '../../../src/compose/types.js'
import {BerthError} from '../../../src/errors.js'

const dirs: string[] = []

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-load-flags-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), {recursive: true})
    writeFileSync(join(dir, name), text)
  }
  return dir
}

async function load(dir: string, options: Parameters<typeof loadProject>[0] = {}): Promise<Project> {
  const result = await loadProject({cwd: dir, env: {HOME: '/home/someone', PASSED: 'p'}, ...options})
  assert.ok(result.project)
  return result.project
}

const sources = (p: Project, service: string) => (p.services[service].volumes ?? []).map((v) => v.source)

describe('compose/load: config --no-path-resolution', () => {
  after(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
  })

  const files = {
    'compose.yaml': [
      'services:',
      '  web:',
      '    image: busybox',
      '    build: .',
      '    volumes: ["./data:/data", "~/cache:/cache", "/abs:/abs"]',
      '    secrets: [token]',
      '  child:',
      '    image: busybox',
      '    extends: {file: sub/base.yaml, service: base}',
      'secrets:',
      '  token: {file: ./token.txt}',
      '',
    ].join('\n'),
    'sub/base.yaml': 'services:\n  base:\n    extends: {file: ../deep/c.yaml, service: c}\n    build: {context: .}\n    volumes: ["./x:/x", "../y:/y"]\n',
    'deep/c.yaml': 'services:\n  c:\n    volumes: ["./cx:/cx", "/z:/z"]\n',
  }

  it('keeps the project\'s own paths as written, ~ included', async () => {
    const dir = project(files)
    const p = await load(dir, {resolvePaths: false})
    assert.deepEqual(sources(p, 'web'), ['./data', '~/cache', '/abs'])
    assert.equal(p.services.web.build?.context, '.')
    assert.equal((p.secrets.token as {file?: string}).file, './token.txt')
  })

  it('writes paths taken from other directories by extends relative to the project directory, at any depth', async () => {
    const p = await load(project(files), {resolvePaths: false})
    assert.deepEqual(sources(p, 'child'), ['deep/cx', '/z', 'sub/x', 'y'])
    assert.equal(p.services.child.build?.context, 'sub')
  })

  it('changes nothing by default: every path absolute, ~ expanded', async () => {
    const dir = project(files)
    const p = await load(dir)
    assert.deepEqual(sources(p, 'web'), [join(dir, 'data'), '/home/someone/cache', '/abs'])
    assert.deepEqual(sources(p, 'child'), [join(dir, 'deep/cx'), '/z', join(dir, 'sub/x'), join(dir, 'y')])
    assert.equal(p.services.web.build?.context, dir)
  })

  it('rebases an included project\'s paths onto the project directory', async () => {
    const dir = project({
      'compose.yaml': 'include: [inc/compose.yaml]\nservices:\n  web:\n    image: busybox\n',
      'inc/compose.yaml': 'services:\n  inc:\n    image: busybox\n    build: ./ctx\n    volumes: ["./d:/d"]\n',
    })
    const p = await load(dir, {resolvePaths: false})
    assert.deepEqual(sources(p, 'inc'), ['inc/d'])
    assert.equal(p.services.inc.build?.context, 'inc/ctx')
  })

  it('still reads env and label files where they are', async () => {
    const dir = project({
      'compose.yaml': 'services:\n  web:\n    image: busybox\n    env_file: ./web.env\n    label_file: ./labels.env\n',
      'web.env': 'FROM_FILE=1\n',
      'labels.env': 'a.label=x\n',
    })
    const p = await load(dir, {resolvePaths: false})
    assert.equal(p.services.web.environment?.FROM_FILE, '1')
    assert.equal(p.services.web.labels?.['a.label'], 'x')
    assert.deepEqual((p.services.web as unknown as {label_file: string[]}).label_file, ['./labels.env'])
  })
})

describe('compose/load: config --no-env-resolution', () => {
  after(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
  })

  const files = {
    'compose.yaml': [
      'services:',
      '  web:',
      '    image: busybox',
      '    environment: [PASSED, OWN=1]',
      '    env_file:',
      '      - ./web.env',
      '      - {path: ./optional.env, required: false}',
      '      - {path: ./raw.env, format: raw, required: true}',
      '      - ./missing.env',
      '',
    ].join('\n'),
    'web.env': 'FROM_FILE=1\n',
    'raw.env': 'RAW=1\n',
  }

  it('keeps env_file as a list of {path, required: false, format} and reads none of them', async () => {
    const dir = project(files)
    const p = await load(dir, {resolveEnvFiles: false})
    assert.deepEqual(p.services.web.environment, {PASSED: 'p', OWN: '1'})
    assert.deepEqual(p.services.web.env_file, [
      {path: join(dir, 'web.env')},
      {path: join(dir, 'optional.env'), required: false},
      {path: join(dir, 'raw.env'), format: 'raw'},
      {path: join(dir, 'missing.env')},
    ])
  })

  it('with --no-path-resolution too, the paths are as written', async () => {
    const p = await load(project(files), {resolveEnvFiles: false, resolvePaths: false})
    assert.deepEqual(p.services.web.env_file?.map((e) => e.path), ['./web.env', './optional.env', './raw.env', './missing.env'])
  })

  it('by default a missing required env file is an error', async () => {
    await assert.rejects(load(project(files)), (error: unknown) => error instanceof BerthError && /env file .*missing\.env not found/.test(error.message))
  })
})

describe('compose/load: config --no-consistency', () => {
  after(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
  })

  const models: Array<[string, string, RegExp]> = [
    ['an undefined dependency', 'services:\n  web:\n    image: busybox\n    depends_on: [ghost]\n', /undefined service "ghost"/],
    ['an undefined network', 'services:\n  web:\n    image: busybox\n    networks: [nope]\n', /undefined network "nope"/],
    ['a cycle', 'services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n', /cycle/],
    ['a duplicate container_name', 'services:\n  a:\n    image: busybox\n    container_name: same\n  b:\n    image: busybox\n    container_name: same\n', /container_name/],
    ['cpus twice, disagreeing', 'services:\n  web:\n    image: busybox\n    cpus: 1\n    deploy: {resources: {limits: {cpus: 2}}}\n', /differ/],
  ]
  for (const [name, yaml, message] of models) {
    it(`lets ${name} through (an error by default)`, async () => {
      const dir = project({'compose.yaml': yaml})
      await assert.rejects(load(dir), (error: unknown) => error instanceof BerthError && message.test(error.message))
      const p = await load(dir, {consistency: false})
      assert.ok(Object.keys(p.services).length > 0)
    })
  }

  it('keeps what was written: the undefined dependency is still listed', async () => {
    const p = await load(project({'compose.yaml': models[0][1]}), {consistency: false})
    assert.deepEqual(Object.keys(p.services.web.depends_on ?? {}), ['ghost'])
  })
})
