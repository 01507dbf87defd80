import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo, Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {CancelledError} from '../../../src/errors.js'
import {join} from 'node:path'
import {
  ConflictError,
  EngineClient,
  EngineServerError,
  EngineTooOldError,
  EngineUnreachableError,
  NotFoundError,
  encodeFrame,
  outputDecoder,
  parseHost,
  type OutputChunk,
} from '../../../src/engine/index.js'

interface Seen {
  method: string
  url: string
  body: string
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

/** A fake engine: answers /_ping with `apiVersion` and hands other requests to `handler`. */
function fakeEngine(apiVersion: string | undefined, handler: Handler) {
  const seen: Seen[] = []
  let connections = 0
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString()
      seen.push({method: req.method ?? '', url: req.url ?? '', body})
      if (req.url === '/_ping') {
        if (apiVersion) res.setHeader('Api-Version', apiVersion)
        res.end('OK')
        return
      }
      handler(req, res, body)
    })
  }
  return {seen, onRequest, connections: () => connections, countConnection: () => connections++}
}

function json(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, {'content-type': 'application/json'})
  res.end(JSON.stringify(value))
}

let socketCount = 0

async function listenUnix(server: Server, dir: string): Promise<string> {
  const path = join(dir, `engine-${++socketCount}.sock`)
  await new Promise<void>((resolve) => server.listen(path, resolve))
  return `unix://${path}`
}

describe('engine: transport against an in-process engine', () => {
  let dir: string
  const servers: Server[] = []
  const upgraded: Socket[] = []

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-fake-engine-'))
  })
  afterEach(async () => {
    for (const socket of upgraded.splice(0)) socket.destroy()
    for (const server of servers.splice(0)) {
      server.closeAllConnections?.()
      await new Promise((resolve) => server.close(resolve))
    }
    rmSync(dir, {recursive: true, force: true})
  })

  async function serve(apiVersion: string | undefined, handler: Handler) {
    const fake = fakeEngine(apiVersion, handler)
    const server = createServer(fake.onRequest)
    server.on('connection', fake.countConnection)
    servers.push(server)
    const host = await listenUnix(server, dir)
    return {fake, host}
  }

  it('negotiates once, down to the server version, and prefixes every path with it', async () => {
    const {fake, host} = await serve('1.43', (_req, res) => json(res, 200, []))
    const client = EngineClient.forHost(host)
    try {
      await Promise.all([client.containers.list({all: true}), client.networks.list(), client.volumes.list()])
      assert.equal(await client.apiVersion(), '1.43')
      assert.deepEqual(fake.seen.map((s) => s.url).sort(), ['/_ping', '/v1.43/containers/json?all=1', '/v1.43/networks', '/v1.43/volumes'])
    } finally {
      await client.close()
    }
  })

  it('speaks its own newest version to a newer engine, and falls back to /version without the header', async () => {
    const newer = await serve('1.52', (_req, res) => json(res, 200, []))
    const a = EngineClient.forHost(newer.host)
    assert.equal(await a.apiVersion(), '1.47')
    await a.close()

    const {fake, host} = await serve(undefined, (req, res) => (req.url === '/version' ? json(res, 200, {ApiVersion: '1.42'}) : json(res, 200, [])))
    const b = EngineClient.forHost(host)
    await b.images.list()
    assert.deepEqual(fake.seen.map((s) => s.url), ['/_ping', '/version', '/v1.42/images/json'])
    await b.close()
  })

  it('refuses an engine older than API 1.41, and pins DOCKER_API_VERSION without a ping', async () => {
    const {fake, host} = await serve('1.38', (_req, res) => json(res, 200, []))
    const old = EngineClient.forHost(host)
    await assert.rejects(old.containers.list(), (error: unknown) => error instanceof EngineTooOldError && /API 1\.38/.test(error.message))
    await old.close()
    const pinned = EngineClient.forHost(host, {apiVersion: '1.41'})
    await pinned.containers.list()
    assert.deepEqual(fake.seen.map((s) => s.url).slice(-1), ['/v1.41/containers/json'])
    assert.equal(fake.seen.filter((s) => s.url === '/_ping').length, 1)
    await pinned.close()
  })

  it('drops fields the negotiated version does not know from create bodies', async () => {
    const {fake, host} = await serve('1.41', (_req, res) => json(res, 201, {Id: 'abc', Warnings: null}))
    const client = EngineClient.forHost(host)
    const result = await client.containers.create({Image: 'busybox', Healthcheck: {Test: ['CMD', 'true'], StartInterval: 5}, HostConfig: {Annotations: {x: 'y'}}}, {name: 'web-1'})
    assert.deepEqual(result, {Id: 'abc', Warnings: [], dropped: ['HostConfig.Annotations', 'Healthcheck.StartInterval']})
    const sent = fake.seen.find((s) => s.url.startsWith('/v1.41/containers/create'))
    assert.equal(sent?.url, '/v1.41/containers/create?name=web-1')
    assert.deepEqual(JSON.parse(sent?.body ?? ''), {Image: 'busybox', Healthcheck: {Test: ['CMD', 'true']}, HostConfig: {}})
    await client.close()
  })

  it('maps failure statuses through the endpoint tables to typed errors with the daemon message', async () => {
    const {host} = await serve('1.41', (req, res) => {
      if (req.url?.includes('/containers/web-1/json')) return json(res, 404, {message: 'No such container: web-1'})
      if (req.url?.includes('/volumes/data')) return json(res, 409, {message: 'remove data: volume is in use - [abc]'})
      if (req.url?.includes('/networks/front')) return json(res, 404, {message: 'network front not found'})
      res.writeHead(500, {'content-type': 'text/plain'})
      res.end('driver failed programming external connectivity\nsecond line')
    })
    const client = EngineClient.forHost(host)
    try {
      await assert.rejects(client.containers.inspect('web-1'), (error: unknown) => {
        assert.ok(error instanceof NotFoundError)
        assert.equal(error.message, 'No such container: web-1')
        assert.deepEqual([error.kind, error.ref, error.status, error.path], ['container', 'web-1', 404, '/v1.41/containers/web-1/json'])
        return true
      })
      await assert.rejects(client.volumes.remove('data'), (error: unknown) => error instanceof ConflictError && error.message === 'remove data: volume is in use - [abc]' && error.meaning === 'volume is in use')
      await assert.rejects(client.networks.inspect('front'), (error: unknown) => error instanceof NotFoundError && error.message === 'no such network: network front not found')
      await assert.rejects(client.containers.start('x'), (error: unknown) => {
        assert.ok(error instanceof EngineServerError && !(error instanceof NotFoundError))
        assert.equal(error.message, 'cannot start container: driver failed programming external connectivity')
        assert.equal(error.code, 'ENGINE_ERROR')
        return true
      })
    } finally {
      await client.close()
    }
  })

  it('logs method, path, status and time under debug, never query values or bodies', async () => {
    const {host} = await serve('1.41', (_req, res) => json(res, 201, {Id: 'abc'}))
    const lines: string[] = []
    const client = EngineClient.forHost(host, {debug: (line) => lines.push(line)})
    await client.containers.create({Image: 'busybox', Env: ['PASSWORD=hunter2']}, {name: 'secret-name'})
    await client.images.import(Buffer.from(''), {changes: ['ENV TOKEN=abc123']}).catch(() => undefined)
    await client.close()
    assert.match(lines[0], /^engine: GET \/_ping 200 \d+ms \(at \d+ms\)$/)
    assert.match(lines[1], /^engine: POST \/v1\.41\/containers\/create 201 \d+ms \(at \d+ms\)$/)
    const all = lines.join('\n')
    for (const secret of ['hunter2', 'secret-name', 'abc123', 'TOKEN']) assert.ok(!all.includes(secret), `debug output leaks ${secret}`)
  })

  it('reuses keep-alive connections for sequential calls', async () => {
    const {fake, host} = await serve('1.41', (_req, res) => json(res, 200, []))
    const client = EngineClient.forHost(host)
    for (let i = 0; i < 20; i++) await client.containers.list()
    // undici's pool opens a second socket when the next call is dispatched in the same tick the
    // first answer completes; after that every call reuses one of the two.
    assert.ok(fake.connections() <= 2, `${fake.connections()} connections for 21 calls`)
    await client.close()
  })

  it('close() lets calls finish, then cuts streams that never end', async () => {
    const {host} = await serve('1.41', (req, res) => {
      if (req.url?.startsWith('/v1.41/events')) {
        res.writeHead(200, {'content-type': 'application/json'})
        res.write('{"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{}},"time":1,"timeNano":1}\n')
        return // never ends, like a followed events stream
      }
      setTimeout(() => json(res, 200, []), 100)
    })
    const client = EngineClient.forHost(host)
    const events = await client.system.events()
    const seen: string[] = []
    const reading = (async () => {
      for await (const event of events) seen.push((event as {Action: string}).Action)
    })().then(
      () => 'ended',
      () => 'cut',
    )
    const slowCall = client.containers.list()
    await new Promise((resolve) => setTimeout(resolve, 30)) // in flight
    const started = Date.now()
    await client.close(300)
    assert.deepEqual(await slowCall, [])
    assert.equal(await reading, 'cut')
    assert.deepEqual(seen, ['start'])
    assert.ok(Date.now() - started < 2000)
  })

  it('hijacks a connection for attach: stdin in, frames out, half-close ends stdin', async () => {
    const fake = fakeEngine('1.41', (_req, res) => json(res, 404, {message: 'No such container: gone'}))
    const server = createServer(fake.onRequest)
    servers.push(server)
    server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
      upgraded.push(socket)
      assert.equal(req.headers.upgrade, 'tcp')
      if (req.url?.includes('/gone/')) {
        const body = JSON.stringify({message: 'No such container: gone'})
        socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
        return
      }
      socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n')
      socket.write(encodeFrame('stdout', 'ready\n'))
      let input = ''
      socket.on('data', (chunk: Buffer) => (input += chunk.toString()))
      socket.on('end', () => {
        socket.write(encodeFrame('stdout', `echo:${input}`))
        socket.write(encodeFrame('stderr', 'closed\n'))
        socket.end()
      })
    })
    const host = await listenUnix(server, dir)
    const client = EngineClient.forHost(host)
    try {
      const {socket} = await client.containers.attach('app', {stdin: true})
      const chunks: OutputChunk[] = []
      const done = (async () => {
        for await (const chunk of socket.pipe(outputDecoder(false))) chunks.push(chunk as OutputChunk)
      })()
      socket.end('typed\n')
      await done
      assert.deepEqual(chunks.map((c) => [c.stream, c.data.toString()]), [['stdout', 'ready\n'], ['stdout', 'echo:typed\n'], ['stderr', 'closed\n']])
      await assert.rejects(client.containers.attach('gone'), (error: unknown) => error instanceof NotFoundError && error.message === 'No such container: gone')
    } finally {
      await client.close()
    }
  })

  it('cancels a hijack the engine never answers when the client-wide signal aborts (Ctrl-C)', async () => {
    const fake = fakeEngine('1.41', (_req, res) => json(res, 200, {}))
    const server = createServer(fake.onRequest)
    servers.push(server)
    server.on('upgrade', (_req: IncomingMessage, socket: Socket) => upgraded.push(socket))
    const host = await listenUnix(server, dir)
    const controller = new AbortController()
    const client = EngineClient.forHost(host, {signal: controller.signal})
    try {
      const pending = client.containers.attach('app', {stdin: true})
      setTimeout(() => controller.abort(), 50)
      await assert.rejects(pending, (error: unknown) => error instanceof CancelledError)
    } finally {
      await client.destroy()
    }
  })

  describe('over TLS', () => {
    let certs: string
    before(function () {
      this.timeout(30_000)
      certs = mkdtempSync(join(tmpdir(), 'berth-certs-'))
      const ssl = (...args: string[]) => execFileSync('openssl', args, {cwd: certs, stdio: 'pipe'})
      const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
      ssl('req', '-x509', ...key, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=berth test CA')
      writeFileSync(join(certs, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
      writeFileSync(join(certs, 'client.ext'), 'extendedKeyUsage=clientAuth\n')
      ssl('req', ...key, '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=localhost')
      ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'server-cert.pem', '-days', '2', '-extfile', 'server.ext')
      ssl('req', ...key, '-keyout', 'key.pem', '-out', 'client.csr', '-subj', '/CN=client')
      ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'client.ext')
      ssl('req', '-x509', ...key, '-keyout', 'other-key.pem', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=another CA')
    })
    after(() => rmSync(certs, {recursive: true, force: true}))

    async function serveTls(): Promise<{port: number; seen: Seen[]}> {
      const fake = fakeEngine('1.41', (_req, res) => json(res, 200, [{Id: 'c1'}]))
      const read = (f: string) => readFileSync(join(certs, f))
      const server = createHttpsServer({key: read('server-key.pem'), cert: read('server-cert.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true}, fake.onRequest)
      servers.push(server)
      server.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
        upgraded.push(socket)
        socket.write('HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n')
        socket.on('data', (chunk: Buffer) => socket.write(encodeFrame('stdout', chunk)))
        socket.on('end', () => socket.end())
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      return {port: (server.address() as AddressInfo).port, seen: fake.seen}
    }

    it('verifies the engine with DOCKER_CERT_PATH/ca.pem and presents the client certificate, for requests and hijacks', async () => {
      const {port, seen} = await serveTls()
      const client = new EngineClient({discovery: {env: {DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs}, home: certs}})
      try {
        assert.equal(client.endpoint.origin, `https://127.0.0.1:${port}`)
        assert.deepEqual(await client.containers.list(), [{Id: 'c1'}])
        assert.deepEqual(seen.map((s) => s.url), ['/_ping', '/v1.41/containers/json'])
        const {socket} = await client.containers.attach('app', {stdin: true})
        const echoed: string[] = []
        const done = (async () => {
          for await (const chunk of socket.pipe(outputDecoder(false))) echoed.push((chunk as OutputChunk).data.toString())
        })()
        socket.end('over tls\n')
        await done
        assert.equal(echoed.join(''), 'over tls\n')
      } finally {
        await client.close()
      }
    })

    it('refuses an engine whose certificate another CA signed, naming TLS', async () => {
      const {port} = await serveTls()
      const endpoint = parseHost(`tcp://127.0.0.1:${port}`, 'test', {ca: readFileSync(join(certs, 'other-ca.pem')), cert: readFileSync(join(certs, 'cert.pem')), key: readFileSync(join(certs, 'key.pem')), verify: true})
      const client = new EngineClient({endpoint})
      try {
        await assert.rejects(client.system.ping(), (error: unknown) => error instanceof EngineUnreachableError && error.reason.startsWith('TLS'))
      } finally {
        await client.destroy()
      }
    })

    it('is refused by an engine that requires a client certificate when none is given', async () => {
      const {port} = await serveTls()
      const endpoint = parseHost(`tcp://127.0.0.1:${port}`, 'test', {ca: readFileSync(join(certs, 'ca.pem')), verify: true})
      const client = new EngineClient({endpoint})
      try {
        await assert.rejects(client.system.ping(), (error: unknown) => error instanceof EngineUnreachableError)
      } finally {
        await client.destroy()
      }
    })
  })
})
