import {strict as assert} from 'node:assert'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {EngineClient} from '../../../src/engine/index.js'
import {copy} from '../../../src/runtime/copy.js'
import {projectEvents, type ProjectEvent} from '../../../src/runtime/events.js'
import {projectImages} from '../../../src/runtime/images.js'
import {runLifecycle} from '../../../src/runtime/lifecycle.js'
import {publicPort} from '../../../src/runtime/port.js'
import {projectTop} from '../../../src/runtime/top.js'
import {waitForServices} from '../../../src/runtime/wait.js'
import {testClient} from '../../support/engine-hooks.js'
import {collect, createServiceContainer, removeProject, uniqueProject, until} from './project-fixture.js'

describe('runtime (real engine): port, top, images, cp, events and wait', function () {
  let engine: EngineClient
  let dir: string
  const project = uniqueProject('misc')
  const ref = {name: project}

  before(async () => {
    engine = testClient()
    dir = mkdtempSync(join(tmpdir(), 'berth-cp-'))
    await createServiceContainer(engine, project, {service: 'web', cmd: ['sleep', '600'], ports: [{target: 80, published: 18123}]})
  })
  after(async () => {
    await removeProject(engine, project)
    await engine.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('port names the published address; top lists processes; images joins containers to images', async () => {
    assert.equal(await publicPort(engine, ref, {service: 'web', privatePort: 80}), '127.0.0.1:18123')
    await assert.rejects(publicPort(engine, ref, {service: 'web', privatePort: 81}), /does not publish port 81\/tcp/)
    const [top] = await projectTop(engine, ref)
    assert.deepEqual([top.name, top.service, top.number], [`${project}-web-1`, 'web', 1])
    assert.ok(top.top.Titles.includes('CMD'))
    assert.ok(top.top.Processes.some((p) => p.join(' ').includes('sleep 600')))
    const [image] = await projectImages(engine, ref)
    assert.deepEqual([image.ContainerName, image.Repository, image.Tag], [`${project}-web-1`, 'berth-test/busybox', 'latest'])
    assert.ok(image.Size > 0)
    assert.match(image.Platform, /^linux\/\w+/)
  })

  it('cp copies a file and a tree both ways with docker cp naming rules', async () => {
    writeFileSync(join(dir, 'note.txt'), 'hello from the host\n')
    mkdirSync(join(dir, 'tree', 'sub'), {recursive: true})
    writeFileSync(join(dir, 'tree', 'sub', 'deep.txt'), 'deep\n')
    await copy(engine, ref, {source: join(dir, 'note.txt'), destination: 'web:/tmp/renamed.txt'})
    await copy(engine, ref, {source: join(dir, 'tree'), destination: 'web:/tmp/'})
    await copy(engine, ref, {source: 'web:/tmp/renamed.txt', destination: join(dir, 'back.txt')})
    assert.equal(readFileSync(join(dir, 'back.txt'), 'utf8'), 'hello from the host\n')
    mkdirSync(join(dir, 'out'))
    await copy(engine, ref, {source: 'web:/tmp/tree', destination: join(dir, 'out')})
    assert.equal(readFileSync(join(dir, 'out', 'tree', 'sub', 'deep.txt'), 'utf8'), 'deep\n')
    await copy(engine, ref, {source: 'web:/tmp/tree', destination: join(dir, 'copy-of-tree')})
    assert.ok(statSync(join(dir, 'copy-of-tree', 'sub')).isDirectory())
    const tar = await collect()
    await copy(engine, ref, {source: 'web:/etc/passwd', destination: '-', stdout: tar.stream})
    assert.ok(tar.text().includes('root:x:0:0'))
    await assert.rejects(copy(engine, ref, {source: 'web:/does/not/exist', destination: dir}), /no such file or directory in the container/)
    await assert.rejects(copy(engine, ref, {source: join(dir, 'tree'), destination: 'web:/tmp/renamed.txt'}), /cannot copy directory/)
  })

  it('events streams the project\'s container events; wait returns the exit code of the first to stop', async () => {
    const seen: ProjectEvent[] = []
    const abort = new AbortController()
    const streaming = projectEvents(engine, ref, {onEvent: (e) => seen.push(e), signal: abort.signal})
    await new Promise((r) => setTimeout(r, 300))
    const jobId = await createServiceContainer(engine, project, {service: 'job', cmd: ['sh', '-c', 'sleep 1; exit 5']})
    const code = await waitForServices(engine, ref, {services: ['job']})
    assert.equal(code, 5)
    await until(() => seen.some((e) => e.id === jobId && e.action === 'die'), 10_000, 'the die event')
    abort.abort()
    await streaming
    const start = seen.find((e) => e.id === jobId && e.action === 'start')
    assert.equal(start?.service, 'job')
    assert.equal(start?.attributes.name, `${project}-job-1`)
    assert.ok(!Object.keys(start?.attributes ?? {}).some((k) => k.startsWith('com.docker.compose.')))
    // As in docker compose, a stopped container answers at once with its exit code.
    const lines: string[] = []
    assert.equal(await waitForServices(engine, ref, {services: ['job'], report: (line) => lines.push(line)}), 5)
    assert.deepEqual(lines, [`container "${jobId}" exited with status code 5`])
    await runLifecycle(engine, ref, 'stop', {timeout: 0})
    const both: string[] = []
    const first = await waitForServices(engine, ref, {report: (line) => both.push(line)})
    assert.equal(both.length, 2)
    assert.ok(both.includes(`container "${jobId}" exited with status code 5`), both.join('\n'))
    assert.equal(both[0], `container "${both[0].slice(11, 75)}" exited with status code ${first}`)
    await assert.rejects(waitForServices(engine, {name: uniqueProject('none')}), /^NoContainerError: no containers for project "none/)
  })
})
