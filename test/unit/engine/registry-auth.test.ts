import assert from 'node:assert/strict'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DOCKER_HUB_AUTH_KEY, EngineClient, registryOf, resolveRegistryAuth} from '../../../src/engine/index.js'

describe('engine: registry credentials', () => {
  let dir: string
  let config: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-auth-'))
    config = join(dir, 'docker')
    mkdirSync(config)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const writeConfig = (value: unknown) => writeFileSync(join(config, 'config.json'), JSON.stringify(value))
  const b64 = (s: string) => Buffer.from(s).toString('base64')

  it('knows which registry an image lives in', () => {
    assert.equal(registryOf('busybox'), DOCKER_HUB_AUTH_KEY)
    assert.equal(registryOf('library/busybox:1.36'), DOCKER_HUB_AUTH_KEY)
    assert.equal(registryOf('docker.io/library/busybox'), DOCKER_HUB_AUTH_KEY)
    assert.equal(registryOf('127.0.0.1:5000/app:v1'), '127.0.0.1:5000')
    assert.equal(registryOf('ghcr.io/org/app'), 'ghcr.io')
    assert.equal(registryOf('localhost/app'), 'localhost')
  })

  it('reads auths entries (user:password and identity tokens); none means anonymous', async () => {
    writeConfig({auths: {'registry.example:5000': {auth: b64('alice:pa:ss')}, [DOCKER_HUB_AUTH_KEY]: {identitytoken: 'tok-1'}}})
    const env = {DOCKER_CONFIG: config}
    assert.deepEqual(await resolveRegistryAuth('registry.example:5000/team/app:v1', {env}), {username: 'alice', password: 'pa:ss', serveraddress: 'registry.example:5000'})
    assert.deepEqual(await resolveRegistryAuth('busybox', {env}), {identitytoken: 'tok-1', serveraddress: DOCKER_HUB_AUTH_KEY})
    assert.equal(await resolveRegistryAuth('other.example/app', {env}), undefined)
    assert.equal(await resolveRegistryAuth('busybox', {env: {}, home: join(dir, 'nohome')}), undefined)
  })

  it('asks credential helpers first: credHelpers per registry, then credsStore', async () => {
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    const helper = join(bin, 'docker-credential-berthtest')
    writeFileSync(helper, '#!/bin/sh\nread server\nif [ "$server" = "helped.example" ]; then echo "{\\"ServerURL\\":\\"$server\\",\\"Username\\":\\"bob\\",\\"Secret\\":\\"s3cret\\"}"; else echo "credentials not found in native keychain"; exit 1; fi\n')
    chmodSync(helper, 0o755)
    writeConfig({credHelpers: {'helped.example': 'berthtest'}, auths: {'plain.example': {auth: b64('carol:pw')}}})
    const env = {DOCKER_CONFIG: config, PATH: `${bin}:/usr/bin:/bin`}
    assert.deepEqual(await resolveRegistryAuth('helped.example/app', {env}), {username: 'bob', password: 's3cret', serveraddress: 'helped.example'})
    assert.deepEqual(await resolveRegistryAuth('plain.example/app', {env}), {username: 'carol', password: 'pw', serveraddress: 'plain.example'})
    writeConfig({credsStore: 'berthtest', auths: {'other.example': {auth: b64('dave:pw')}}})
    assert.deepEqual(await resolveRegistryAuth('other.example/app', {env}), {username: 'dave', password: 'pw', serveraddress: 'other.example'})
    writeConfig({credsStore: 'missing-helper'})
    await assert.rejects(resolveRegistryAuth('x.example/app', {env}), /docker-credential-missing-helper is configured but not installed/)
  })

  it('sends credentials only in X-Registry-Auth, never in debug lines', async () => {
    const headers: (string | undefined)[] = []
    const server: Server = createServer((req, res) => {
      if (req.url === '/_ping') {
        res.setHeader('Api-Version', '1.41')
        return res.end('OK')
      }
      headers.push(req.headers['x-registry-auth'] as string | undefined)
      res.end('{"status":"Pushed"}\n')
    })
    const socket = join(dir, 'engine.sock')
    await new Promise<void>((resolve) => server.listen(socket, resolve))
    const lines: string[] = []
    const client = EngineClient.forHost(`unix://${socket}`, {debug: (l) => lines.push(l)})
    try {
      await client.images.push('registry.example:5000/app:v1', {auth: {username: 'alice', password: 'hunter2', serveraddress: 'registry.example:5000'}})
      await client.images.pull('registry.example:5000/app:v1', {auth: 'anonymous'})
      assert.deepEqual(JSON.parse(Buffer.from(headers[0] ?? '', 'base64url').toString()), {username: 'alice', password: 'hunter2', serveraddress: 'registry.example:5000'})
      assert.equal(headers[1], undefined)
      assert.ok(!lines.join('\n').includes('hunter2'))
    } finally {
      await client.close()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
