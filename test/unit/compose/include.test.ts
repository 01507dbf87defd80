import {strict as assert} from 'node:assert'
import {mkdtempSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadProject} from '../../../src/compose/load.js'
import {BerthError} from '../../../src/errors.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/compose/loader/include')

describe('compose/include', () => {
  it('loads the included project with its own directory and .env, and merges the local definition over it', async () => {
    const result = await loadProject({cwd: root, env: {}, normalize: false})
    const services = result.model.services as Record<string, Record<string, unknown>>
    assert.deepEqual(Object.keys(services).sort(), ['db', 'web'])
    assert.deepEqual(services.db, {
      image: 'postgres:16',
      volumes: [`${join(root, 'inc', 'init')}:/docker-entrypoint-initdb.d`],
      environment: {LOCAL: '1'},
    })
    assert.deepEqual(result.model.volumes, {pgdata: {}})
    assert.equal(result.model.include, undefined)
  })

  it("the including project's variables win over the included .env", async () => {
    const result = await loadProject({cwd: root, env: {PG_VERSION: '17'}, normalize: false})
    assert.equal((result.model.services as Record<string, Record<string, unknown>>).db.image, 'postgres:17')
  })

  it('long syntax: several paths, project_directory and env_file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-include-'))
    mkdirSync(join(dir, 'lib'))
    writeFileSync(join(dir, 'lib', 'a.yaml'), 'services:\n  lib:\n    image: lib:${LIB_TAG}\n    build: ./src\n')
    writeFileSync(join(dir, 'lib', 'b.yaml'), 'services:\n  lib:\n    environment: [B=1]\n')
    writeFileSync(join(dir, 'lib.env'), 'LIB_TAG=2\n')
    writeFileSync(join(dir, 'compose.yaml'), 'include:\n  - path: [lib/a.yaml, lib/b.yaml]\n    project_directory: .\n    env_file: lib.env\nservices:\n  app: {image: app}\n')
    const result = await loadProject({cwd: dir, env: {}, normalize: false})
    const lib = (result.model.services as Record<string, Record<string, unknown>>).lib
    assert.deepEqual(lib, {image: 'lib:2', build: join(dir, 'src'), environment: ['B=1']})
  })

  it('an include cycle is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-include-'))
    writeFileSync(join(dir, 'compose.yaml'), 'include: [b.yaml]\nservices: {a: {image: a}}\n')
    writeFileSync(join(dir, 'b.yaml'), 'include: [compose.yaml]\nservices: {b: {image: b}}\n')
    await assert.rejects(loadProject({cwd: dir, env: {}, normalize: false}), (e: BerthError) => e.code === 'COMPOSE_INCLUDE_CYCLE' && /include cycle: .*compose\.yaml -> .*b\.yaml -> .*compose\.yaml/.test(e.message))
  })

  it('a missing included file is an error at its entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-include-'))
    writeFileSync(join(dir, 'compose.yaml'), 'include:\n  - nope.yaml\nservices: {a: {image: a}}\n')
    await assert.rejects(loadProject({cwd: dir, env: {}, normalize: false}), /compose\.yaml:2:5: included file .*nope\.yaml not found/)
  })
})
