/**
 * `berth config --no-env-resolution`, `--no-path-resolution` (alone and together) and
 * `--no-consistency` against docker compose v5, on every canonical fixture and on projects written
 * here: extends from other directories (nested), include from a subdirectory, env_file entries of
 * every form (optional, raw, `~`, missing), label_file, and models that only --no-consistency
 * lets through. Both tools see only PATH, HOME and the fixture's variables; the documents are
 * compared as data (key order aside), in JSON and in YAML.
 */
import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'
import ConfigCommand from '../../src/commands/config.js'
import {fixtureEnv, HOME_DIR, listFixtures, ORACLE, oracleAvailable, sortKeys} from '../unit/compose/normalize/fixture-support.js'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

interface Case {
  name: string
  dir: string
  /** Global flags before `config` (-f, --profile). */
  args: string[]
  env: Record<string, string>
}

function oracle(c: Case, args: string[]): string {
  return execFileSync(ORACLE, [...c.args, 'config', ...args], {cwd: c.dir, env: c.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
}

function oracleFails(c: Case, args: string[]): boolean {
  return spawnSync(ORACLE, [...c.args, 'config', ...args], {cwd: c.dir, env: c.env, encoding: 'utf8'}).status !== 0
}

/** `berth config ...` in this process, with exactly this environment and working directory: stdout and exit code. */
async function berth(c: Case, args: string[]): Promise<{out: string; err: string; code: number}> {
  const out: string[] = []
  const err: string[] = []
  const write = process.stdout.write.bind(process.stdout)
  const writeErr = process.stderr.write.bind(process.stderr)
  const savedEnv = process.env
  const savedCwd = process.cwd()
  const savedCode = process.exitCode
  process.env = {...c.env}
  process.chdir(c.dir)
  process.exitCode = undefined
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write
  let code: number
  try {
    await ConfigCommand.run([...args, ...c.args], repo)
  } finally {
    process.stdout.write = write
    process.stderr.write = writeErr
    process.env = savedEnv
    process.chdir(savedCwd)
    code = Number(process.exitCode ?? 0)
    process.exitCode = savedCode
  }
  return {out: out.join(''), err: err.join(''), code}
}

/** A document as data: this machine's directory written `<dir>`, keys sorted, compose's develop.watch `exec` artefact left out. */
function portable(text: string, c: Case): unknown {
  const doc = parse(text.replaceAll(c.dir, '<dir>')) as {services?: Record<string, {develop?: {watch?: Array<Record<string, unknown>>}}>}
  for (const service of Object.values(doc.services ?? {})) for (const w of service.develop?.watch ?? []) delete w.exec
  return sortKeys(doc)
}

const written: string[] = []

function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-config-flags-'))
  written.push(dir)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), {recursive: true})
    writeFileSync(join(dir, name), text)
  }
  return dir
}

const env = {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: HOME_DIR, PASSED: 'from-the-environment'}

function writtenCases(): Case[] {
  const paths = writeProject({
    'compose.yaml': [
      'include:',
      '  - inc/compose.yaml',
      'services:',
      '  web:',
      '    image: busybox',
      '    extends: {file: sub/base.yaml, service: base}',
      '  own:',
      '    image: busybox',
      '    build: .',
      '    env_file: own.env',
      '    environment: [PASSED, EMPTY=, SET=yes]',
      '    volumes:',
      '      - ./data:/data',
      '      - ~/cache:/cache',
      '      - type: bind',
      '        source: ../outside',
      '        target: /outside',
      '      - /abs:/abs',
      '      - named:/named',
      '    develop:',
      '      watch:',
      '        - {path: ./src, action: sync, target: /app}',
      '    secrets: [token]',
      '    configs: [settings]',
      '  same:',
      '    image: busybox',
      '    extends: {file: same-dir.yaml, service: base}',
      'volumes:',
      '  named: {}',
      'secrets:',
      '  token: {file: ./token.txt}',
      'configs:',
      '  settings: {file: ~/settings.ini}',
      '',
    ].join('\n'),
    'own.env': 'OWN=1\n',
    'same-dir.yaml': 'services:\n  base:\n    env_file: ./same.env\n    volumes: ["./same-data:/same"]\n    build: {dockerfile: Other.dockerfile}\n',
    'same.env': 'SAME=1\n',
    'sub/base.yaml': 'services:\n  base:\n    extends: {file: ../deeper/c.yaml, service: c}\n    build: {context: .}\n    env_file: ./b.env\n    volumes: ["./x:/x", "../y:/y", "/z:/z"]\n',
    'sub/b.env': 'B=1\n',
    'deeper/c.yaml': 'services:\n  c:\n    volumes: ["./cx:/cx"]\n    label_file: ./labels.env\n',
    'deeper/labels.env': 'from.label.file=1\n',
    'inc/compose.yaml': 'services:\n  included:\n    image: busybox\n    build: ./ctx\n    volumes: ["./d:/d"]\n    env_file: i.env\n',
    'inc/i.env': 'I=1\n',
  })
  const envFiles = writeProject({
    'compose.yaml': [
      'services:',
      '  web:',
      '    image: busybox',
      '    env_file:',
      '      - path: ./optional.env',
      '        required: false',
      '      - path: raw.env',
      '        format: raw',
      '      - path: ./present.env',
      '        required: true',
      '    label_file: ./labels.env',
      '    environment:',
      '      HOME_IS: ${HOME}',
      '',
    ].join('\n'),
    'raw.env': 'RAW="kept as written"\n',
    'present.env': 'PRESENT=1\n',
    'labels.env': 'from.file=1\n',
  })
  return [
    {name: 'written: extends (nested, other directories), include, every kind of host path', dir: paths, args: [], env},
    {name: 'written: env_file entries of every form, label_file', dir: envFiles, args: [], env},
  ]
}

const RESOLUTION_FLAGS = [['--no-env-resolution'], ['--no-path-resolution'], ['--no-env-resolution', '--no-path-resolution']]

describe('berth config --no-env-resolution / --no-path-resolution match docker compose v5', function () {
  this.timeout(120_000)
  const cases: Case[] = [
    ...listFixtures().map((f) => ({
      name: f.name,
      dir: f.dir,
      args: [...(f.meta.files ?? []).flatMap((file) => ['-f', file]), ...(f.meta.profiles ?? []).flatMap((p) => ['--profile', p])],
      env: fixtureEnv(f),
    })),
    ...writtenCases(),
  ]
  after(() => {
    for (const dir of written.splice(0)) rmSync(dir, {recursive: true, force: true})
  })

  for (const c of cases) {
    it(c.name, async function () {
      if (!oracleAvailable()) this.skip() // docker compose v5 is not built here: run scripts/peers.sh
      for (const flags of RESOLUTION_FLAGS) {
        const ours = await berth(c, [...flags, '--format', 'json'])
        assert.equal(ours.code, 0, `${flags.join(' ')}: ${ours.err}`)
        assert.deepStrictEqual(portable(ours.out, c), portable(oracle(c, [...flags, '--format', 'json']), c), `${flags.join(' ')} (json)`)
      }
      const both = ['--no-env-resolution', '--no-path-resolution']
      assert.deepStrictEqual(portable((await berth(c, both)).out, c), portable(oracle(c, both), c), 'both flags (yaml)')
    })
  }

  it('a required env file that is missing is not read with --no-env-resolution (and is an error without it)', async function () {
    if (!oracleAvailable()) this.skip()
    const dir = writeProject({'compose.yaml': 'services:\n  web:\n    image: busybox\n    env_file: [./missing.env]\n'})
    const c = {name: 'missing', dir, args: [], env}
    const ours = await berth(c, ['--no-env-resolution', '--format', 'json'])
    assert.equal(ours.code, 0, ours.err)
    assert.deepStrictEqual(portable(ours.out, c), portable(oracle(c, ['--no-env-resolution', '--format', 'json']), c))
    const plain = await berth(c, ['--format', 'json'])
    assert.notEqual(plain.code, 0)
    assert.match(plain.err, /env file .*missing\.env not found/)
    assert.ok(oracleFails(c, ['--format', 'json']))
  })
})

describe('berth config --no-consistency matches docker compose v5', function () {
  this.timeout(60_000)
  const models: Array<[string, string]> = [
    ['a dependency on an undefined service', 'services:\n  web:\n    image: busybox\n    depends_on: [ghost]\n'],
    ['links and volumes_from naming undefined services', 'services:\n  web:\n    image: busybox\n    links: [ghost]\n    volumes_from: [other]\n'],
    ['undefined network, volume, secret and config', 'services:\n  web:\n    image: busybox\n    networks: [nope]\n    volumes: ["novol:/x"]\n    secrets: [nosecret]\n    configs: [noconfig]\n'],
    ['a dependency cycle', 'services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n'],
    ['two services with one container_name', 'services:\n  a:\n    image: busybox\n    container_name: same\n  b:\n    image: busybox\n    container_name: same\n'],
    ['cpus that disagree with deploy.resources', 'services:\n  web:\n    image: busybox\n    cpus: 1\n    deploy: {resources: {limits: {cpus: 2}}}\n'],
    ['a dependency on a service of a profile that is off', 'services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    profiles: [later]\n'],
  ]
  after(() => {
    for (const dir of written.splice(0)) rmSync(dir, {recursive: true, force: true})
  })

  for (const [name, yaml] of models) {
    it(name, async function () {
      if (!oracleAvailable()) this.skip()
      const c = {name, dir: writeProject({'compose.yaml': yaml}), args: [], env}
      const refused = await berth(c, ['--format', 'json'])
      assert.notEqual(refused.code, 0, 'without --no-consistency the model is refused')
      assert.equal(refused.err.trim().split('\n')[0].startsWith('error: '), true, refused.err)
      assert.ok(oracleFails(c, ['--format', 'json']), 'compose refuses it too')
      for (const format of ['json', 'yaml']) {
        const ours = await berth(c, ['--no-consistency', '--format', format])
        assert.equal(ours.code, 0, ours.err)
        assert.deepStrictEqual(portable(ours.out, c), portable(oracle(c, ['--no-consistency', '--format', format]), c), format)
      }
    })
  }
})
