import {strict as assert} from 'node:assert'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'
import ConfigCommand from '../../../src/commands/config.js'
import {loadProjectFromFlags, projectOptionsFromFlags} from '../../../src/cli/project-flags.js'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const fixtures = join(repo, 'fixtures/compose/loader')

/** Run `berth config ...` in-process; returns stdout, stderr and the exit code it set. */
async function runConfig(args: string[], env: Record<string, string> = {}): Promise<{stdout: string; stderr: string; exitCode: number}> {
  const out: string[] = []
  const err: string[] = []
  const writeOut = process.stdout.write.bind(process.stdout)
  const writeErr = process.stderr.write.bind(process.stderr)
  const saved = {...process.env}
  const savedExit = process.exitCode
  process.exitCode = undefined
  for (const [k, v] of Object.entries(env)) process.env[k] = v
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write
  try {
    await ConfigCommand.run(args, repo)
  } finally {
    process.stdout.write = writeOut
    process.stderr.write = writeErr
    process.env = saved
  }
  const exitCode = Number(process.exitCode ?? 0)
  process.exitCode = savedExit
  return {stdout: out.join(''), stderr: err.join(''), exitCode}
}

describe('cli/project-flags', () => {
  it('maps the shared flags to loader options', () => {
    assert.deepEqual(projectOptionsFromFlags({file: ['a.yaml', '-'], 'project-name': 'p', 'project-directory': 'd', 'env-file': ['e'], profile: ['x', '']}), {
      files: ['a.yaml', '-'],
      projectName: 'p',
      projectDirectory: 'd',
      envFiles: ['e'],
      profiles: ['x'],
    })
  })

  it('prints loader warnings as `warning:` lines', async () => {
    const lines: string[] = []
    await loadProjectFromFlags({file: [join(fixtures, 'multi', 'compose.yaml')], 'env-file': [join(fixtures, 'dotenv', 'all.env')]}, undefined, {normalize: false, warn: (l) => lines.push(l)})
    assert.deepEqual(lines, ['warning: the "NGINX_TAG" variable is not set. Defaulting to a blank string.'])
  })
})

describe('berth config', function () {
  this.timeout(20000)
  const multi = ['-f', join(fixtures, 'multi', 'compose.yaml'), '-f', join(fixtures, 'multi', 'compose.override.yaml')]

  it('prints the normalised project as YAML', async () => {
    const {stdout, exitCode} = await runConfig(multi)
    assert.equal(exitCode, 0)
    const doc = parse(stdout)
    assert.equal(doc.name, 'multiapp')
    assert.deepEqual(Object.keys(doc.services), ['web'])
    assert.equal(doc.services.web.image, 'nginx:1.27')
    assert.equal(doc.services.web.name, undefined)
    assert.deepEqual(doc.services.web.command, ['nginx-debug'])
    assert.ok(doc.volumes.logs)
  })

  it('--format json prints the same document, in the JSON shape compose uses', async () => {
    const yaml = parse((await runConfig(multi)).stdout)
    const json = JSON.parse((await runConfig([...multi, '--format', 'json'])).stdout)
    // docker compose's JSON carries null command/entrypoint and empty ipam; its YAML leaves them out
    assert.equal(json.services.web.entrypoint, null)
    assert.equal('entrypoint' in yaml.services.web, false)
    assert.deepEqual(json.networks.default.ipam, {})
    delete json.services.web.entrypoint
    delete json.networks.default.ipam
    assert.deepEqual(json, yaml)
  })

  it('-q prints nothing and succeeds', async () => {
    const {stdout, exitCode} = await runConfig([...multi, '-q'])
    assert.equal(stdout, '')
    assert.equal(exitCode, 0)
  })

  it('lists services, volumes, networks, images and profiles', async () => {
    assert.equal((await runConfig([...multi, '--services'])).stdout, 'web\n')
    assert.equal((await runConfig([...multi, '--volumes'])).stdout, 'logs\n')
    assert.equal((await runConfig([...multi, '--networks'])).stdout, 'default\n')
    assert.equal((await runConfig([...multi, '--images'])).stdout, 'nginx:1.27\n')
    assert.equal((await runConfig([...multi, '--profiles'])).stdout, '')
  })

  it('--hash prints a stable sha256 per service', async () => {
    const first = (await runConfig([...multi, '--hash', '*'])).stdout
    assert.match(first, /^web [0-9a-f]{64}\n$/)
    assert.equal((await runConfig([...multi, '--hash', 'web'])).stdout, first)
    const other = (await runConfig(['-f', join(fixtures, 'multi', 'compose.yaml'), '--hash', 'web'])).stdout
    assert.notEqual(other, first)
  })

  it('--no-interpolate prints the merged files as written', async () => {
    const {stdout} = await runConfig([...multi, '--no-interpolate', '--no-normalize'])
    const doc = parse(stdout)
    assert.equal(doc.services.web.image, 'nginx:${NGINX_TAG}')
    assert.deepEqual(doc.services.web.environment, {MODE: 'prod', DEBUG: null, EXTRA: 'yes'})
  })

  it('--no-interpolate --no-normalize keeps name: as written, even with -p, and adds none (as docker compose v5)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-config-'))
    writeFileSync(join(dir, 'named.yaml'), 'name: ${PNAME:-proj}\nservices:\n  a:\n    image: busybox\n')
    writeFileSync(join(dir, 'unnamed.yaml'), 'services:\n  a:\n    image: busybox\n')
    const raw = ['--no-interpolate', '--no-normalize']
    assert.equal(parse((await runConfig(['-f', join(dir, 'named.yaml'), ...raw])).stdout).name, '${PNAME:-proj}')
    assert.equal(parse((await runConfig(['-f', join(dir, 'named.yaml'), '-p', 'given', ...raw])).stdout).name, '${PNAME:-proj}')
    assert.equal('name' in parse((await runConfig(['-f', join(dir, 'unnamed.yaml'), ...raw])).stdout), false)
    assert.equal(parse((await runConfig(['-f', join(dir, 'named.yaml'), '--no-normalize'])).stdout).name, 'proj')
  })

  it('writes $ as $$ in interpolated output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-config-'))
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  s:\n    image: x\n    environment: {PRICE: "$$5"}\n')
    const {stdout} = await runConfig(['-f', join(dir, 'compose.yaml'), '--format', 'json'])
    assert.equal(JSON.parse(stdout).services.s.environment.PRICE, '$$5')
  })

  it('-o writes to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-config-'))
    await runConfig([...multi, '-o', join(dir, 'out.yaml')])
    assert.equal(parse(readFileSync(join(dir, 'out.yaml'), 'utf8')).name, 'multiapp')
  })

  describe('--variables and --environment', () => {
    const write = (files: Record<string, string>): string => {
      const dir = mkdtempSync(join(tmpdir(), 'berth-config-'))
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
      return dir
    }
    const variablesProject = () =>
      write({
        'compose.yaml': 'name: ${PN:-shop}\nservices:\n  web:\n    image: "${IMAGE:-nginx}:${TAG}"\n    command: ["${REQ:?set REQ}", "$$LITERAL", "${ALT:+on}"]\n',
      })

    it('--variables prints a table of the variables, sorted, without failing on a required one that is unset', async () => {
      const dir = variablesProject()
      const {stdout, stderr, exitCode} = await runConfig(['-f', join(dir, 'compose.yaml'), '--variables'])
      assert.equal(exitCode, 0)
      assert.equal(
        stdout,
        [
          'NAME                REQUIRED            DEFAULT VALUE       ALTERNATE VALUE',
          'ALT                 false                                   on',
          'IMAGE               false               nginx               ',
          'PN                  false               shop                ',
          'REQ                 true                                    ',
          'TAG                 false                                   ',
          '',
        ].join('\n'),
      )
      // nothing was interpolated, so nothing is reported unset
      assert.equal(stderr, '')
    })

    it('--variables --format json|yaml prints compose’s documents', async () => {
      const dir = variablesProject()
      const json = JSON.parse((await runConfig(['-f', join(dir, 'compose.yaml'), '--variables', '--format', 'json'])).stdout)
      assert.deepEqual(Object.keys(json), ['ALT', 'IMAGE', 'PN', 'REQ', 'TAG'])
      assert.deepEqual(json.REQ, {Name: 'REQ', DefaultValue: '', PresenceValue: '', Required: true})
      const yaml = parse((await runConfig(['-f', join(dir, 'compose.yaml'), '--variables', '--format', 'yaml'])).stdout)
      assert.deepEqual(yaml.IMAGE, {name: 'IMAGE', defaultvalue: 'nginx', presencevalue: '', required: false})
    })

    it('--variables ignores service names, with a warning, and -o writes the table to a file', async () => {
      const dir = variablesProject()
      const {stdout, stderr} = await runConfig(['-f', join(dir, 'compose.yaml'), '--variables', 'web', '-o', join(dir, 'vars.txt')])
      assert.equal(stdout, '')
      assert.match(stderr, /^warning: service names are ignored with --variables/)
      assert.match(readFileSync(join(dir, 'vars.txt'), 'utf8'), /^NAME {16}REQUIRED/)
    })

    it('a listing flag wins over --variables; --format table is only for --variables', async () => {
      const dir = variablesProject()
      assert.equal((await runConfig(['-f', join(dir, 'compose.yaml'), '--variables', '--services'], {REQ: 'x'})).stdout, 'web\n')
      const {stderr, exitCode} = await runConfig(['-f', join(dir, 'compose.yaml'), '--format', 'table'], {NO_COLOR: '1'})
      assert.equal(exitCode, 1)
      assert.match(stderr, /^error: --format table is for --variables/)
    })

    it('--environment prints the interpolation environment as sorted NAME=value lines', async () => {
      const dir = write({'compose.yaml': 'name: ${PN:-shop}\nservices: {web: {image: x}}\n', '.env': 'FROM_DOTENV=1\nPN=fromdotenv\n'})
      const {stdout, exitCode} = await runConfig(['-f', join(dir, 'compose.yaml'), '--environment'], {BERTH_TEST_VAR: 'a b'})
      assert.equal(exitCode, 0)
      const lines = stdout.split('\n').slice(0, -1)
      assert.deepEqual([...lines].sort(), lines)
      for (const line of ['BERTH_TEST_VAR=a b', 'COMPOSE_PROJECT_NAME=fromdotenv', 'FROM_DOTENV=1', 'PN=fromdotenv']) assert.ok(lines.includes(line), line)
    })

    it('--environment fails, as a load does, on a required variable that is unset', async () => {
      const dir = variablesProject()
      const {stdout, stderr, exitCode} = await runConfig(['-f', join(dir, 'compose.yaml'), '--environment'], {NO_COLOR: '1'})
      assert.equal(exitCode, 1)
      assert.equal(stdout, '')
      assert.match(stderr, /required variable REQ is missing a value: set REQ/)
    })
  })

  it('warnings printed before a failure are not lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-config-'))
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  s:\n    image: x:${UNSET_TAG}\n    bogus: 1\n')
    const {stderr, exitCode} = await runConfig(['-f', join(dir, 'compose.yaml')], {NO_COLOR: '1'})
    assert.equal(exitCode, 1)
    assert.match(stderr, /^warning: the "UNSET_TAG" variable is not set\. Defaulting to a blank string\.\nerror: /)
  })

  it('an error is one line plus a snippet, and a non-zero exit', async () => {
    const {stderr, stdout, exitCode} = await runConfig(['-f', join(fixtures, 'bad', 'duplicate.yaml')], {NO_COLOR: '1'})
    assert.equal(stdout, '')
    assert.equal(exitCode, 1)
    assert.match(stderr, /^error: .*duplicate\.yaml:6:7: duplicate key "A" \(already defined at line 5\)\n/)
    assert.doesNotMatch(stderr, /at .*\.ts:\d+/)
  })
})
