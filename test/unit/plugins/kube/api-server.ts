/**
 * A loopback stand-in for the Kubernetes API, for the client tests: HTTPS with a CA, a server
 * certificate and a client certificate made here with openssl (or plain HTTP), recording every
 * request (verb, path, query, content type, authorization, body, client certificate subject) and
 * answering as the API does: a server-side apply returns the object, a list returns items from
 * `objects`, a delete returns a Status (404 when the object is not there).
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {TLSSocket} from 'node:tls'

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  contentType?: string
  authorization?: string
  clientCert?: string
  body?: string
}

export interface Pki {
  dir: string
  caCert: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
  /** A CA that signed nothing here, for the failure cases. */
  otherCaCert: string
  remove(): void
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, {cwd: dir, stdio: 'pipe'})
}

/** A CA, a server certificate for 127.0.0.1/localhost and a client certificate (CN=berth-tester, O=system:masters). */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'berth-kube-pki-'))
  const key = (name: string) => openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`)
  key('ca')
  openssl(dir, 'req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=berth-test-ca', '-days', '2', '-out', 'ca.crt')
  key('other-ca')
  openssl(dir, 'req', '-x509', '-new', '-key', 'other-ca.key', '-subj', '/CN=someone-else', '-days', '2', '-out', 'other-ca.crt')
  key('server')
  openssl(dir, 'req', '-new', '-key', 'server.key', '-subj', '/CN=kube-apiserver', '-out', 'server.csr')
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  openssl(dir, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt')
  key('client')
  openssl(dir, 'req', '-new', '-key', 'client.key', '-subj', '/O=system:masters/CN=berth-tester', '-out', 'client.csr')
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n')
  openssl(dir, 'x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'client.ext', '-out', 'client.crt')
  const read = (f: string) => readFileSync(join(dir, f), 'utf8')
  return {
    dir,
    caCert: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    otherCaCert: read('other-ca.crt'),
    remove: () => rmSync(dir, {recursive: true, force: true}),
  }
}

export interface FakeApi {
  url: string
  requests: RecordedRequest[]
  /** Objects the lists return, by collection path (`/apis/apps/v1/namespaces/default/deployments`). */
  objects: Map<string, Array<{metadata: {name: string; labels?: Record<string, string>}}>>
  /** Answer the next requests whose path matches with this status and Status message. */
  failures: Array<{match: RegExp; status: number; message: string; reason: string}>
  close(): Promise<void>
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'content-type': 'application/json'})
  res.end(JSON.stringify(body))
}

function handler(api: FakeApi) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x')
      const socket = req.socket as TLSSocket
      const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined
      const body = Buffer.concat(chunks).toString('utf8')
      api.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        clientCert: peer && peer.subject && socket.authorized ? `O=${peer.subject.O},CN=${peer.subject.CN}` : undefined,
        body: body === '' ? undefined : body,
      })
      const failure = api.failures.find((f) => f.match.test(url.pathname))
      if (failure) return answer(res, failure.status, {kind: 'Status', apiVersion: 'v1', status: 'Failure', message: failure.message, reason: failure.reason, code: failure.status})
      if (req.method === 'PATCH') return answer(res, 200, JSON.parse(body))
      if (req.method === 'GET') {
        const selector = url.searchParams.get('labelSelector') ?? ''
        const wanted = selector.split(',').filter(Boolean).map((p) => p.split('='))
        const items = (api.objects.get(url.pathname) ?? []).filter((o) => wanted.every(([k, v]) => o.metadata.labels?.[k!] === v))
        return answer(res, 200, {kind: 'List', apiVersion: 'v1', items})
      }
      if (req.method === 'DELETE') {
        const slash = url.pathname.lastIndexOf('/')
        const collection = api.objects.get(url.pathname.slice(0, slash)) ?? []
        const name = decodeURIComponent(url.pathname.slice(slash + 1))
        const index = collection.findIndex((o) => o.metadata.name === name)
        if (index === -1) return answer(res, 404, {kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `"${name}" not found`, reason: 'NotFound', code: 404})
        collection.splice(index, 1)
        return answer(res, 200, {kind: 'Status', apiVersion: 'v1', status: 'Success'})
      }
      answer(res, 405, {kind: 'Status', message: 'method not allowed', reason: 'MethodNotAllowed', code: 405})
    })
  }
}

/** Starts the fake API on 127.0.0.1 (a free port): HTTPS with `pki` (client certificates asked for, not required), else HTTP. */
export async function startFakeApi(pki?: Pki): Promise<FakeApi> {
  const api: FakeApi = {url: '', requests: [], objects: new Map(), failures: [], close: async () => {}}
  const server: Server = pki
    ? createHttpsServer({key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: false}, handler(api))
    : createHttpServer(handler(api))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  api.url = `${pki ? 'https' : 'http'}://127.0.0.1:${port}`
  api.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return api
}
