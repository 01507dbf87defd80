import {assertInvalid, assertValid, service} from './support.js'

describe('schema: build', () => {
  it('accepts a context string or a mapping with every build option', () => {
    assertValid(service('build: ./dir'))
    assertValid(
      service(`build:
  context: .
  dockerfile: webapp.Dockerfile
  additional_contexts: [resources=/path/to/resources, "app=docker-image://my-app:latest"]
  args: {GIT_COMMIT: cdc3b19, EMPTY: null}
  cache_from: [alpine:latest, "type=local,src=path/to/cache"]
  cache_to: ["type=local,dest=path/to/cache"]
  entitlements: [network.host]
  extra_hosts: ["somehost=162.242.195.82"]
  isolation: default
  labels: {com.example.description: Accounting webapp}
  network: host
  no_cache: true
  no_cache_filter: [deps]
  platforms: [linux/amd64, linux/arm64]
  privileged: true
  provenance: mode=max
  pull: true
  sbom: true
  secrets: [server-certificate, {source: token, target: cert, uid: "103", gid: "103", mode: 0440}]
  shm_size: 2gb
  ssh: [default, myproject=~/.ssh/myproject.pem]
  tags: ["myimage:mytag"]
  target: prod
  ulimits: {nproc: 65535}
  x-builder: custom`),
    )
    assertValid(service('build:\n  context: .\n  dockerfile_inline: |\n    FROM busybox\n    RUN true\n  args: [GIT_COMMIT]'))
  })

  it('rejects unknown build options and wrong types, deepest problem first', () => {
    assertInvalid(service('build:\n  context: .\n  dockerfiel: x'), 'compose.yaml:6:7: unknown field "dockerfiel", did you mean "dockerfile"? (services.web.build.dockerfiel)')
    assertInvalid(service('build:\n  context: .\n  args: 5'), 'compose.yaml:6:7: expected a mapping or a list of "NAME=VALUE" strings, got 5 (services.web.build.args)')
    assertInvalid(service('build: 5'), 'compose.yaml:4:5: expected a string or a mapping, got 5 (services.web.build)')
  })
})

describe('schema: deploy', () => {
  it('accepts the whole deploy specification', () => {
    assertValid(
      service(`deploy:
  mode: replicated
  replicas: 2
  endpoint_mode: dnsrr
  labels: {com.example.description: web}
  placement:
    constraints: [disktype=ssd]
    preferences: [{spread: node.labels.zone}]
    max_replicas_per_node: 1
  resources:
    limits: {cpus: '0.50', memory: 50M, pids: 1}
    reservations:
      cpus: 0.25
      memory: 20M
      generic_resources: [{discrete_resource_spec: {kind: gpu, value: 2}}]
      devices:
        - capabilities: [gpu]
          driver: nvidia
          count: all
          options: {virtualization: false}
        - capabilities: [tpu]
          device_ids: ["GPU-f123"]
  restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 120s}
  rollback_config: {parallelism: 0, delay: 0s, failure_action: pause, monitor: 10s, max_failure_ratio: 0.1, order: stop-first}
  update_config: {parallelism: 2, delay: 10s, failure_action: rollback, order: start-first}`),
    )
    assertValid(service('deploy:\n  mode: global-job'))
  })

  it('replicas from interpolation ("3") passes; a non-number does not', () => {
    assertValid(service('deploy:\n  replicas: "3"'))
    assertInvalid(service('deploy:\n  replicas: many'), 'compose.yaml:5:7: expected an integer, got "many" (services.web.deploy.replicas)')
  })

  it('rejects bad enums and a device request without capabilities', () => {
    assertInvalid(service('deploy:\n  mode: everywhere'), 'compose.yaml:5:7: expected one of "replicated", "global", "replicated-job", "global-job", got "everywhere" (services.web.deploy.mode)')
    assertInvalid(service('deploy:\n  restart_policy:\n    condition: always'), 'compose.yaml:6:9: expected one of "none", "on-failure", "any", got "always" (services.web.deploy.restart_policy.condition)')
    assertInvalid(service('deploy:\n  update_config:\n    order: random'), 'compose.yaml:6:9: expected one of "start-first", "stop-first", got "random" (services.web.deploy.update_config.order)')
    assertInvalid(
      service('deploy:\n  resources:\n    reservations:\n      devices:\n        - driver: nvidia'),
      'compose.yaml:8:15: missing required field "capabilities" (services.web.deploy.resources.reservations.devices[0])',
    )
    assertInvalid(service('deploy:\n  resources:\n    limits:\n      memory: lots'), /expected a byte size such as "512m", "1gb" or a number of bytes, got "lots" \(services\.web\.deploy\.resources\.limits\.memory\)$/)
  })
})

describe('schema: develop', () => {
  it('accepts watch rules for every action', () => {
    assertValid(
      service(`develop:
  watch:
    - path: ./webapp/html
      action: sync
      target: /var/www
      initial_sync: true
      ignore: [node_modules/]
    - path: ./src
      action: rebuild
      include: "*.go"
    - path: ./etc/config
      action: sync+exec
      target: /etc/config/
      exec:
        command: app reload
        user: root
    - path: ./conf
      action: restart
    - path: ./lib
      action: sync+restart
      target: /lib`),
    )
  })

  it('rejects an unknown action, a missing path, and exec without its command', () => {
    assertInvalid(service('develop:\n  watch:\n    - path: .\n      action: copy'), 'compose.yaml:7:11: expected one of "rebuild", "restart", "sync", "sync+restart", "sync+exec", got "copy" (services.web.develop.watch[0].action)')
    assertInvalid(service('develop:\n  watch:\n    - action: rebuild'), 'compose.yaml:6:11: missing required field "path" (services.web.develop.watch[0])')
    assertInvalid(service('develop:\n  watch:\n    - path: ""\n      action: rebuild'), 'compose.yaml:6:11: expected a non-empty string, got "" (services.web.develop.watch[0].path)')
    assertInvalid(
      service('develop:\n  watch:\n    - path: .\n      action: sync+exec\n      target: /app\n      exec: {user: root}'),
      'compose.yaml:9:11: missing required field "command" (services.web.develop.watch[0].exec)',
    )
  })
})
