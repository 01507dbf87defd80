import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {UnsupportedError} from '../../../src/errors.js'
import {EngineConfigError, discoverEndpoint, parseHost} from '../../../src/engine/index.js'

describe('engine: endpoint discovery', () => {
  let home: string

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'berth-home-'))
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  function writeContext(name: string, host: string, tls?: Record<string, string>, skipVerify = false, configDir = join(home, '.docker')) {
    const id = createHash('sha256').update(name).digest('hex')
    mkdirSync(join(configDir, 'contexts', 'meta', id), {recursive: true})
    writeFileSync(join(configDir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({Name: name, Metadata: {}, Endpoints: {docker: {Host: host, SkipTLSVerify: skipVerify}}}))
    if (tls) {
      const dir = join(configDir, 'contexts', 'tls', id, 'docker')
      mkdirSync(dir, {recursive: true})
      for (const [file, content] of Object.entries(tls)) writeFileSync(join(dir, file), content)
    }
  }

  it('defaults to the standard unix socket', () => {
    const endpoint = discoverEndpoint({env: {}, home})
    assert.deepEqual(endpoint, {host: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock', origin: 'http://localhost', source: 'default'})
  })

  it('uses DOCKER_HOST, plain tcp without TLS variables', () => {
    assert.equal(discoverEndpoint({env: {DOCKER_HOST: 'unix:///tmp/d.sock'}, home}).socketPath, '/tmp/d.sock')
    const tcp = discoverEndpoint({env: {DOCKER_HOST: 'tcp://10.0.0.2'}, home})
    assert.equal(tcp.origin, 'http://10.0.0.2:2375')
    assert.equal(tcp.tls, undefined)
    assert.equal(tcp.source, 'DOCKER_HOST')
  })

  it('reads TLS material from DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set', () => {
    const certs = join(home, 'certs')
    mkdirSync(certs)
    writeFileSync(join(certs, 'ca.pem'), 'CA')
    writeFileSync(join(certs, 'cert.pem'), 'CERT')
    writeFileSync(join(certs, 'key.pem'), 'KEY')
    const endpoint = discoverEndpoint({env: {DOCKER_HOST: 'tcp://engine.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs}, home})
    assert.equal(endpoint.origin, 'https://engine.example:2376')
    assert.equal(endpoint.tls?.verify, true)
    assert.equal(endpoint.tls?.ca?.toString(), 'CA')
    assert.equal(endpoint.tls?.cert?.toString(), 'CERT')
    assert.equal(endpoint.tls?.key?.toString(), 'KEY')
  })

  it('defaults DOCKER_CERT_PATH to ~/.docker and fails clearly without a ca.pem', () => {
    assert.throws(() => discoverEndpoint({env: {DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1'}, home}), (error: unknown) => {
      assert.ok(error instanceof EngineConfigError)
      assert.ok(error.message.includes(join(home, '.docker', 'ca.pem')))
      return true
    })
  })

  it('follows DOCKER_CONTEXT into the context store, with its TLS files', () => {
    writeContext('remote', 'tcp://192.0.2.7:2376', {'ca.pem': 'CTX-CA', 'cert.pem': 'C', 'key.pem': 'K'})
    const endpoint = discoverEndpoint({env: {DOCKER_CONTEXT: 'remote'}, home})
    assert.equal(endpoint.host, 'tcp://192.0.2.7:2376')
    assert.equal(endpoint.origin, 'https://192.0.2.7:2376')
    assert.equal(endpoint.tls?.ca?.toString(), 'CTX-CA')
    assert.equal(endpoint.tls?.verify, true)
    assert.equal(endpoint.source, 'context "remote"')
  })

  it('follows currentContext in config.json, honouring DOCKER_CONFIG and SkipTLSVerify', () => {
    const configDir = join(home, 'elsewhere')
    mkdirSync(configDir)
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({currentContext: 'lab'}))
    writeContext('lab', 'tcp://lab:2376', {'ca.pem': 'X'}, true, configDir)
    const endpoint = discoverEndpoint({env: {DOCKER_CONFIG: configDir}, home})
    assert.equal(endpoint.host, 'tcp://lab:2376')
    assert.equal(endpoint.tls?.verify, false)
    assert.match(endpoint.source, /context "lab"/)
  })

  it('lets DOCKER_HOST win over DOCKER_CONTEXT and explicit options win over both, as the docker CLI does', () => {
    writeContext('remote', 'unix:///ctx.sock')
    assert.equal(discoverEndpoint({env: {DOCKER_HOST: 'unix:///env.sock', DOCKER_CONTEXT: 'remote'}, home}).socketPath, '/env.sock')
    assert.equal(discoverEndpoint({context: 'remote', env: {DOCKER_HOST: 'unix:///env.sock'}, home}).socketPath, '/ctx.sock')
    assert.equal(discoverEndpoint({host: 'unix:///flag.sock', context: 'remote', env: {}, home}).socketPath, '/flag.sock')
  })

  it('treats the context named default as the environment', () => {
    mkdirSync(join(home, '.docker'))
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({currentContext: 'default'}))
    assert.equal(discoverEndpoint({env: {}, home}).source, 'default')
    assert.equal(discoverEndpoint({env: {DOCKER_CONTEXT: 'default'}, home}).source, 'default')
  })

  it('names a missing context and an unusable address', () => {
    assert.throws(() => discoverEndpoint({env: {DOCKER_CONTEXT: 'nope'}, home}), /docker context "nope" \(from DOCKER_CONTEXT\) does not exist/)
    assert.throws(() => parseHost('ssh://me@host', 'DOCKER_HOST'), (error: unknown) => error instanceof UnsupportedError)
    assert.throws(() => parseHost('ftp://host', 'DOCKER_HOST'), /unknown scheme/)
    assert.equal(parseHost('/run/user/1000/docker.sock', 'x').host, 'unix:///run/user/1000/docker.sock')
    assert.equal(parseHost('tcp://[::1]:2375', 'x').origin, 'http://[::1]:2375')
  })
})
