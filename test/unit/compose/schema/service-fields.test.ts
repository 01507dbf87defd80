import {assertInvalid, assertValid, service} from './support.js'

describe('schema: service fields', () => {
  it('accepts a service using every plain field of the specification', () => {
    assertValid(
      service(`annotations: {com.example.foo: bar}
attach: false
blkio_config:
  weight: 300
  weight_device: [{path: /dev/sda, weight: 400}]
  device_read_bps: [{path: /dev/sdb, rate: 12mb}]
  device_read_iops: [{path: /dev/sdb, rate: 120}]
  device_write_bps: [{path: /dev/sdb, rate: 1024k}]
  device_write_iops: [{path: /dev/sdb, rate: 30}]
cap_add: [ALL]
cap_drop: [NET_ADMIN]
cgroup: private
cgroup_parent: m-executor-abcd
command: bundle exec thin -p 3000
configs: [my_config, {source: other, target: /etc/other, uid: "103", gid: "103", mode: 0440}]
container_name: my-web-container
cpu_count: 2
cpu_percent: 50
cpu_shares: 512
cpu_period: 100000
cpu_quota: 50000
cpu_rt_runtime: 400ms
cpu_rt_period: 11000
cpus: 0.5
cpuset: 0-3
credential_spec: {file: my-credential-spec.json}
device_cgroup_rules: ['c 1:3 mr']
devices: ["/dev/ttyUSB0:/dev/ttyUSB0", "vendor1.com/device=gpu", {source: /dev/sda, target: /dev/xvda, permissions: rwm}]
dns: 8.8.8.8
dns_opt: [use-vc]
dns_search: [dc1.example.com]
domainname: example.com
entrypoint: [php, -d, memory_limit=-1]
env_file: [./a.env, {path: ./b.env, required: false, format: raw}]
environment: {RACK_ENV: development, SHOW: "true", USER_INPUT: null, N: 1}
expose: ["3000"]
external_links: [redis, "database:mysql"]
extra_hosts: {somehost: 162.242.195.82, multi: ["::1", 10.0.0.1]}
gpus: all
group_add: [mail, 42]
hostname: web
init: true
ipc: shareable
isolation: default
label_file: ./app.labels
labels: [com.example.description=Accounting webapp]
links: ["db:database"]
logging: {driver: syslog, options: {syslog-address: "tcp://192.168.0.42:123", max-file: 3}}
mac_address: 02:42:ac:11:65:43
mem_limit: 512m
mem_reservation: 256m
mem_swappiness: 60
memswap_limit: -1
models: [ai_model]
oom_kill_disable: true
oom_score_adj: -500
pid: host
pids_limit: 10
platform: linux/arm64/v8
post_start: [{command: ./start.sh, user: root, privileged: true, environment: [FOO=BAR]}]
pre_start: [{command: ["./manage.py", "migrate"]}, {image: busybox, command: "sh -c 'chown -R 1000 /data'", per_replica: true}]
pre_stop: [{command: ./stop.sh, working_dir: /app}]
privileged: false
profiles: [frontend, debug]
pull_policy: every_12h
read_only: true
restart: on-failure:3
runtime: runc
scale: 1
secrets: [server-certificate, {source: token, target: token.txt, mode: 0o440}]
security_opt: ["label:user:USER"]
shm_size: 64m
stdin_open: true
stop_grace_period: 1m30s
stop_signal: SIGUSR1
storage_opt: {size: 1G}
sysctls: [net.core.somaxconn=1024]
tty: true
ulimits: {nproc: 65535, nofile: {soft: 20000, hard: 40000}}
use_api_socket: true
user: "1000:1000"
userns_mode: host
uts: host
working_dir: /app
x-anything: {goes: here}`),
    )
  })

  it('accepts a provider service and the null command/entrypoint', () => {
    assertValid('services:\n  database:\n    provider:\n      type: awesomecloud\n      options: {type: mysql, sizes: [1, 2]}\n')
    assertValid(service('command: null\nentrypoint: []'))
  })

  it('environment and labels: a mapping of scalars or a list of strings', () => {
    assertValid(service('environment:\n  - RACK_ENV=development\n  - USER_INPUT\nlabels:\n  a: "1"\n  b: 2\n  c: true'))
    assertInvalid(service('environment: FOO=bar'), 'compose.yaml:4:5: expected a mapping or a list of "NAME=VALUE" strings, got "FOO=bar" (services.web.environment)')
    assertInvalid(service('environment:\n  A: [1, 2]'), 'compose.yaml:5:7: expected a string, a number, a boolean or null, got a list (services.web.environment.A)')
    assertInvalid(service('labels:\n  - a: b'), 'compose.yaml:5:9: expected a string, got a mapping (services.web.labels[0])')
  })

  it('integers, numbers and booleans: native values or strings that cast (docker compose casts after interpolation)', () => {
    assertValid(service('cpus: "0.5"\ncpu_shares: "512"\nread_only: "true"\ninit: "yes"\ntty: "${TTY}"\npids_limit: "-1"\nstop_grace_period: "${GRACE}"'))
    assertInvalid(service('cpus: lots'), 'compose.yaml:4:5: expected a number, got "lots" (services.web.cpus)')
    assertInvalid(service('cpu_shares: 1.5'), 'compose.yaml:4:5: expected an integer, got 1.5 (services.web.cpu_shares)')
    assertInvalid(service('read_only: "maybe"'), 'compose.yaml:4:5: expected true or false, got "maybe" (services.web.read_only)')
    assertInvalid(service('privileged: 1'), 'compose.yaml:4:5: expected true or false, got 1 (services.web.privileged)')
  })

  it('ranges of the specification: mem_swappiness 0..100, oom_score_adj -1000..1000, blkio weight 10..1000', () => {
    assertInvalid(service('mem_swappiness: 200'), 'compose.yaml:4:5: expected a value from 0 to 100, got 200 (services.web.mem_swappiness)')
    assertInvalid(service('oom_score_adj: -2000'), 'compose.yaml:4:5: expected a value from -1000 to 1000, got -2000 (services.web.oom_score_adj)')
    assertInvalid(service('blkio_config:\n  weight: 5'), 'compose.yaml:5:7: expected a value from 10 to 1000, got 5 (services.web.blkio_config.weight)')
  })

  it('durations and byte sizes', () => {
    assertInvalid(service('stop_grace_period: 10'), 'compose.yaml:4:5: expected a duration such as "10s" or "1m30s", got 10 (services.web.stop_grace_period)')
    assertInvalid(service('stop_grace_period: 10 seconds'), 'compose.yaml:4:5: expected a duration such as "10s" or "1m30s", got "10 seconds" (services.web.stop_grace_period)')
    assertInvalid(service('mem_limit: 1 lot'), 'compose.yaml:4:5: expected a byte size such as "512m", "1gb" or a number of bytes, got "1 lot" (services.web.mem_limit)')
    assertValid(service('mem_limit: 1073741824\nshm_size: 2gb\nmemswap_limit: 1.5g'))
  })

  it('restart: the policies the specification lists', () => {
    for (const policy of ['"no"', 'always', 'on-failure', 'on-failure:3', 'unless-stopped']) assertValid(service(`restart: ${policy}`))
    assertInvalid(service('restart: sometimes'), 'compose.yaml:4:5: expected "no", "always", "on-failure[:max-retries]" or "unless-stopped", got "sometimes" (services.web.restart)')
    // YAML 1.2 reads an unquoted no as a string, YAML 1.1 as false: either way it is not a policy name.
    assertInvalid(service('restart: false'), 'compose.yaml:4:5: expected "no", "always", "on-failure[:max-retries]" or "unless-stopped", got false (services.web.restart)')
  })

  it('pull_policy, profiles and container_name formats', () => {
    for (const policy of ['always', 'never', 'missing', 'if_not_present', 'build', 'refresh', 'daily', 'weekly', 'every_1w2d']) assertValid(service(`pull_policy: ${policy}`))
    assertValid(service('pull_policy: refresh\npull_refresh_after: 24h'))
    assertInvalid(service('pull_policy: hourly'), /expected "always", "never", "missing", "build", "daily", "weekly" or "every_<duration>", got "hourly"/)
    assertInvalid(service('profiles: [_debug]'), 'compose.yaml:4:16: expected a profile name: a letter or digit, then letters, digits, "_", "." or "-", got "_debug" (services.web.profiles[0])')
    assertInvalid(service('container_name: "-web"'), 'compose.yaml:4:5: expected a container name: a letter or digit, then letters, digits, "_", "." or "-", got "-web" (services.web.container_name)')
  })

  it('healthcheck, logging and extends', () => {
    assertValid(service('healthcheck:\n  test: ["CMD", "curl", "-f", "http://localhost"]\n  interval: 1m30s\n  timeout: 10s\n  retries: 3\n  start_period: 40s\n  start_interval: 5s'))
    assertValid(service('healthcheck:\n  disable: true'))
    assertInvalid(service('healthcheck:\n  retries: three'), 'compose.yaml:5:7: expected an integer, got "three" (services.web.healthcheck.retries)')
    assertInvalid(service('healthcheck:\n  intervall: 5s'), 'compose.yaml:5:7: unknown field "intervall", did you mean "interval"? (services.web.healthcheck.intervall)')
    assertInvalid(service('logging:\n  driver: json-file\n  options: [max-size=1m]'), 'compose.yaml:6:7: expected a mapping, got a list (services.web.logging.options)')
    assertValid(service('extends:\n  file: common.yml\n  service: webapp'))
    assertValid(service('extends: webapp'))
    assertInvalid(service('extends:\n  file: common.yml'), 'compose.yaml:4:5: missing required field "service" (services.web.extends)')
  })

  it('service networks: a list of names or a mapping with per-network options', () => {
    assertValid(service('networks: [front, back]'))
    assertValid(
      service(`networks:
  front:
  back:
    aliases: [database]
    interface_name: eth1
    ipv4_address: 172.16.238.10
    ipv6_address: 2001:3984:3989::10
    link_local_ips: [57.123.22.11]
    mac_address: 02:42:ac:11:65:43
    driver_opts: {foo: bar, baz: 1}
    gw_priority: 1
    priority: 1000`),
    )
    assertInvalid(service('networks:\n  front:\n    alias: [x]'), 'compose.yaml:6:9: unknown field "alias", did you mean "aliases"? (services.web.networks.front.alias)')
    assertInvalid(service('networks: front'), 'compose.yaml:4:5: expected a list of strings or a mapping, got "front" (services.web.networks)')
  })

  it('secrets, configs and env_file long syntax', () => {
    assertInvalid(service('secrets:\n  - target: /x'), 'compose.yaml:5:9: missing required field "source" (services.web.secrets[0])')
    assertInvalid(service('env_file:\n  - path: a.env\n    optional: true'), 'compose.yaml:6:9: unknown field "optional" (services.web.env_file[0].optional)')
    assertInvalid(service('ulimits:\n  nofile: {soft: 1}'), 'compose.yaml:5:7: missing required field "hard" (services.web.ulimits.nofile)')
  })

  it('unknown fields: a suggestion when one is close, the x- hint otherwise', () => {
    assertInvalid(service('imagee: nginx'), 'compose.yaml:4:5: unknown field "imagee", did you mean "image"? (services.web.imagee)')
    assertInvalid(service('enviroment: {A: 1}'), 'compose.yaml:4:5: unknown field "enviroment", did you mean "environment"? (services.web.enviroment)')
    assertInvalid(service('frobnicate: true'), 'compose.yaml:4:5: unknown field "frobnicate" (services.web.frobnicate)')
  })

  it('a service must be a mapping, and its name letters, digits, ".", "_" or "-"', () => {
    assertInvalid('services:\n  web:\n', 'compose.yaml:2:3: expected a mapping, got null (services.web)')
    assertInvalid('services:\n  "web app":\n    image: x\n', 'compose.yaml:2:3: invalid service name "web app": use only letters, digits, ".", "_" and "-" (services.web app)')
  })
})
