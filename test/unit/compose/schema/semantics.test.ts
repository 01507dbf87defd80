import assert from 'node:assert/strict'
import {checkComposeRules} from '../../../../src/compose/validate.js'
import {isIpAddress} from '../../../../src/compose/validate/semantics.js'
import {assertInvalid, assertValid, service, yamlSource} from './support.js'

describe('validation rules outside the schema (one file)', () => {
  it('container_name with more than one replica is an error, pointing at the count', () => {
    assertInvalid(
      service('container_name: web\ndeploy:\n  replicas: 3'),
      'compose.yaml:6:7: container_name "web" cannot be used with deploy.replicas: 3, container names must be unique (services.web.deploy.replicas)',
    )
    assertInvalid(service('container_name: web\nscale: "2"'), 'compose.yaml:5:5: container_name "web" cannot be used with scale: 2, container names must be unique (services.web.scale)')
    assertValid(service('container_name: web\ndeploy:\n  replicas: 1'))
  })

  it('scale and deploy.replicas must agree, and neither may be negative', () => {
    assertInvalid(service('scale: 2\ndeploy:\n  replicas: 3'), 'compose.yaml:4:5: scale (2) and deploy.replicas (3) disagree (services.web.scale)')
    assertValid(service('scale: 3\ndeploy:\n  replicas: "3"'))
    assertInvalid(service('scale: -1'), 'compose.yaml:4:5: scale must be 0 or more, got -1 (services.web.scale)')
  })

  it('network_mode excludes networks; dockerfile excludes dockerfile_inline', () => {
    assertInvalid(service('network_mode: host\nnetworks: [front]'), 'compose.yaml:5:5: network_mode and networks cannot be used together (services.web.networks)')
    assertInvalid(
      service('build:\n  context: .\n  dockerfile: Dockerfile\n  dockerfile_inline: FROM busybox'),
      'compose.yaml:7:7: build.dockerfile and build.dockerfile_inline cannot be used together (services.web.build.dockerfile_inline)',
    )
  })

  it('healthcheck.test as a list starts with CMD, CMD-SHELL or NONE', () => {
    for (const first of ['CMD', 'CMD-SHELL', 'NONE']) assertValid(service(`healthcheck:\n  test: ["${first}", "true"]`))
    assertInvalid(
      service('healthcheck:\n  test: [curl, -f, http://localhost]'),
      'compose.yaml:5:14: healthcheck.test as a list must start with "CMD", "CMD-SHELL" or "NONE", got "curl" (services.web.healthcheck.test[0])',
    )
  })

  it('device requests: count and device_ids exclude each other', () => {
    assertInvalid(service('gpus:\n  - count: 1\n    device_ids: ["0"]'), 'compose.yaml:6:9: count and device_ids cannot be used together in a device request (services.web.gpus[0].device_ids)')
  })

  it('develop.watch: sync actions need a target; exec only with sync+exec', () => {
    assertInvalid(service('develop:\n  watch:\n    - path: .\n      action: sync'), 'compose.yaml:6:11: develop.watch action "sync" needs a target (the path in the container to sync to) (services.web.develop.watch[0])')
    assertInvalid(
      service('develop:\n  watch:\n    - path: .\n      action: rebuild\n      exec: {command: x}'),
      'compose.yaml:8:11: develop.watch exec is only used with action "sync+exec", not "rebuild" (services.web.develop.watch[0].exec)',
    )
  })

  it('external resources accept only name (and x- fields)', () => {
    assertValid('networks:\n  outside:\n    external: true\n    name: real\n    x-note: fine\n')
    assertValid('networks:\n  n:\n    external: false\n    driver: bridge\n')
    assertInvalid('networks:\n  outside:\n    external: true\n    driver: overlay\n', 'compose.yaml:4:5: external network "outside" cannot set "driver": Berth does not create it, only "name" may be given (networks.outside.driver)')
    assertInvalid('volumes:\n  v:\n    external: "yes"\n    labels: {a: b}\n', 'compose.yaml:4:5: external volume "v" cannot set "labels": Berth does not create it, only "name" may be given (volumes.v.labels)')
    assertInvalid('secrets:\n  s:\n    external: {name: x}\n    file: ./s\n', 'compose.yaml:4:5: external secret "s" cannot set "file": Berth does not create it, only "name" may be given (secrets.s.file)')
  })

  it('a secret or config takes its content from one source only', () => {
    assertInvalid('secrets:\n  s:\n    file: ./a\n    environment: B\n', 'compose.yaml:4:5: file and environment cannot be used together: a secret takes its content from exactly one of file, environment (secrets.s.environment)')
    assertInvalid(
      'configs:\n  c:\n    environment: B\n    content: x\n',
      'compose.yaml:4:5: environment and content cannot be used together: a config takes its content from exactly one of file, environment, content (configs.c.content)',
    )
  })
})

describe('isIpAddress', () => {
  it('accepts IPv4 and IPv6 (bracketed or not), rejects names and bad octets', () => {
    for (const ok of ['127.0.0.1', '0.0.0.0', '::', '::1', '[::1]', '2001:db8::10', '::ffff:10.0.0.1', 'fe80::1:2:3:4']) assert.equal(isIpAddress(ok), true, ok)
    for (const bad of ['localhost', '256.0.0.1', '1.2.3', '1.2.3.4.5', '2001:::1', ':::', '', 'fe80::g']) assert.equal(isIpAddress(bad), false, bad)
  })
})

describe('checkComposeRules on a merged model', () => {
  it('finds a rule broken across files and names the file the lookup gives for that path', () => {
    const base = yamlSource('services:\n  web:\n    image: x\n    container_name: web\n', 'base.yaml').source
    const override = yamlSource('services:\n  web:\n    deploy:\n      replicas: 2\n', 'override.yaml').source
    const merged = {services: {web: {image: 'x', container_name: 'web', deploy: {replicas: 2}}}}
    const sourceOf = (path: ReadonlyArray<string | number>) => (path.includes('deploy') ? override : base)
    assert.throws(() => checkComposeRules(merged, sourceOf), {
      name: 'ComposeFileError',
      message: 'override.yaml:4:7: container_name "web" cannot be used with deploy.replicas: 2, container names must be unique (services.web.deploy.replicas)',
    })
  })
})
