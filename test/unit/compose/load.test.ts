import {strict as assert} from 'node:assert'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadProject, type LoadOptions} from '../../../src/compose/load.js'
import {renderError} from '../../../src/cli/output.js'
import {BerthError} from '../../../src/errors.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/compose/loader')
const bad = join(root, 'bad')

/** The error text a user sees, with the fixture directory made stable. */
async function errorText(options: LoadOptions): Promise<string> {
  try {
    await loadProject({env: {}, cwd: bad, ...options})
  } catch (error) {
    assert.ok(error instanceof BerthError, `expected a BerthError, got ${String(error)}`)
    return renderError(error, false, false).replaceAll(root, '<fixtures>') + '\n'
  }
  throw new Error('expected the load to fail')
}

/** Compare with the checked-in expected text (UPDATE_GOLDEN=1 rewrites it). */
function golden(name: string, actual: string): void {
  const file = join(bad, `${name}.expected.txt`)
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual)
  assert.ok(existsSync(file), `missing ${file}: run with UPDATE_GOLDEN=1 to create it`)
  assert.equal(actual, readFileSync(file, 'utf8'))
}

describe('compose/load: bad input', () => {
  const cases: Array<[string, LoadOptions, string]> = [
    ['missing-file', {files: [join(bad, 'missing.yaml')]}, 'COMPOSE_FILE_NOT_FOUND'],
    ['empty-file', {files: [join(bad, 'empty.yaml')]}, 'COMPOSE_EMPTY_FILE'],
    ['comment-only', {files: [join(bad, 'comment-only.yaml')]}, 'COMPOSE_EMPTY_FILE'],
    ['yaml-syntax', {files: [join(bad, 'syntax.yaml')]}, 'COMPOSE_YAML_SYNTAX'],
    ['duplicate-key', {files: [join(bad, 'duplicate.yaml')]}, 'COMPOSE_DUPLICATE_KEY'],
    ['required-variable', {files: [join(bad, 'required.yaml')]}, 'COMPOSE_REQUIRED_VARIABLE'],
    ['extends-cycle', {files: [join(bad, 'extends-cycle.yaml')]}, 'COMPOSE_EXTENDS_CYCLE'],
    ['unterminated-variable', {files: [join(bad, 'unterminated.yaml')]}, 'COMPOSE_INTERPOLATION_SYNTAX'],
    ['top-level-list', {files: [join(bad, 'top-level-list.yaml')]}, 'COMPOSE_TOP_LEVEL'],
    ['project-name', {files: [join(bad, 'required.yaml')], projectName: 'My App'}, 'PROJECT_NAME_INVALID'],
    ['project-name-env', {files: [join(bad, 'required.yaml')], env: {COMPOSE_PROJECT_NAME: 'Bad.Name', DB_PASSWORD: 'x'}}, 'PROJECT_NAME_INVALID'],
  ]
  for (const [name, options, code] of cases) {
    it(`${name}: ${code} with the expected text`, async () => {
      let caught: unknown
      try {
        await loadProject({env: {}, cwd: bad, ...options})
      } catch (error) {
        caught = error
      }
      assert.ok(caught instanceof BerthError)
      assert.equal(caught.code, code)
      golden(name, await errorText(options))
    })
  }

  it('a required variable that is set loads', async () => {
    const result = await loadProject({files: [join(bad, 'required.yaml')], env: {DB_PASSWORD: 's3cret'}, cwd: bad, normalize: false})
    const db = (result.model.services as Record<string, {environment: Record<string, string>}>).db
    assert.equal(db.environment.POSTGRES_PASSWORD, 's3cret')
  })
})

describe('compose/load: pipeline', () => {
  it('merges compose.yaml and its override, reads .env, names the project from `name:`', async () => {
    const dir = join(root, 'multi')
    const result = await loadProject({cwd: dir, env: {}, normalize: false})
    assert.deepEqual(result.files, [join(dir, 'compose.yaml'), join(dir, 'compose.override.yaml')])
    assert.equal(result.name, 'multiapp')
    assert.equal(result.workingDir, dir)
    const web = (result.model.services as Record<string, Record<string, unknown>>).web
    assert.equal(web.image, 'nginx:1.27')
    assert.deepEqual(web.command, ['nginx-debug'])
    assert.deepEqual(web.environment, {MODE: 'prod', DEBUG: null, EXTRA: 'yes'})
    assert.deepEqual(web.labels, {tier: 'edge', team: 'web'})
    assert.deepEqual(web.ports, ['8080:80', {target: 443, published: '8443'}, '9000:9000'])
    assert.deepEqual(web.volumes, ['./other:/usr/share/nginx/html', 'logs:/var/log/nginx'])
    assert.deepEqual(web.dns, ['8.8.8.8', '1.1.1.1'])
    assert.deepEqual(web.cap_add, ['NET_ADMIN', 'SYS_TIME'])
    assert.deepEqual(web.healthcheck, {test: ['CMD', 'false'], interval: '10s'})
    assert.deepEqual(result.warnings, [])
  })

  it('-p wins over `name:`; COMPOSE_PROJECT_NAME from the environment too', async () => {
    const dir = join(root, 'multi')
    assert.equal((await loadProject({cwd: dir, env: {}, normalize: false, projectName: 'given'})).name, 'given')
    assert.equal((await loadProject({cwd: dir, env: {COMPOSE_PROJECT_NAME: 'fromenv'}, normalize: false})).name, 'fromenv')
  })

  it('${COMPOSE_PROJECT_NAME} in a file is the project name', async () => {
    const stdin = async () => 'name: "${APP:-Shop} Prod"\nservices:\n  s:\n    image: x\n    container_name: ${COMPOSE_PROJECT_NAME}-s\n'
    const result = await loadProject({files: ['-'], cwd: root, env: {}, normalize: false, readStdin: stdin})
    assert.equal(result.name, 'shopprod')
    assert.equal((result.model.services as Record<string, Record<string, unknown>>).s.container_name, 'shopprod-s')
    const named = await loadProject({files: ['-'], cwd: root, env: {}, normalize: false, readStdin: stdin, projectName: 'given'})
    assert.equal((named.model.services as Record<string, Record<string, unknown>>).s.container_name, 'given-s')
  })

  it('warns once per unset variable', async () => {
    const dir = join(root, 'multi')
    const result = await loadProject({files: [join(dir, 'compose.yaml')], envFiles: [join(root, 'dotenv', 'all.env')], cwd: dir, env: {}, normalize: false})
    assert.deepEqual(result.warnings, ['the "NGINX_TAG" variable is not set. Defaulting to a blank string.'])
  })

  it('finds compose.yaml in a parent directory, with the override next to it', async () => {
    const dir = join(root, 'nested')
    const result = await loadProject({cwd: join(dir, 'a', 'b'), env: {}, normalize: false})
    assert.deepEqual(result.files, [join(dir, 'compose.yaml'), join(dir, 'compose.override.yml')])
    assert.equal(result.name, 'nested')
    const top = (result.model.services as Record<string, Record<string, unknown>>).top
    assert.deepEqual(top, {image: 'busybox', labels: {override: '1'}})
  })

  it('reads stdin for -f -, with the current directory as project directory', async () => {
    const result = await loadProject({files: ['-'], cwd: root, env: {}, normalize: false, readStdin: async () => 'services: {s: {image: x}}\n'})
    assert.equal(result.workingDir, root)
    assert.equal(result.name, 'loader')
    assert.deepEqual(result.model.services, {s: {image: 'x'}})
  })

  it('--no-interpolate keeps the variables as written', async () => {
    const dir = join(root, 'multi')
    const result = await loadProject({cwd: dir, env: {}, normalize: false, interpolate: false, projectName: 'x'})
    const web = (result.model.services as Record<string, Record<string, unknown>>).web
    assert.equal(web.image, 'nginx:${NGINX_TAG}')
  })

  it('normalises into a Project and knows where each node came from', async () => {
    const dir = join(root, 'extends')
    const result = await loadProject({cwd: dir, env: {}})
    assert.ok(result.project)
    assert.deepEqual(Object.keys(result.project.services).sort(), ['app', 'local'])
    const at = result.sourceOf(['services', 'app', 'volumes', 0])
    assert.equal(at?.path, join(dir, 'sub', 'base.yaml'))
    assert.deepEqual(at?.positionOf(['services', 'app', 'volumes', 0]), {line: 12, col: 9})
    const own = result.sourceOf(['services', 'app', 'environment', 'ROLE'])
    assert.equal(own?.path, join(dir, 'compose.yaml'))
    assert.deepEqual(own?.positionOf(['services', 'app', 'environment', 'ROLE']), {line: 7, col: 7})
  })
})

describe('compose/load: merged model goldens', () => {
  // The merged model (before normalisation) of each fixture project, with the fixture directory
  // made stable; UPDATE_GOLDEN=1 rewrites them.
  for (const name of ['multi', 'extends', 'include']) {
    it(`${name}/expected.merged.json`, async () => {
      const dir = join(root, name)
      const result = await loadProject({cwd: dir, env: {}, normalize: false})
      const actual = JSON.stringify(result.model, null, 2).replaceAll(root, '<fixtures>') + '\n'
      const file = join(dir, 'expected.merged.json')
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual)
      assert.equal(actual, readFileSync(file, 'utf8'))
    })
  }
})
