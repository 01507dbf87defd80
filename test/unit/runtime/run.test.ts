import {strict as assert} from 'node:assert'
import type {Project, ServiceConfig} from '../../../src/compose/types.js'
import {oneOffService} from '../../../src/runtime/run.js'

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
