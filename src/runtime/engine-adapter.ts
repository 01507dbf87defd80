/**
 * Binds the runtime's engine port to src/engine's EngineClient. Also the fallback build path:
 * a context directory packed with tar-stream and sent to the engine's POST /build, until Berth's
 * own builder takes `build:` services over.
 */
import {readdir, readFile, lstat, readlink} from 'node:fs/promises'
import {join, relative, resolve} from 'node:path'
import type {EngineClient} from '../engine/index.js'
import type {BuildRequest, PullProgress, RuntimeEngine} from './engine-port.js'

export function runtimeEngine(client: EngineClient, onWarning: (message: string) => void = () => {}): RuntimeEngine {
  return {
    apiVersion: () => client.apiVersion(),
    listContainers: (o) => client.containers.list({all: o.all, filters: o.filters}),
    listNetworks: () => client.networks.list(),
    listVolumes: () => client.volumes.list(),
    listImages: () => client.images.list(),
    async createNetwork(body) {
      const created = await client.networks.create(body)
      if (created.dropped.length > 0) onWarning(`network ${body.Name}: the engine's API version has no ${created.dropped.join(', ')}; left out`)
      if (created.Warning) onWarning(`network ${body.Name}: ${created.Warning}`)
      return created.Id
    },
    removeNetwork: (id) => client.networks.remove(id),
    connectNetwork: (network, container, endpoint) => client.networks.connect(network, container, endpoint as never),
    async createVolume(body) {
      await client.volumes.create(body)
    },
    removeVolume: (name) => client.volumes.remove(name),
    async pullImage(ref: string, onProgress?: (p: PullProgress) => void, platform?: string) {
      await client.images.pull(ref, {platform, onProgress: onProgress ? (m) => onProgress({id: m.id, status: m.status, progress: m.progress}) : undefined})
    },
    async buildImage(request: BuildRequest) {
      const {tar, dockerfile} = await packContext(request)
      await client.images.build(tar, {
        tags: [request.tag],
        dockerfile,
        buildArgs: request.args,
        labels: request.labels,
        target: request.target,
        noCache: request.noCache,
        pull: request.pull,
        onProgress: request.onProgress ? (m) => m.stream && request.onProgress!(m.stream.trim()) : undefined,
      })
    },
    async removeImage(ref) {
      await client.images.remove(ref)
    },
    async createContainer(name, body, platform) {
      const created = await client.containers.create(body as never, {name, platform})
      if (created.dropped.length > 0) onWarning(`container ${name}: the engine's API version has no ${created.dropped.join(', ')}; left out`)
      for (const w of created.Warnings ?? []) if (w) onWarning(`container ${name}: ${w}`)
      return created.Id
    },
    async startContainer(id) {
      await client.containers.start(id)
    },
    async stopContainer(id, timeout) {
      await client.containers.stop(id, {timeout})
    },
    killContainer: (id, signal) => client.containers.kill(id, {killSignal: signal}),
    removeContainer: (id, o) => client.containers.remove(id, o),
    restartContainer: (id, timeout) => client.containers.restart(id, {timeout}),
    inspectContainer: (id) => client.containers.inspect(id),
    async containerLogTail(id, tail) {
      const stream = await client.containers.logs(id, {tail})
      const parts: Buffer[] = []
      for await (const chunk of stream) parts.push(chunk.data)
      return Buffer.concat(parts).toString('utf8')
    },
  }
}

/** A tar of the context directory (skipping .git and what .dockerignore names plainly). */
async function packContext(request: BuildRequest): Promise<{tar: Buffer; dockerfile?: string}> {
  const {pack} = await import('tar-stream')
  const root = resolve(request.context)
  const ignore = await readDockerignore(root)
  const archive = pack()
  const chunks: Buffer[] = []
  archive.on('data', (c: unknown) => chunks.push(c as Buffer))
  const ended = new Promise<void>((ok, fail) => {
    archive.on('end', ok)
    archive.on('error', fail)
  })
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir)).sort()) {
      const path = join(dir, entry)
      const rel = relative(root, path)
      if (rel === '.git' || ignore.some((p) => rel === p || rel.startsWith(`${p}/`))) continue
      const st = await lstat(path)
      if (st.isDirectory()) {
        archive.entry({name: `${rel}/`, type: 'directory', mode: st.mode & 0o7777, mtime: st.mtime})
        await walk(path)
      } else if (st.isSymbolicLink()) {
        archive.entry({name: rel, type: 'symlink', linkname: await readlink(path), mtime: st.mtime})
      } else if (st.isFile()) {
        archive.entry({name: rel, mode: st.mode & 0o7777, mtime: st.mtime}, await readFile(path))
      }
    }
  }
  await walk(root)
  let dockerfile = request.dockerfile
  if (request.dockerfileInline !== undefined) {
    dockerfile = '.berth-inline.Dockerfile'
    archive.entry({name: dockerfile, mode: 0o644}, request.dockerfileInline)
  }
  archive.finalize()
  await ended
  return {tar: Buffer.concat(chunks), dockerfile}
}

async function readDockerignore(root: string): Promise<string[]> {
  try {
    const text = await readFile(join(root, '.dockerignore'), 'utf8')
    return text
      .split('\n')
      .map((l) => l.trim().replace(/^\.\//, '').replace(/\/$/, ''))
      .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!') && !/[*?[]/.test(l))
  } catch {
    return []
  }
}
