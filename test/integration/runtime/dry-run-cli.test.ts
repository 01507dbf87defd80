/**
 * --dry-run on every Compose command that changes something, as a user runs it — the built CLI
 * (dist/, `npm run build`) against the test engine. Each run must print its steps on stdout
 * (`#N resource  action  cause`, the layout of `up --dry-run`), send the engine nothing but reads
 * (BERTH_DEBUG's request log), and leave the engine as it was: the containers (ids, states, start
 * times), images, networks, and the files in a container (cp). docker compose v5 was the oracle
 * for which commands take the flag; what they print is Berth's plan layout.
 */
import {strict as assert} from 'node:assert'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {NotFoundError} from '../../../src/engine/errors.js'
import {observe} from '../../../src/runtime/observe.js'
import {useHarness, testProject, type Harness, type TestProject} from './helpers.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = join(ROOT, 'bin/run.js')

interface Run {
  code: number | null
  stdout: string
  stderr: string
  /** The engine requests BERTH_DEBUG logged: `GET /v1.41/containers/json`. */
  requests: string[]
}

function berth(args: string[], p: TestProject, options: {debug?: boolean} = {}): Run {
  const env = {...process.env, NO_COLOR: '1', ...(options.debug ? {BERTH_DEBUG: '1'} : {})}
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd: p.dir, encoding: 'utf8', env, input: '', timeout: 90_000})
  const requests = r.stderr.split('\n').flatMap((line) => /^engine: (\w+ \S+)/.exec(line)?.[1] ?? [])
  return {code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('engine: ')).join('\n'), requests}
}

/** Everything a dry run must leave alone. */
async function snapshot(h: Harness, p: TestProject): Promise<unknown> {
  const o = await observe(h.engine, p.name)
  const containers: Record<string, unknown> = {}
  for (const c of o.containers) {
    const inspect = await h.engine.inspectContainer(c.id)
    containers[c.name] = {id: c.id, state: c.state, startedAt: inspect.State.StartedAt, finishedAt: inspect.State.FinishedAt, paused: inspect.State.Paused}
  }
  const images = (await h.engine.listImages()).map((i) => `${i.Id} ${[...(i.RepoTags ?? [])].sort().join(',')}`).sort()
  const networks = [...o.networks.values()].map((n) => n.name).sort()
  return {containers, images, networks}
}

/** A dry run: exit 0, the expected stdout lines (regexes, in order), only GET/HEAD sent, nothing changed. */
async function dryRun(h: Harness, p: TestProject, args: string[], lines: RegExp[]): Promise<Run> {
  const before = await snapshot(h, p)
  const r = berth(args, p, {debug: true})
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
  const out = r.stdout.trimEnd().split('\n')
  assert.equal(out.length, lines.length, `${args.join(' ')} printed:\n${r.stdout}`)
  lines.forEach((re, i) => assert.match(out[i], re, `${args.join(' ')}, line ${i + 1}:\n${r.stdout}`))
  const writes = r.requests.filter((req) => !/^(GET|HEAD) /.test(req))
  assert.deepEqual(writes, [], `${args.join(' ')} sent requests that change the engine`)
  assert.deepEqual(await snapshot(h, p), before, `${args.join(' ')} changed the engine`)
  return r
}

/** `#N resource  action  cause`, columns separated by two or more spaces. */
function row(n: number, resource: string, action: string, cause: string): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^#${n} ${esc(resource)} +${esc(action)} +${esc(cause)}$`)
}

const sleeper = 'image: busybox, init: true, command: ["sleep", "600"]'

describe('--dry-run on every Compose command that changes something (CLI, real engine)', function () {
  this.timeout(180_000)
  let h!: Harness
  useHarness((x) => (h = x))
  before(function () {
    if (!existsSync(join(ROOT, 'dist/runtime/dry-run.js'))) this.skip()
  })

  it('start, stop, restart, kill, pause, unpause, rm: the containers in the order the verb takes them, nothing touched', async () => {
    const p = testProject('lifecycle', `
services:
  db: {${sleeper}}
  web: {${sleeper}, depends_on: [db]}
  job: {image: busybox, command: ["true"]}
`)
    h.track(p)
    const n = (s: string) => `container:${p.name}-${s}-1`
    const up = berth(['up', '-d', '--wait', '--progress', 'quiet', '-p', p.name], p)
    assert.equal(up.code, 0, up.stderr)
    // job has exited; db and web run.
    for (let i = 0; i < 50 && (await observe(h.engine, p.name)).containers.find((c) => c.service === 'job')?.state !== 'exited'; i++) await new Promise((r) => setTimeout(r, 100))

    // Leading or trailing, as docker compose takes its global flag.
    await dryRun(h, p, ['--dry-run', 'stop', '-p', p.name], [row(1, n('web'), 'stop', 'running'), row(2, n('db'), 'stop', 'running')])
    await dryRun(h, p, ['stop', '-p', p.name, '--dry-run', 'web'], [row(1, n('web'), 'stop', 'running')])
    await dryRun(h, p, ['-p', p.name, '--dry-run', 'start'], [row(1, n('job'), 'start', 'exited')])
    await dryRun(h, p, ['restart', '--dry-run', '-p', p.name], [row(1, n('db'), 'restart', 'running'), row(2, n('job'), 'restart', 'exited'), row(3, n('web'), 'restart', 'running')])
    await dryRun(h, p, ['kill', '--dry-run', '-s', 'SIGTERM', '-p', p.name], [row(1, n('db'), 'kill SIGTERM', 'running'), row(2, n('web'), 'kill SIGTERM', 'running')])
    await dryRun(h, p, ['pause', '--dry-run', '-p', p.name], [row(1, n('db'), 'pause', 'running'), row(2, n('web'), 'pause', 'running')])
    await dryRun(h, p, ['unpause', '--dry-run', '-p', p.name], [/^nothing to do: no container to unpause$/])
    // rm asks first unless -f; a dry run removes nothing, so it does not ask (stdin is not a terminal here).
    await dryRun(h, p, ['rm', '--dry-run', '-p', p.name], [row(1, n('job'), 'remove', 'exited')])
    await dryRun(h, p, ['rm', '--dry-run', '-s', '-v', '-p', p.name], [
      row(1, n('web'), 'stop+remove', 'running; with its anonymous volumes'),
      row(2, n('db'), 'stop+remove', 'running; with its anonymous volumes'),
      row(3, n('job'), 'remove', 'exited; with its anonymous volumes'),
    ])

    // unpause on a paused container (paused for real first).
    assert.equal(berth(['pause', 'web', '--progress', 'quiet', '-p', p.name], p).code, 0)
    await dryRun(h, p, ['--dry-run', 'unpause', '-p', p.name], [row(1, n('web'), 'unpause', 'paused')])
    assert.equal(berth(['unpause', '--progress', 'quiet', '-p', p.name], p).code, 0)

    // The checks a real run makes still fail the dry run, before anything.
    const unknown = berth(['stop', '--dry-run', 'nope', '-p', p.name], p)
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /^error: no such service: nope/m)
    assert.equal(unknown.stdout, '')
  })

  it('exec and run print where the command would run; nothing runs and no container is made', async () => {
    const p = testProject('execrun', `
services:
  db: {${sleeper}}
  web: {${sleeper}, depends_on: [db]}
`)
    h.track(p)
    assert.equal(berth(['up', '-d', 'db', '--progress', 'quiet', '-p', p.name], p).code, 0)

    await dryRun(h, p, ['--dry-run', '-p', p.name, 'exec', 'db', 'touch', '/tmp/made'], [row(1, `container:${p.name}-db-1`, 'exec', 'touch /tmp/made')])
    await dryRun(h, p, ['exec', '--dry-run', '-d', '-u', 'nobody', '-p', p.name, 'db', 'sh', '-c', 'echo $HOME > /tmp/made'], [
      row(1, `container:${p.name}-db-1`, 'exec -d', `sh -c 'echo $HOME > /tmp/made' (as nobody)`),
    ])
    const id = (await observe(h.engine, p.name)).containers.find((c) => c.service === 'db')!.id
    await assert.rejects(h.client.containers.statPath(id, '/tmp/made'), NotFoundError, 'exec --dry-run ran the command')
    const notRunning = berth(['exec', '--dry-run', '-p', p.name, 'web', 'true'], p)
    assert.equal(notRunning.code, 1)
    assert.match(notRunning.stderr, /^error: service "web" is not running$/m)

    // run: the dependency web would bring up (db runs already), then the one-off.
    const run = await dryRun(h, p, ['run', '--dry-run', '--rm', '-p', p.name, 'web', 'echo', 'hi'], [
      new RegExp(`^#1 container:${p.name}-web-run-[0-9a-f]{12} +create\\+start +one-off: echo hi; removed when it exits$`),
    ])
    assert.doesNotMatch(run.stdout, /hi\n.*hi/)
    await dryRun(h, p, ['run', '--dry-run', '-d', '-p', p.name, 'db'], [new RegExp(`^#1 container:${p.name}-db-run-[0-9a-f]{12} +create\\+start +one-off, the service's command; detached$`)])
    // With a dependency that is not up yet, its container comes first.
    assert.equal(berth(['stop', 'db', '-t', '0', '--progress', 'quiet', '-p', p.name], p).code, 0)
    await dryRun(h, p, ['--dry-run', 'run', '-p', p.name, 'web', 'true'], [
      row(1, `container:${p.name}-db-1`, 'start', 'exited'),
      new RegExp(`^#2 container:${p.name}-web-run-[0-9a-f]{12} +create\\+start +one-off: true$`),
    ])
    const all = await observe(h.engine, p.name)
    assert.deepEqual(all.containers.filter((c) => c.oneoff), [], 'no one-off container was made')
  })

  it('cp checks both paths and copies nothing, either way', async () => {
    const p = testProject('cp', `
services:
  db: {${sleeper}}
`)
    h.track(p)
    assert.equal(berth(['up', '-d', '--progress', 'quiet', '-p', p.name], p).code, 0)
    writeFileSync(join(p.dir, 'in.txt'), 'hello\n')
    mkdirSync(join(p.dir, 'site'))
    writeFileSync(join(p.dir, 'site', 'index.html'), '<p>hi</p>\n')
    const c = `container:${p.name}-db-1`

    await dryRun(h, p, ['cp', '--dry-run', '-p', p.name, 'in.txt', 'db:/tmp/in.txt'], [row(1, c, 'copy in', 'in.txt -> /tmp/in.txt')])
    await dryRun(h, p, ['--dry-run', '-p', p.name, 'cp', 'site/.', 'db:/tmp/'], [row(1, c, 'copy in', 'site/. -> /tmp/')])
    await dryRun(h, p, ['cp', '--dry-run', '-p', p.name, 'db:/etc/hostname', 'out.txt'], [row(1, c, 'copy out', '/etc/hostname -> out.txt')])
    const id = (await observe(h.engine, p.name)).containers[0].id
    await assert.rejects(h.client.containers.statPath(id, '/tmp/in.txt'), NotFoundError, 'cp --dry-run wrote into the container')
    await assert.rejects(h.client.containers.statPath(id, '/tmp/index.html'), NotFoundError, 'cp --dry-run wrote into the container')
    assert.equal(existsSync(join(p.dir, 'out.txt')), false, 'cp --dry-run wrote on the host')

    for (const [args, line] of [
      [['in.txt', 'db:/nowhere/in.txt'], 'error: db:/nowhere: no such directory in the container'],
      [['missing.txt', 'db:/tmp/'], 'error: missing.txt: no such file or directory on the host'],
      [['db:/nope', 'out.txt'], 'error: db:/nope: no such file or directory in the container'],
      [['db:/etc/hostname', 'nodir/out.txt'], 'error: nodir: no such directory on the host'],
    ] as const) {
      const r = berth(['cp', '--dry-run', '-p', p.name, ...args], p)
      assert.equal(r.code, 1, args.join(' '))
      assert.equal(r.stderr.trim(), line)
    }
  })

  it('build, pull and push print the images; none is built, pulled or pushed', async () => {
    const p = testProject('images', '')
    const app = `${p.name}-app:dev`
    const pushed = `127.0.0.1:5999/${p.name}-api:1`
    p.write(`
services:
  db: {image: busybox, command: ["true"]}
  app: {build: ./app, image: "${app}"}
  api: {build: {context: ./app, no_cache: true}, image: "${pushed}"}
  fresh: {image: "${p.name}-fresh:1", pull_policy: missing}
`)
    mkdirSync(join(p.dir, 'app'))
    writeFileSync(join(p.dir, 'app', 'Dockerfile'), 'FROM busybox\nRUN echo built > /built\n')
    h.track(p)

    await dryRun(h, p, ['build', '--dry-run', '-p', p.name], [row(1, `image:${pushed}`, 'build', 'service api; no cache'), row(2, `image:${app}`, 'build', 'service app')])
    await dryRun(h, p, ['--dry-run', 'build', '-p', p.name, 'app'], [row(1, `image:${app}`, 'build', 'service app')])
    // No registry answers here: a real pull or push would fail.
    await dryRun(h, p, ['pull', '--dry-run', '-p', p.name], [
      row(1, 'image:busybox', 'pull', 'service db'),
      row(2, `image:${app}`, 'pull', 'service app'),
      row(3, `image:${pushed}`, 'pull', 'service api'),
      row(4, `image:${p.name}-fresh:1`, 'pull', 'service fresh (not found locally)'),
    ])
    await dryRun(h, p, ['pull', '--dry-run', '--policy', 'missing', '-p', p.name, 'db', 'fresh'], [row(1, `image:${p.name}-fresh:1`, 'pull', 'service fresh (not found locally)')])
    await dryRun(h, p, ['--dry-run', 'push', '-p', p.name], [row(1, `image:${app}`, 'push', 'service app (to docker.io)'), row(2, `image:${pushed}`, 'push', 'service api (to 127.0.0.1:5999)')])
    await dryRun(h, p, ['push', '--dry-run', '-p', p.name, 'db'], [/^nothing to do: no image to push \(no service has both build: and image:\)$/])
    const tags = (await h.engine.listImages()).flatMap((i) => i.RepoTags ?? [])
    for (const image of [app, pushed, `${p.name}-fresh:1`]) assert.ok(!tags.includes(image), `${image} was made`)
  })

  it('wait --down-project waits (that changes nothing), then prints the down instead of doing it', async () => {
    const p = testProject('wait', `
services:
  job: {image: busybox, command: ["sh", "-c", "exit 3"]}
`)
    h.track(p)
    assert.equal(berth(['up', '-d', '--progress', 'quiet', '-p', p.name], p).code, 0)
    for (let i = 0; i < 50 && (await observe(h.engine, p.name)).containers[0]?.state !== 'exited'; i++) await new Promise((r) => setTimeout(r, 100))
    const before = await snapshot(h, p)
    const r = berth(['wait', '--dry-run', '--down-project', '-p', p.name, 'job'], p, {debug: true})
    assert.equal(r.code, 3, r.stderr)
    const lines = r.stdout.trimEnd().split('\n')
    assert.match(lines[0], /^container "[0-9a-f]{64}" exited with status code 3$/)
    assert.match(lines[1], row(1, `container:${p.name}-job-1`, 'remove', 'down'))
    assert.match(lines[2], row(2, `network:${p.name}_default`, 'remove', 'down'))
    // Waiting is a POST (/containers/ID/wait) that changes nothing; nothing else is sent.
    assert.deepEqual(r.requests.filter((req) => !/^(GET|HEAD) /.test(req)).map((req) => req.replace(/[0-9a-f]{64}/, 'ID')), ['POST /v1.41/containers/ID/wait'])
    assert.deepEqual(await snapshot(h, p), before)
  })

  it('read-only commands take the flag and run as without it; watch and deploy refuse it in one line', async () => {
    const p = testProject('readonly', `
services:
  db: {${sleeper}}
`)
    h.track(p)
    assert.equal(berth(['up', '-d', '--progress', 'quiet', '-p', p.name], p).code, 0)
    // (Outputs without times in them: those would differ between two runs.)
    for (const args of [['ps', '-q'], ['ps', '--services'], ['config'], ['images', '-q'], ['top'], ['logs'], ['port', 'db', '80']]) {
      const plain = berth([...args, '-p', p.name], p)
      const dry = berth(['--dry-run', ...args, '-p', p.name], p)
      assert.equal(plain.code, args[0] === 'port' ? 1 : 0, `${args.join(' ')}: ${plain.stderr}`)
      assert.equal(dry.code, plain.code, args.join(' '))
      if (args[0] !== 'top') assert.equal(dry.stdout, plain.stdout, args.join(' '))
      assert.equal(dry.stderr, plain.stderr, args.join(' '))
    }
    const ls = berth(['--dry-run', 'ls', '-q', '--filter', `name=${p.name}`], p)
    assert.equal(ls.code, 0, ls.stderr)
    assert.equal(ls.stdout, `${p.name}\n`)
    for (const [args, line] of [
      [['watch'], 'error: watch does not support --dry-run: it would change things it cannot show in advance'],
      [['deploy', '--target', 'local'], 'error: deploy does not support --dry-run: it would change things it cannot show in advance'],
    ] as const) {
      const before = await snapshot(h, p)
      const r = berth(['--dry-run', ...args, '-p', p.name], p)
      assert.equal(r.code, 1, args.join(' '))
      assert.equal(r.stderr.split('\n')[0], line)
      assert.deepEqual(await snapshot(h, p), before)
    }
  })
})
