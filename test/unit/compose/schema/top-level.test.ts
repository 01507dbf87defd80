import {assertInvalid, assertValid} from './support.js'

describe('schema: top-level sections', () => {
  it('accepts name, version (obsolete, string or number), include, models and x- fields', () => {
    assertValid('name: myapp\nversion: "3.8"\nservices: {}\nx-common: &c {image: busybox}\n')
    assertValid('version: 3.8\nservices:\n  web: {image: x}\n')
    assertValid('include:\n  - ../commons/compose.yaml\n  - path: [../a/compose.yaml, ./override.yaml]\n    project_directory: ..\n    env_file: [../a/.env, ../a/dev.env]\n')
    assertValid('services:\n  app:\n    image: app\n    models:\n      my_model: {endpoint_var: MODEL_URL, model_var: MODEL}\n      other:\nmodels:\n  my_model:\n    model: ai/model\n    context_size: 1024\n    runtime_flags: ["--a-flag"]\n  other: {model: ai/other}\n')
  })

  it('rejects an unknown top-level field, suggesting the close one', () => {
    assertInvalid('servces:\n  web: {image: x}\n', 'compose.yaml:1:1: unknown top-level field "servces", did you mean "services"? (servces)')
    assertInvalid('services: {}\nfoo: 1\n', 'compose.yaml:2:1: unknown top-level field "foo" (foo)')
  })

  it('networks: every attribute, null entries, and errors inside ipam', () => {
    assertValid(
      `networks:
  plain:
  custom:
    name: my-app-net
    driver: overlay
    driver_opts: {foo: "bar", baz: 1}
    attachable: true
    enable_ipv4: false
    enable_ipv6: true
    internal: true
    labels: [com.example.description=net]
    ipam:
      driver: default
      config:
        - subnet: 172.28.0.0/16
          ip_range: 172.28.5.0/24
          gateway: 172.28.5.254
          aux_addresses: {host1: 172.28.1.5}
      options: {foo: bar}
  outside:
    external: true
    name: "actual"
`,
    )
    assertInvalid('networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/8\n          gatway: 10.0.0.1\n', 'compose.yaml:6:11: unknown field "gatway", did you mean "gateway"? (networks.n.ipam.config[0].gatway)')
    assertInvalid('networks:\n  n:\n    internal: maybe\n', 'compose.yaml:3:5: expected true or false, got "maybe" (networks.n.internal)')
  })

  it('volumes: every attribute and the legacy external: {name}', () => {
    assertValid('volumes:\n  db-data:\n  nfs:\n    driver: local\n    driver_opts: {type: nfs, o: "addr=10.40.0.199,nolock"}\n    labels: {a: b}\n    name: my-app-data\n  old:\n    external:\n      name: actual-name-of-volume\n')
    assertInvalid('volumes:\n  v:\n    driver_options: {a: b}\n', 'compose.yaml:3:5: unknown field "driver_options", did you mean "driver_opts"? (volumes.v.driver_options)')
  })

  it('secrets and configs: file, environment, content, external', () => {
    assertValid('secrets:\n  cert: {file: ./server.cert}\n  token: {environment: OAUTH_TOKEN}\n  ext: {external: true, name: "${KEY}"}\nconfigs:\n  http: {file: ./httpd.conf}\n  app: {content: "debug=${DEBUG}"}\n  env: {environment: CONF}\n  ext: {external: true}\n')
    assertInvalid('secrets:\n  cert:\n    content: x\n', 'compose.yaml:3:5: unknown field "content" (secrets.cert.content)')
    assertInvalid('configs:\n  c:\n    file: 42\n', 'compose.yaml:3:5: expected a string, got 42 (configs.c.file)')
  })

  it('a section must be a mapping', () => {
    assertInvalid('services:\n  - web\n', 'compose.yaml:1:1: expected a mapping, got a list (services)')
    assertInvalid('volumes: [data]\n', 'compose.yaml:1:1: expected a mapping, got a list (volumes)')
    assertInvalid('include: a.yaml\n', 'compose.yaml:1:1: expected a list, got "a.yaml" (include)')
  })

  it('allows x- fields in fixed mappings at any depth but not as arbitrary fields', () => {
    assertValid('services:\n  web:\n    image: x\n    deploy:\n      placement:\n        x-aws-role: "arn:aws:iam::1:role/foo"\n    x-foo: bar\nnetworks:\n  n:\n    x-n: 1\n')
    assertInvalid('services:\n  web:\n    image: x\n    deploy:\n      placement:\n        aws-role: foo\n', 'compose.yaml:6:9: unknown field "aws-role" (services.web.deploy.placement.aws-role)')
  })
})

describe('schema: resource names and empty sections', () => {
  it('volume, secret and config names are letters, digits, ".", "_" and "-"', () => {
    assertInvalid('volumes:\n  "my data": {}\n', 'compose.yaml:2:3: invalid volume name "my data": use only letters, digits, ".", "_" and "-" (volumes.my data)')
    assertInvalid('secrets:\n  "a/b": {file: x}\n', 'compose.yaml:2:3: invalid secret name "a/b": use only letters, digits, ".", "_" and "-" (secrets.a/b)')
    assertValid('volumes:\n  db-data_1.v2: {}\n')
  })

  it('deploy and develop may be null (same as absent)', () => {
    assertValid('services:\n  web:\n    image: x\n    deploy:\n    develop:\n')
  })
})
