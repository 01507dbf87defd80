import {strict as assert} from 'node:assert'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {loadProject} from '../../../src/compose/load.js'
import type {Project} from '../../../src/compose/types.js'
import type {EngineClient} from '../../../src/engine/index.js'
import {runOneOff} from '../../../src/runtime/run.js'
import {projectPs} from '../../../src/runtime/ps.js'
import {testClient} from '../../support/engine-hooks.js'
import {collect, removeProject, uniqueProject} from './project-fixture.js'

describe('runtime (real engine): run', function () {
  let engine: EngineClient
  let dir: string
  let project: Project
  const name = uniqueProject('run')

  before(async () => {
    engine = testClient()
    dir = mkdtempSync(join(tmpdir(), 'berth-run-'))
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        `name: ${name}`,
        'services:',
        '  db:',
        '    image: busybox',
        '    command: ["sleep", "600"]',
        '    init: true',
        '  app:',
        '    image: busybox',
        '    command: ["echo", "default-command"]',
        '    environment: {FROM_FILE: yes}',
        '    ports: ["18099:80"]',
        '    depends_on: [db]',
      ].join('\n'),
    )
    project = (await loadProject({files: [join(dir, 'compose.yaml')]})).project as Project
  })

  after(async () => {
    await removeProject(engine, name)
    await engine.close()
    rmSync(dir, {recursive: true, force: true})
  })

  async function terminal(input?: string) {
    const stdin = new PassThrough()
    if (input !== undefined) stdin.end(input)
    const out = await collect()
    const err = await collect()
    return {streams: {stdin, stdout: out.stream, stderr: err.stream}, out: out.text, err: err.text}
  }

  it('starts dependencies, runs a labelled one-off without service ports, and returns its exit code', async () => {
    const t = await terminal('')
    const outcome = await runOneOff(engine, project, {service: 'app', command: ['sh', '-c', 'echo "$FROM_FILE $EXTRA"; echo oops >&2; exit 4'], env: ['EXTRA=added'], tty: false, interactive: false, streams: t.streams})
    assert.equal(outcome.exitCode, 4)
    assert.equal(t.out(), 'yes added\n')
    assert.equal(t.err(), 'oops\n')
    assert.match(outcome.name, new RegExp(`^${name}-app-run-[0-9a-f]{12}$`))
    const rows = await projectPs(engine, {name, project}, {all: true})
    assert.deepEqual(rows.filter((r) => r.Service === 'db').map((r) => r.State), ['running'])
    const oneoff = rows.find((r) => r.Name === outcome.name)
    assert.equal(oneoff?.Labels['com.docker.compose.oneoff'], 'True')
    assert.deepEqual(oneoff?.Publishers, [])
    // Not in the default `ps`: one-off containers only show with -a.
    assert.ok(!(await projectPs(engine, {name, project})).some((r) => r.Name === outcome.name))
  })

  it('feeds stdin, allocates a TTY on request, and --rm removes the container', async () => {
    const piped = await terminal('echo from-stdin\n')
    const a = await runOneOff(engine, project, {service: 'app', command: ['sh'], noDeps: true, rm: true, tty: false, interactive: true, streams: piped.streams})
    assert.equal(a.exitCode, 0)
    assert.equal(piped.out(), 'from-stdin\n')
    const withTty = await terminal('')
    const b = await runOneOff(engine, project, {service: 'app', command: ['sh', '-c', 'tty; exit 3'], noDeps: true, rm: true, tty: true, interactive: false, streams: withTty.streams})
    assert.equal(b.exitCode, 3)
    assert.match(withTty.out(), /^\/dev\/pts\/\d+\r\n$/)
    const left = (await engine.containers.list({all: true, filters: {name: [a.name]}})).concat(await engine.containers.list({all: true, filters: {name: [b.name]}}))
    assert.equal(left.length, 0)
  })

  it('-d starts it in the background; --service-ports publishes the service ports', async () => {
    const t = await terminal('')
    const outcome = await runOneOff(engine, project, {service: 'app', command: ['sleep', '30'], noDeps: true, detach: true, servicePorts: true, name: `${name}-custom`, tty: false, interactive: false, streams: t.streams})
    assert.equal(outcome.name, `${name}-custom`)
    const [c] = await engine.containers.list({filters: {name: [`${name}-custom`]}})
    assert.equal(c.State, 'running')
    assert.ok(c.Ports.some((p) => p.PublicPort === 18099 && p.PrivatePort === 80))
  })
})
