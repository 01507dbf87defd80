import {CACHE_LABEL} from '../../../src/build/index.js'
import {strict as assert} from 'node:assert'
import {mkdirSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {outputDecoder, type OutputChunk} from '../../../src/engine/index.js'
import {converge} from '../../../src/runtime/converge.js'
import {observe} from '../../../src/runtime/observe.js'
import {secretsDirectory} from '../../../src/runtime/secret-files.js'
import {waitForReady} from '../../../src/runtime/up.js'
import {useHarness, testProject, type Harness} from './helpers.js'

/** Runs a command in a running container and returns its output (through the engine client). */
async function execText(h: Harness, id: string, cmd: string[]): Promise<string> {
  const {Id} = await h.client.exec.create(id, {Cmd: cmd, AttachStdout: true, AttachStderr: true})
  const stream = await h.client.exec.start(Id)
  const decoder = outputDecoder(false)
  stream.socket.pipe(decoder)
  const chunks: Buffer[] = []
  for await (const chunk of decoder as AsyncIterable<OutputChunk>) chunks.push(chunk.data)
  return Buffer.concat(chunks).toString('utf8')
}

describe('runtime/converge: service features on a real engine', function () {
  this.timeout(120_000)
  let h!: Harness
  useHarness((x) => (h = x))

  it('--wait returns once every container is running and healthy', async () => {
    const p = testProject('wait', `
services:
  slow:
    image: busybox
    init: true
    command: ["sh", "-c", "sleep 1; touch /tmp/ok; exec sleep 600"]
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ok"], interval: 300ms, retries: 50}
  plain: {image: busybox, init: true, command: ["sleep", "600"]}
`)
    h.track(p)
    const outcome = await converge(h.engine, await p.load())
    await waitForReady(h.engine, outcome.result!.containers, {timeoutMs: 30_000})
    const slow = await h.engine.inspectContainer(outcome.result!.containers.slow[0].id)
    assert.equal(slow.State.Health?.Status, 'healthy')
  })

  it('services reach each other by service name and alias on several networks', async () => {
    const p = testProject('dns', `
services:
  backend:
    image: busybox
    init: true
    command: ["sh", "-c", "mkdir /w && echo pong > /w/index.html && exec httpd -f -p 8000 -h /w"]
    networks:
      back: {aliases: [api]}
  front:
    image: busybox
    init: true
    command: ["sleep", "600"]
    networks: [back, default]
networks:
  back: {}
`)
    h.track(p)
    const outcome = await converge(h.engine, await p.load())
    const front = outcome.result!.containers.front[0].id
    const info = await h.engine.inspectContainer(front)
    assert.deepEqual(Object.keys(info.NetworkSettings.Networks).sort(), [`${p.name}_back`, `${p.name}_default`])
    for (const host of ['backend', 'api', `${p.name}-backend-1`]) {
      let text = ''
      for (let i = 0; i < 20 && !text.includes('pong'); i++) {
        text = await execText(h, front, ['wget', '-q', '-O', '-', `http://${host}:8000/`])
        if (!text.includes('pong')) await new Promise((r) => setTimeout(r, 200))
      }
      assert.match(text, /pong/, `reach ${host}`)
    }
  })

  it('mounts file and environment secrets read-only under /run/secrets, and configs at their target', async () => {
    const p = testProject('secrets', `
services:
  app:
    image: busybox
    init: true
    command: ["sleep", "600"]
    secrets: [token, {source: cert, target: tls.pem}]
    configs: [{source: conf, target: /etc/app.conf}]
secrets:
  token: {environment: BERTH_TEST_TOKEN}
  cert: {file: ./cert.pem}
configs:
  conf: {content: "key=value"}
`)
    h.track(p)
    writeFileSync(join(p.dir, 'cert.pem'), 'CERT')
    const outcome = await converge(h.engine, await p.load(undefined, {BERTH_TEST_TOKEN: 's3cret'}))
    const id = outcome.result!.containers.app[0].id
    assert.equal(await execText(h, id, ['cat', '/run/secrets/token']), 's3cret')
    assert.equal(await execText(h, id, ['cat', '/run/secrets/tls.pem']), 'CERT')
    assert.equal(await execText(h, id, ['cat', '/etc/app.conf']), 'key=value')
    assert.match(await execText(h, id, ['sh', '-c', 'echo x > /run/secrets/token 2>&1 || echo refused']), /refused|Read-only/)
    const dir = secretsDirectory(p.name)
    assert.equal(statSync(dir).mode & 0o777, 0o700)
    assert.equal(statSync(join(dir, 'secrets', 'token')).mode & 0o777, 0o400)
    const labels = JSON.stringify((await h.engine.inspectContainer(id)).Config.Labels)
    assert.ok(!labels.includes('s3cret'), 'no secret value in labels')
  })

  it('network_mode service:x shares the other container\'s network namespace', async () => {
    const p = testProject('netmode', `
services:
  main: {image: busybox, init: true, command: ["sleep", "600"], hostname: mainhost}
  side: {image: busybox, init: true, command: ["sleep", "600"], network_mode: "service:main"}
`)
    h.track(p)
    const outcome = await converge(h.engine, await p.load())
    const side = await h.engine.inspectContainer(outcome.result!.containers.side[0].id)
    assert.equal(side.HostConfig.NetworkMode, `container:${outcome.result!.containers.main[0].id}`)
    assert.equal((await execText(h, side.Id, ['hostname'])).trim(), 'mainhost')
  })

  it("builds a build: service with Berth's builder and tags it <project>-<service>", async () => {
    const p = testProject('build', `
services:
  app:
    build: {context: ./app}
    init: true
`)
    h.track(p)
    mkdirSync(join(p.dir, 'app'))
    writeFileSync(join(p.dir, 'app', 'Dockerfile'), 'FROM busybox\nCOPY hello.txt /hello.txt\nCMD ["sh", "-c", "cat /hello.txt; exec sleep 600"]\n')
    writeFileSync(join(p.dir, 'app', 'hello.txt'), 'built by berth\n')
    const outcome = await converge(h.engine, await p.load())
    assert.deepEqual(outcome.imagePlan.operations.map((o) => [o.kind, 'image' in o ? o.image : '']), [['build-image', `${p.name}-app`]])
    const id = outcome.result!.containers.app[0].id
    assert.equal(await execText(h, id, ['cat', '/hello.txt']), 'built by berth\n')
    const image = (await h.engine.listImages()).find((i) => (i.RepoTags ?? []).includes(`${p.name}-app:latest`))
    assert.ok(image?.Labels?.[CACHE_LABEL], "the image carries the layer-cache key of Berth's builder")
    const again = await converge(h.engine, await p.load())
    assert.deepEqual(again.imagePlan.operations, [], 'no rebuild when the image exists')
    assert.deepEqual(again.plan.operations, [])
    h.cleanups.push(async () => h.engine.removeImage(`${p.name}-app`).catch(() => {}))
    assert.equal((await observe(h.engine, p.name)).containers.length, 1)
  })
})
