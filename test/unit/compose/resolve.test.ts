import {strict as assert} from 'node:assert'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {checkProjectName, findDefaultFiles, normalizeProjectName, resolveProject} from '../../../src/compose/resolve.js'
import {BerthError} from '../../../src/errors.js'

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-resolve-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), {recursive: true})
    writeFileSync(join(dir, name), text)
  }
  return dir
}

describe('compose/resolve', () => {
  it('normalises names as compose does', () => {
    assert.equal(normalizeProjectName('My App.v2'), 'myappv2')
    assert.equal(normalizeProjectName('__-x_y-z'), 'x_y-z')
    assert.equal(normalizeProjectName('日本'), '')
    assert.equal(checkProjectName('ok-1_a', '-p'), 'ok-1_a')
    for (const bad of ['Caps', 'with space', '-lead', '_lead', 'dot.ted', '']) assert.throws(() => checkProjectName(bad, '-p'), (e: BerthError) => e.code === 'PROJECT_NAME_INVALID')
  })

  it('default files: compose.yaml first, its override, searched upwards', () => {
    const dir = tree({'compose.yaml': '', 'docker-compose.yml': '', 'compose.override.yml': '', 'docker-compose.override.yaml': '', 'a/b/.keep': ''})
    const warnings: string[] = []
    assert.deepEqual(findDefaultFiles(join(dir, 'a', 'b'), warnings), [join(dir, 'compose.yaml'), join(dir, 'compose.override.yml')])
    assert.equal(warnings.length, 2)
    assert.match(warnings[0], /multiple config files/)
  })

  it('-f files are relative to the current directory; the project directory is the first one\'s', async () => {
    const dir = tree({'x/one.yaml': '', 'two.yaml': '', 'x/.env': 'FROM_X=1\n', '.env': 'FROM_CWD=1\n'})
    const r = await resolveProject({files: ['x/one.yaml', 'two.yaml'], cwd: dir, env: {}})
    assert.deepEqual(r.files, [join(dir, 'x', 'one.yaml'), join(dir, 'two.yaml')])
    assert.equal(r.workingDir, join(dir, 'x'))
    assert.equal(r.environment.FROM_X, '1')
    assert.equal(r.environment.FROM_CWD, undefined)
  })

  it('COMPOSE_FILE from .env, with COMPOSE_PATH_SEPARATOR; profiles and name from .env', async () => {
    const dir = tree({'a.yaml': '', 'b.yaml': '', '.env': 'COMPOSE_FILE=a.yaml;b.yaml\nCOMPOSE_PATH_SEPARATOR=;\nCOMPOSE_PROFILES=dev, debug\nCOMPOSE_PROJECT_NAME=fromdotenv\n'})
    const r = await resolveProject({cwd: dir, env: {}})
    assert.deepEqual(r.files, [join(dir, 'a.yaml'), join(dir, 'b.yaml')])
    assert.deepEqual(r.profiles, ['dev', 'debug'])
    assert.equal(r.explicitName, 'fromdotenv')
  })

  it('the process environment wins over env files; --profile over COMPOSE_PROFILES', async () => {
    const dir = tree({'compose.yaml': '', '.env': 'A=file\nB=file\n'})
    const r = await resolveProject({cwd: dir, env: {A: 'env', COMPOSE_PROFILES: 'x'}, profiles: ['y']})
    assert.equal(r.environment.A, 'env')
    assert.equal(r.environment.B, 'file')
    assert.deepEqual(r.profiles, ['y'])
  })

  it('an unset variable inside .env is a warning', async () => {
    const dir = tree({'compose.yaml': '', '.env': 'A=${NOT_SET}-x\n'})
    const r = await resolveProject({cwd: dir, env: {}})
    assert.equal(r.environment.A, '-x')
    assert.deepEqual(r.warnings, ['the "NOT_SET" variable is not set. Defaulting to a blank string.'])
  })

  it('--env-file replaces .env; several are read in order', async () => {
    const dir = tree({'compose.yaml': '', '.env': 'A=dot\n', 'one.env': 'A=one\nB=one\n', 'two.env': 'B=two\n'})
    const r = await resolveProject({cwd: dir, env: {}, envFiles: ['one.env', 'two.env']})
    assert.equal(r.environment.A, 'one')
    assert.equal(r.environment.B, 'two')
    await assert.rejects(resolveProject({cwd: dir, env: {}, envFiles: ['missing.env']}), (e: BerthError) => e.code === 'ENV_FILE_NOT_FOUND')
  })

  it('--project-directory sets the directory, the search start and the .env', async () => {
    const dir = tree({'proj/compose.yaml': '', 'proj/.env': 'P=1\n'})
    const r = await resolveProject({cwd: dir, env: {}, projectDirectory: 'proj'})
    assert.equal(r.workingDir, join(dir, 'proj'))
    assert.deepEqual(r.files, [join(dir, 'proj', 'compose.yaml')])
    assert.equal(r.environment.P, '1')
  })

  it('no Compose file anywhere is an error; so is an invalid -p', async () => {
    const dir = tree({'empty/.keep': ''})
    await assert.rejects(resolveProject({cwd: join(dir, 'empty'), env: {}}), (e: BerthError) => e.code === 'COMPOSE_FILE_NOT_FOUND' && /no configuration file provided/.test(e.message))
    await assert.rejects(resolveProject({cwd: dir, env: {}, projectName: 'Nope', files: ['x.yaml']}), (e: BerthError) => e.code === 'PROJECT_NAME_INVALID')
  })
})
