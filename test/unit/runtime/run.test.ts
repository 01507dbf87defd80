import {strict as assert} from 'node:assert'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Project, ServiceConfig} from '../../../src/compose/types.js'
import {BerthError} from '../../../src/errors.js'
import {oneOffAliases, oneOffService, readEnvFromFiles} from '../../../src/runtime/run.js'

const web: ServiceConfig = {
  name: 'web',
  image: 'busybox',
  command: ['httpd', '-f'],
  container_name: 'fixed-name',
  restart: 'always',
  environment: {MODE: 'prod'},
  ports: [{mode: 'ingress', target: 80, published: '8080', protocol: 'tcp'}],
  volumes: [{type: 'volume', source: 'data', target: '/data'}],
}

const project: Project = {
  name: 'demo',
  workingDir: '/srv/demo',
  configFiles: ['/srv/demo/compose.yaml'],
  services: {web},
  disabledServices: {},
  networks: {},
  volumes: {data: {name: 'demo_data'}},
  secrets: {},
  configs: {},
  extensions: {},
  environment: {},
  profiles: [],
}

describe('runtime/run: the one-off service', () => {
  it('drops published ports, restart policy and container_name; keeps the rest', () => {
    const s = oneOffService(project, web, {service: 'web', command: [], tty: false, interactive: false})
    assert.equal(s.ports, undefined)
    assert.equal(s.restart, undefined)
    assert.equal(s.container_name, undefined)
    assert.deepEqual(s.command, ['httpd', '-f'])
    assert.deepEqual(s.environment, {MODE: 'prod'})
    assert.equal(s.tty, false)
    assert.equal(web.restart, 'always', 'the project is not modified')
  })

  it('applies command, entrypoint, env, labels, user, workdir, volumes and ports from the command line', () => {
    process.env.BERTH_TEST_PASSED = 'from-env'
    const s = oneOffService(project, web, {
      service: 'web',
      command: ['sh', '-c', 'env'],
      entrypoint: 'tini -- "my entry"',
      env: ['MODE=dev', 'BERTH_TEST_PASSED'],
      labels: ['team=core'],
      user: '1000:1000',
      workdir: '/app',
      volumes: ['./src:/app/src:ro', 'cache:/cache', '/scratch'],
      publish: ['127.0.0.1:9000:80/udp'],
      servicePorts: true,
      tty: true,
      interactive: true,
    })
    assert.deepEqual(s.command, ['sh', '-c', 'env'])
    assert.deepEqual(s.entrypoint, ['tini', '--', 'my entry'])
    assert.deepEqual(s.environment, {MODE: 'dev', BERTH_TEST_PASSED: 'from-env'})
    assert.deepEqual(s.labels, {team: 'core'})
    assert.equal(s.user, '1000:1000')
    assert.equal(s.working_dir, '/app')
    assert.deepEqual(s.volumes, [
      {type: 'volume', source: 'data', target: '/data'},
      {type: 'bind', source: '/srv/demo/src', target: '/app/src', read_only: true, bind: {create_host_path: true}},
      {type: 'volume', source: 'cache', target: '/cache'},
      {type: 'volume', target: '/scratch'},
    ])
    assert.equal(s.ports?.length, 2)
    assert.deepEqual(s.ports?.[0], web.ports?.[0])
    assert.equal(s.ports?.[1].host_ip, '127.0.0.1')
    assert.equal(s.ports?.[1].published, '9000')
    assert.equal(s.ports?.[1].protocol, 'udp')
    assert.equal(s.tty, true)
    assert.equal(s.stdin_open, true)
  })

  it('an invalid -p is one clear error', () => {
    assert.throws(() => oneOffService(project, web, {service: 'web', command: [], publish: ['80/xyz'], tty: false, interactive: false}), /invalid -p "80\/xyz"/)
  })
})

describe('runtime/run: run flags of docker compose v5', () => {
  const base = {service: 'web', command: [], tty: false, interactive: false}

  it('--cap-add / --cap-drop go on top of the service\'s; adding takes a capability off the drops and the other way round', () => {
    const service: ServiceConfig = {...web, cap_add: ['SYS_TIME'], cap_drop: ['NET_ADMIN', 'MKNOD']}
    const s = oneOffService(project, service, {...base, capAdd: ['NET_ADMIN', 'SYS_TIME'], capDrop: ['CHOWN', 'SYS_TIME']})
    assert.deepEqual(s.cap_add, ['NET_ADMIN'])
    assert.deepEqual(s.cap_drop, ['MKNOD', 'CHOWN', 'SYS_TIME'])
    assert.deepEqual(service.cap_add, ['SYS_TIME'], 'the project is not modified')
    const plain = oneOffService(project, service, base)
    assert.deepEqual([plain.cap_add, plain.cap_drop], [['SYS_TIME'], ['NET_ADMIN', 'MKNOD']])
  })

  it('a one-off answers to its own name only; with --use-aliases also to the service and its aliases, never to the replica name', () => {
    const replica = ['web', 'demo-web-1', 'api', 'www']
    assert.deepEqual(oneOffAliases('demo-web-run-0123456789ab', 'demo-web-1', false)(replica), ['demo-web-run-0123456789ab'])
    assert.deepEqual(oneOffAliases('demo-web-run-0123456789ab', 'demo-web-1', true)(replica), ['demo-web-run-0123456789ab', 'web', 'api', 'www'])
  })

  describe('--env-from-file', () => {
    let dir: string
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'berth-run-env-'))
      writeFileSync(join(dir, 'a.env'), '# comment\nA=1\nB="two words"\nBARE\nREF=${HOME}x\nDOLLAR=$$y\n')
      writeFileSync(join(dir, 'b.env'), 'B=second\n')
    })
    after(() => rmSync(dir, {recursive: true, force: true}))

    it('reads KEY=VALUE lines in order, a later file winning; bare keys and ${VAR} see only the files, as in compose', async () => {
      const saved = process.env.BARE
      process.env.BARE = 'from-the-environment'
      try {
        assert.deepEqual(await readEnvFromFiles([join(dir, 'a.env'), join(dir, 'b.env')]), ['A=1', 'B=second', 'REF=x', 'DOLLAR=$y'])
      } finally {
        if (saved === undefined) delete process.env.BARE
        else process.env.BARE = saved
      }
    })

    it('-e entries after the files win (they are applied in order)', async () => {
      const env = [...(await readEnvFromFiles([join(dir, 'a.env')])), 'A=from-e']
      const s = oneOffService(project, web, {...base, env})
      assert.equal(s.environment?.A, 'from-e')
      assert.equal(s.environment?.B, 'two words')
      assert.equal(s.environment?.MODE, 'prod')
    })

    it('a missing file or a directory is one line naming it', async () => {
      await assert.rejects(readEnvFromFiles([join(dir, 'nope.env')]), (e: unknown) => e instanceof BerthError && e.message === `--env-from-file ${join(dir, 'nope.env')}: no such file`)
      await assert.rejects(readEnvFromFiles([dir]), /is a directory, not a file/)
    })
  })
})
