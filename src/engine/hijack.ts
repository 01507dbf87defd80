/**
 * Hijacked connections for attach and interactive exec: one POST with `Connection: Upgrade` and
 * `Upgrade: tcp`; the engine answers `101 UPGRADED` (or `200` with a raw stream) and from then on
 * the socket carries the container's stdin one way and its output the other (raw with a TTY,
 * multiplexed frames without). The request is written by hand on its own socket so that a refusal
 * (404 no such container, 409 not running) comes back with its status and the daemon's message.
 */
import {connect as netConnect, isIP, type Socket} from 'node:net'
import {connect as tlsConnect} from 'node:tls'
import {CancelledError} from '../errors.js'
import type {Endpoint} from './endpoint.js'
import {encodeQuery, statusError, unreachable, type HttpRequest} from './transport.js'

export interface HijackedStream {
  /** The raw duplex: write stdin, read output; `end()` closes the container's stdin. */
  socket: Socket
  status: number
  headers: Record<string, string>
}

export async function hijack(endpoint: Endpoint, req: Pick<HttpRequest, 'path' | 'query' | 'json' | 'meanings' | 'subject' | 'signal'>): Promise<HijackedStream> {
  if (req.signal?.aborted) throw new CancelledError()
  const socket = await open(endpoint, req.signal)
  const body = req.json === undefined ? '' : JSON.stringify(req.json)
  const hostHeader = endpoint.socketPath ? 'localhost' : new URL(endpoint.origin).host
  const head = [
    `POST ${req.path}${encodeQuery(req.query)} HTTP/1.1`,
    `Host: ${hostHeader}`,
    'Connection: Upgrade',
    'Upgrade: tcp',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    '',
  ].join('\r\n')
  socket.write(head + body)
  const {status, headers, rest} = await readHead(socket, endpoint, req.signal)
  if (status !== 101 && status !== 200) {
    const text = await readBody(socket, headers, rest)
    socket.destroy()
    throw statusError({method: 'POST', path: req.path, meanings: req.meanings, subject: req.subject}, status, text)
  }
  if (rest.length > 0) socket.unshift(rest)
  const onAbort = () => socket.destroy()
  req.signal?.addEventListener('abort', onAbort, {once: true})
  socket.once('close', () => req.signal?.removeEventListener('abort', onAbort))
  return {socket, status, headers}
}

const CONNECT_TIMEOUT_MS = 10_000

function open(endpoint: Endpoint, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let socket: Socket
    if (endpoint.socketPath) {
      socket = netConnect({path: endpoint.socketPath, allowHalfOpen: true})
    } else {
      const url = new URL(endpoint.origin)
      const port = Number(url.port)
      const host = url.hostname.replace(/^\[|\]$/g, '')
      socket = endpoint.tls
        ? tlsConnect({host, port, ...(isIP(host) ? {} : {servername: host}), ca: endpoint.tls.ca, cert: endpoint.tls.cert, key: endpoint.tls.key, rejectUnauthorized: endpoint.tls.verify, allowHalfOpen: true} as never)
        : netConnect({host, port, allowHalfOpen: true})
    }
    const ready = endpoint.tls && !endpoint.socketPath ? 'secureConnect' : 'connect'
    const timer = setTimeout(() => fail(Object.assign(new Error('connect timeout'), {code: 'UND_ERR_CONNECT_TIMEOUT'})), CONNECT_TIMEOUT_MS)
    const onAbort = () => fail(new CancelledError())
    function done() {
      clearTimeout(timer)
      socket.off('error', fail)
      signal?.removeEventListener('abort', onAbort)
    }
    function fail(error: Error) {
      done()
      socket.destroy()
      reject(error instanceof CancelledError ? error : unreachable(endpoint, error))
    }
    socket.once('error', fail)
    socket.once(ready, () => {
      done()
      resolve(socket)
    })
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}

function readHead(socket: Socket, endpoint: Endpoint, signal?: AbortSignal): Promise<{status: number; headers: Record<string, string>; rest: Buffer}> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0)
    const cleanup = () => {
      socket.off('data', onData)
      socket.off('error', onError)
      socket.off('end', onEnd)
      socket.off('close', onEnd)
      signal?.removeEventListener('abort', onAbort)
    }
    const onError = (error: Error) => {
      cleanup()
      socket.destroy()
      reject(error instanceof CancelledError ? error : unreachable(endpoint, error))
    }
    const onAbort = () => onError(new CancelledError())
    const onEnd = () => onError(Object.assign(new Error('the engine closed the connection'), {code: 'UND_ERR_SOCKET'}))
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      const end = buffered.indexOf('\r\n\r\n')
      if (end < 0) {
        if (buffered.length > 64 * 1024) onError(new Error('response head too large'))
        return
      }
      cleanup()
      socket.pause()
      const lines = buffered.subarray(0, end).toString('latin1').split('\r\n')
      const status = Number(lines[0].split(' ')[1])
      const headers: Record<string, string> = {}
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':')
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      resolve({status, headers, rest: buffered.subarray(end + 4)})
    }
    socket.on('data', onData)
    socket.once('error', onError)
    socket.once('end', onEnd)
    socket.once('close', onEnd)
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}

function readBody(socket: Socket, headers: Record<string, string>, rest: Buffer): Promise<string> {
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length'])
  return new Promise((resolve) => {
    let body = rest
    const done = () => resolve(decodeBody(body, headers).slice(0, 64 * 1024))
    if (length !== undefined && body.length >= length) return done()
    socket.on('data', (chunk: Buffer) => {
      body = Buffer.concat([body, chunk])
      if (length !== undefined && body.length >= length) done()
      else if (headers['transfer-encoding'] === 'chunked' && body.includes('\r\n0\r\n\r\n')) done()
    })
    socket.once('end', done)
    socket.once('error', done)
    socket.resume()
    setTimeout(done, 5000).unref()
  })
}

function decodeBody(body: Buffer, headers: Record<string, string>): string {
  if (headers['transfer-encoding'] !== 'chunked') return body.toString('utf8')
  const parts: Buffer[] = []
  let offset = 0
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset)
    if (lineEnd < 0) break
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16)
    if (!size) break
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
    offset = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts).toString('utf8')
}
