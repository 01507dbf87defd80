/**
 * Containers that look exactly like a Compose project's (docker compose's labels), created
 * straight through the engine client, so the runtime's read-side commands can be tested on real
 * containers without going through `up`.
 */
import {randomBytes} from 'node:crypto'
import type {EngineClient} from '../../../src/engine/index.js'
import {BASE_IMAGE} from '../../support/base-image.js'

export function uniqueProject(prefix: string): string {
  return `${prefix}${randomBytes(3).toString('hex')}`
}

export interface FixtureContainer {
  service: string
  number?: number
  cmd: string[]
  dependsOn?: string
  tty?: boolean
  oneoff?: boolean
  ports?: Array<{target: number; published: number}>
  start?: boolean
  /** A CMD-SHELL healthcheck, probed every 200 ms. */
  healthcheck?: string
}

export async function createServiceContainer(engine: EngineClient, project: string, spec: FixtureContainer): Promise<string> {
  const number = spec.number ?? 1
  const exposed: Record<string, object> = {}
  const bindings: Record<string, Array<{HostIp: string; HostPort: string}>> = {}
  for (const p of spec.ports ?? []) {
    exposed[`${p.target}/tcp`] = {}
    bindings[`${p.target}/tcp`] = [{HostIp: '127.0.0.1', HostPort: String(p.published)}]
  }
  const {Id} = await engine.containers.create(
    {
      Image: BASE_IMAGE,
      Cmd: spec.cmd,
      Tty: spec.tty ?? false,
      OpenStdin: false,
      ExposedPorts: exposed,
      ...(spec.healthcheck ? {Healthcheck: {Test: ['CMD-SHELL', spec.healthcheck], Interval: 200_000_000, Timeout: 1_000_000_000, Retries: 50}} : {}),
      Labels: {
        'com.docker.compose.project': project,
        'com.docker.compose.service': spec.service,
        'com.docker.compose.container-number': String(number),
        'com.docker.compose.oneoff': spec.oneoff ? 'True' : 'False',
        'com.docker.compose.config-hash': 'test',
        'com.docker.compose.project.config_files': `/tmp/${project}/compose.yaml`,
        'com.docker.compose.project.working_dir': `/tmp/${project}`,
        'com.docker.compose.depends_on': spec.dependsOn ?? '',
      },
      HostConfig: {PortBindings: bindings, NetworkMode: spec.ports ? await projectNetwork(engine, project) : 'none', Init: true},
    } as never,
    {name: spec.oneoff ? `${project}-${spec.service}-run-${randomBytes(3).toString('hex')}` : `${project}-${spec.service}-${number}`},
  )
  if (spec.start !== false) await engine.containers.start(Id)
  return Id
}

/** The project's `<project>_default` bridge network (created once). */
async function projectNetwork(engine: EngineClient, project: string): Promise<string> {
  const name = `${project}_default`
  const existing = await engine.networks.list({filters: {name: [name]}})
  if (!existing.some((n) => n.Name === name)) {
    await engine.networks.create({Name: name, Driver: 'bridge', Labels: {'com.docker.compose.project': project, 'com.docker.compose.network': 'default'}} as never)
  }
  return name
}

/** Removes every container and network of the project (force). */
export async function removeProject(engine: EngineClient, project: string): Promise<void> {
  const list = await engine.containers.list({all: true, filters: {label: [`com.docker.compose.project=${project}`]}})
  await Promise.all(list.map((c) => engine.containers.remove(c.Id, {force: true, volumes: true}).catch(() => undefined)))
  const networks = await engine.networks.list({filters: {label: [`com.docker.compose.project=${project}`]}})
  await Promise.all(networks.map((n) => engine.networks.remove(n.Id).catch(() => undefined)))
}

/** A writable that keeps everything written to it. */
export async function collect(): Promise<{stream: NodeJS.WritableStream; text: () => string}> {
  const {PassThrough} = await import('node:stream')
  const chunks: Buffer[] = []
  const stream = new PassThrough()
  stream.on('data', (c: Buffer) => chunks.push(c))
  return {stream, text: () => Buffer.concat(chunks).toString('utf8')}
}

export async function until(check: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
