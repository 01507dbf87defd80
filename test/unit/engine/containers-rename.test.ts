import assert from 'node:assert/strict'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ConflictError, EngineClient, NotFoundError} from '../../../src/engine/index.js'

/** POST /containers/{id}/rename?name=... against an in-process engine on a unix socket. */
describe('engine: containers.rename', () => {
  let dir: string
  let server: Server
  let host: string
  const seen: string[] = []
  const names = new Map([['abc123', 'old-name'], ['def456', 'taken']])

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-rename-'))
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume()
      req.on('end', () => {
        seen.push(`${req.method} ${req.url}`)
        if (req.url === '/_ping') {
          res.setHeader('Api-Version', '1.41')
          res.end('OK')
          return
        }
        const url = new URL(req.url ?? '/', 'http://engine')
        const match = /^\/v1\.41\/containers\/([^/]+)\/rename$/.exec(url.pathname)
        const id = match ? decodeURIComponent(match[1]) : undefined
        const name = url.searchParams.get('name') ?? ''
        const reply = (status: number, message?: string) => {
          res.writeHead(status, {'content-type': 'application/json'})
          res.end(message ? JSON.stringify({message}) : '')
        }
        if (req.method !== 'POST' || !id) return reply(400, 'bad request')
        if (!names.has(id)) return reply(404, `No such container: ${id}`)
        if ([...names.values()].includes(name)) return reply(409, `Conflict. The container name "/${name}" is already in use`)
        names.set(id, name)
        reply(204)
      })
    })
    const path = join(dir, 'engine.sock')
    await new Promise<void>((resolve) => server.listen(path, resolve))
    host = `unix://${path}`
  })

  after(async () => {
    server.closeAllConnections?.()
    await new Promise((resolve) => server.close(resolve))
    rmSync(dir, {recursive: true, force: true})
  })

  it('renames with POST /containers/{id}/rename?name=<new name>', async () => {
    const client = EngineClient.forHost(host)
    try {
      await client.containers.rename('abc123', '0123456789ab_demo-web-1')
      assert.equal(names.get('abc123'), '0123456789ab_demo-web-1')
      assert.equal(seen.at(-1), 'POST /v1.41/containers/abc123/rename?name=0123456789ab_demo-web-1')
    } finally {
      await client.close()
    }
  })

  it('a name in use is a ConflictError; an unknown container is a NotFoundError naming it', async () => {
    const client = EngineClient.forHost(host)
    try {
      await assert.rejects(client.containers.rename('abc123', 'taken'), (error: unknown) => {
        assert.ok(error instanceof ConflictError)
        assert.equal(error.meaning, 'name already in use')
        assert.match(error.message, /already in use/)
        return true
      })
      assert.equal(names.get('abc123'), '0123456789ab_demo-web-1')
      await assert.rejects(client.containers.rename('nope', 'x'), (error: unknown) => error instanceof NotFoundError && error.ref === 'nope' && error.kind === 'container')
    } finally {
      await client.close()
    }
  })
})
