/** Normaliser errors through the real loader: file:line:col of the offending node and a snippet. */
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadProject} from '../../../../src/compose/load.js'

async function loadError(text: string): Promise<Error & {code: string; context?: string}> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-normalize-'))
  try {
    writeFileSync(join(dir, 'compose.yaml'), text)
    await loadProject({cwd: dir, env: {PATH: '/bin'}})
  } catch (error) {
    return error as Error & {code: string; context?: string}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
  throw new Error('expected an error')
}

describe('normalize: errors point into the file', function () {
  this.timeout(20_000) // the first load compiles the schema
  it('a duplicate container_name', async () => {
    const e = await loadError('services:\n  a:\n    image: x\n    container_name: same\n  b:\n    image: x\n    container_name: same\n')
    assert.equal(e.code, 'COMPOSE_DUPLICATE_CONTAINER_NAME')
    assert.match(e.message, /compose\.yaml:7:5: services "a" and "b" both use container_name "same"/)
    assert.deepEqual((e.context ?? '').split('\n').slice(-2), ['7 |     container_name: same', '  |     ^'])
  })

  it('a port entry', async () => {
    const e = await loadError('services:\n  a:\n    image: x\n    ports:\n      - "80"\n      - "9000-9002:8000-8001"\n')
    assert.match(e.message, /compose\.yaml:6:9: invalid port "9000-9002:8000-8001"/)
  })

  it('an undefined volume and an unknown dependency', async () => {
    const v = await loadError('services:\n  a:\n    image: x\n    volumes:\n      - data:/data\n')
    assert.match(v.message, /compose\.yaml:5:9: service "a" refers to undefined volume "data"/)
    const d = await loadError('services:\n  a:\n    image: x\n    depends_on: [ghost]\n')
    assert.match(d.message, /compose\.yaml:4:\d+: service "a" depends on undefined service "ghost"/)
  })

  it('a dependency cycle', async () => {
    const e = await loadError('services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on:\n      a:\n        condition: service_started\n')
    assert.equal(e.code, 'COMPOSE_DEPENDENCY_CYCLE')
    assert.match(e.message, /compose\.yaml:\d+:\d+: dependency cycle: a -> b -> a/)
  })
})
