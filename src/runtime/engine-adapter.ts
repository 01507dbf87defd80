/**
 * Binds the runtime's engine port to src/engine's EngineClient; `build:` services go to Berth's
 * own builder (src/build), loaded only when something must be built.
 */
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
      const {buildImage, plainProgress} = await import('../build/index.js')
      const {tag, onProgress, extraTags, ...options} = request
      const result = await buildImage(client, {...options, tags: [tag, ...(extraTags ?? [])]}, onProgress ? plainProgress(onProgress, false) : undefined)
      for (const warning of result.warnings ?? []) onWarning(`build ${tag}: ${warning}`)
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
    renameContainer: (id, name) => client.containers.rename(id, name),
    restartContainer: (id, timeout) => client.containers.restart(id, {timeout}),
    pauseContainer: (id) => client.containers.pause(id),
    inspectContainer: (id) => client.containers.inspect(id),
    async containerLogTail(id, tail) {
      const stream = await client.containers.logs(id, {tail})
      const parts: Buffer[] = []
      for await (const chunk of stream) parts.push(chunk.data)
      return Buffer.concat(parts).toString('utf8')
    },
  }
}
