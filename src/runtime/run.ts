/**
 * `run`: a one-off container of a service, as docker compose makes it — labelled
 * `com.docker.compose.oneoff=True`, named `<project>-<service>-run-<12 hex>`, without the
 * service's published ports (unless --service-ports) or restart policy. The service's dependencies
 * are brought up first (unless --no-deps) through the same convergence as `up`, and their
 * depends_on conditions are waited for; the service's networks and volumes are created if missing.
 * Attached runs stream stdin/stdout over a hijacked connection (TTY or frames) and resolve with
 * the container's exit code. planRun is its --dry-run: the same steps, planned only.
 */
import {randomBytes} from 'node:crypto'
import {isAbsolute, resolve} from 'node:path'
import {parsePortSpec} from '../compose/normalize/ports.js'
import type {PortConfig, Project, ServiceConfig, ServiceVolumeConfig} from '../compose/types.js'
import type {EngineClient} from '../engine/client.js'
import {UserInputError} from '../errors.js'
import {applyImages, applyUp} from './apply.js'
import {attachIo, type TerminalStreams} from './attach-io.js'
import {configHash, fieldHashes, formatFieldHashes} from './config-hash.js'
import {containerSpec} from './container-spec.js'
import {converge} from './converge.js'
import {commandText} from './exec.js'
import {runtimeEngine} from './engine-adapter.js'
import {LABEL} from './labels.js'
import {findImage, observe} from './observe.js'
import {planImages, planUp, serviceHashes, serviceImage, type Operation, type Plan, type PullPolicy} from './plan.js'
import {silentProgress, type ProgressSink} from './progress-events.js'
import {SecretFiles} from './secret-files.js'
import {NoSuchServiceError} from './select.js'
import {waitForCondition, type Condition} from './wait-conditions.js'

export interface RunOptions {
  service: string
  /** Replaces the service's command; empty keeps it. */
  command: string[]
  detach?: boolean
  /** --rm: remove the container when it exits. */
  rm?: boolean
  noDeps?: boolean
  entrypoint?: string
  env?: string[]
  labels?: string[]
  user?: string
  workdir?: string
  /** -v: extra volumes in short syntax (`./src:/app:ro`, `data:/data`, `/scratch`). */
  volumes?: string[]
  /** -p: published ports in short syntax. */
  publish?: string[]
  /** --service-ports: publish the service's own ports. */
  servicePorts?: boolean
  name?: string
  /** --cap-add / --cap-drop: on top of the service's (adding a capability takes it off the drops, and the other way round). */
  capAdd?: string[]
  capDrop?: string[]
  /** --pull: the one-off service's image (default: its pull_policy). */
  pull?: PullPolicy
  /** --build: build the images (the service's and its dependencies') before starting. */
  build?: boolean
  /** --remove-orphans: remove containers of services the project no longer has. */
  removeOrphans?: boolean
  /** --use-aliases: the service name and its network aliases on the one-off container too. */
  useAliases?: boolean
  tty: boolean
  interactive: boolean
  streams: TerminalStreams
  progress?: ProgressSink
  warn?: (message: string) => void
  signal?: AbortSignal
}

export interface RunOutcome {
  name: string
  id: string
  exitCode: number
}

/** The service as the one-off container runs it: the command-line overrides applied. */
export function oneOffService(project: Project, base: ServiceConfig, options: Omit<RunOptions, 'streams'>): ServiceConfig {
  const service: ServiceConfig = {...base}
  delete service.container_name
  delete service.restart
  delete service.healthcheck
  if (service.deploy) service.deploy = {...service.deploy, restart_policy: undefined, replicas: undefined}
  if (options.command.length > 0) service.command = options.command
  if (options.entrypoint !== undefined) service.entrypoint = options.entrypoint === '' ? [] : splitWords(options.entrypoint)
  if (options.env && options.env.length > 0) {
    const environment = {...service.environment}
    for (const entry of options.env) {
      const eq = entry.indexOf('=')
      if (eq < 0) environment[entry] = process.env[entry] ?? null
      else environment[entry.slice(0, eq)] = entry.slice(eq + 1)
    }
    service.environment = environment
  }
  if (options.labels && options.labels.length > 0) {
    const labels = {...service.labels}
    for (const entry of options.labels) {
      const eq = entry.indexOf('=')
      labels[eq < 0 ? entry : entry.slice(0, eq)] = eq < 0 ? '' : entry.slice(eq + 1)
    }
    service.labels = labels
  }
  if (options.capAdd && options.capAdd.length > 0) {
    service.cap_add = unique([...(service.cap_add ?? []), ...options.capAdd])
    service.cap_drop = service.cap_drop?.filter((c) => !options.capAdd!.includes(c))
  }
  if (options.capDrop && options.capDrop.length > 0) {
    service.cap_drop = unique([...(service.cap_drop ?? []), ...options.capDrop])
    service.cap_add = service.cap_add?.filter((c) => !options.capDrop!.includes(c))
  }
  if (options.user !== undefined) service.user = options.user
  if (options.workdir !== undefined) service.working_dir = options.workdir
  const ports: PortConfig[] = options.servicePorts ? [...(base.ports ?? [])] : []
  for (const spec of options.publish ?? []) ports.push(...parsePublish(spec))
  if (ports.length > 0) service.ports = ports
  else delete service.ports
  if (options.volumes && options.volumes.length > 0) service.volumes = [...(base.volumes ?? []), ...options.volumes.map((v) => parseVolume(project, v))]
  service.tty = options.tty
  service.stdin_open = options.interactive
  return service
}

export async function runOneOff(client: EngineClient, project: Project, options: RunOptions): Promise<RunOutcome> {
  const base = project.services[options.service]
  if (!base) throw new NoSuchServiceError(options.service, Object.keys(project.services).sort())
  const warn = options.warn ?? (() => {})
  const progress = options.progress ?? silentProgress
  const engine = runtimeEngine(client, warn)
  const signal = options.signal

  // 1. Dependencies, through the same convergence as `up`, then their conditions.
  const dependencies = options.noDeps ? [] : Object.entries(base.depends_on ?? {}).filter(([name]) => project.services[name])
  if (dependencies.length > 0) {
    const outcome = await converge(engine, project, {services: dependencies.map(([name]) => name), build: options.build, progress, warn, signal})
    const containers = outcome.result?.containers ?? {}
    await Promise.all(
      dependencies.map(([name, dep]) =>
        waitForCondition(engine, name, containers[name] ?? [], dep.condition as Condition, {dependent: options.service, signal}).catch((error: unknown) => {
          if (dep.required === false) warn(`optional dependency "${name}" of "${options.service}" is not ready: ${(error as Error).message}`)
          else throw error
        }),
      ),
    )
  }

  // 2. The service's image, networks and volumes.
  const service = oneOffService(project, base, options)
  const runProject: Project = {...project, services: {...project.services, [options.service]: service}}
  let observed = await observe(engine, project.name)
  const imagePlan = planImages(runProject, observed, {services: [options.service], pull: options.pull, build: options.build})
  if (imagePlan.operations.length > 0) {
    await applyImages({engine, project: runProject, progress, signal}, imagePlan)
    observed = await observe(engine, project.name)
  }
  const apiVersion = await engine.apiVersion()
  const resources = planUp(runProject, observed, {services: [options.service], noDeps: true, removeOrphans: options.removeOrphans})
  for (const w of resources.warnings) warn(w)
  const needed = resources.operations.filter(
    (op) => op.kind === 'create-network' || op.kind === 'create-volume' || (op.kind === 'remove-container' && options.removeOrphans && !project.services[op.service]),
  )
  if (needed.length > 0) {
    await applyUp({engine, project: runProject, observed, apiVersion, hashes: serviceHashes(runProject), progress, warn, signal}, {operations: needed, warnings: []})
  }

  // 3. The container.
  const image = serviceImage(runProject, service)
  const slug = randomBytes(32).toString('hex')
  const name = options.name ?? `${project.name}-${options.service}-run-${slug.slice(0, 12)}`
  const firstOf = (other: string) => observed.containers.find((c) => c.service === other && !c.oneoff && c.state === 'running')?.id
  const secretFiles = new SecretFiles(runProject)
  const spec = containerSpec({
    project: runProject,
    service,
    number: 1,
    apiVersion,
    image,
    imageId: findImage(observed.images, image)?.id,
    configHash: configHash(service),
    configFields: formatFieldHashes(fieldHashes(service)),
    oneoff: true,
    containerOf: firstOf,
    fileOf: (kind, ref) => secretFiles.pathOf(kind, ref),
  })
  for (const w of spec.warnings) warn(w)
  const aliases = oneOffAliases(name, spec.name, options.useAliases === true)
  for (const endpoint of [...Object.values(spec.body.NetworkingConfig?.EndpointsConfig ?? {}), ...spec.extraNetworks.map((n) => n.endpoint)]) {
    endpoint.Aliases = aliases(endpoint.Aliases ?? [])
  }
  const attach = !options.detach
  const body = {
    ...spec.body,
    Labels: {...spec.body.Labels, [LABEL.oneoff]: 'True', 'com.docker.compose.slug': slug},
    Tty: options.tty,
    OpenStdin: options.interactive,
    StdinOnce: attach && options.interactive,
    AttachStdin: attach && options.interactive,
    AttachStdout: attach,
    AttachStderr: attach,
  }
  const id = await engine.createContainer(name, body, spec.platform)
  for (const extra of spec.extraNetworks) await client.networks.connect(extra.network, id, extra.endpoint as never, {signal})

  if (!attach) {
    await client.containers.start(id, {signal})
    return {name, id, exitCode: 0}
  }

  try {
    // Attach and ask for the exit before starting, so no output and no exit is missed.
    const hijacked = await client.containers.attach(id, {stdin: options.interactive, stdout: true, stderr: true, signal})
    const exited = client.containers.wait(id, {condition: 'next-exit', signal})
    await client.containers.start(id, {signal})
    await attachIo({
      socket: hijacked.socket,
      tty: options.tty,
      stdin: options.interactive,
      streams: options.streams,
      resize: (size) => client.containers.resize(id, size),
    })
    const result = await exited
    return {name, id, exitCode: result.StatusCode}
  } finally {
    if (options.rm) await client.containers.remove(id, {force: true, volumes: true}).catch(() => undefined)
  }
}

/**
 * --dry-run: what runOneOff would do, as one plan in its order — the dependencies' images and
 * containers (the same convergence as `up`, planned only), the one-off service's image, the
 * networks and volumes it needs (and orphans with --remove-orphans), then the one-off container.
 * Only reads the engine; nothing is waited for.
 */
export async function planRun(client: EngineClient, project: Project, options: Omit<RunOptions, 'streams'>): Promise<Plan> {
  const base = project.services[options.service]
  if (!base) throw new NoSuchServiceError(options.service, Object.keys(project.services).sort())
  const engine = runtimeEngine(client, options.warn ?? (() => {}))
  const operations: Operation[] = []
  const warnings: string[] = []
  const dependencies = options.noDeps ? [] : Object.keys(base.depends_on ?? {}).filter((name) => project.services[name])
  if (dependencies.length > 0) {
    const outcome = await converge(engine, project, {services: dependencies, build: options.build, dryRun: true, signal: options.signal})
    operations.push(...outcome.imagePlan.operations, ...outcome.plan.operations)
    warnings.push(...outcome.plan.warnings)
  }
  const service = oneOffService(project, base, options)
  const runProject: Project = {...project, services: {...project.services, [options.service]: service}}
  const observed = await observe(engine, project.name)
  operations.push(...planImages(runProject, observed, {services: [options.service], pull: options.pull, build: options.build}).operations)
  const resources = planUp(runProject, observed, {services: [options.service], noDeps: true, removeOrphans: options.removeOrphans})
  for (const w of resources.warnings) if (!warnings.includes(w)) warnings.push(w)
  operations.push(
    ...resources.operations.filter(
      (op) => op.kind === 'create-network' || op.kind === 'create-volume' || (op.kind === 'remove-container' && options.removeOrphans && !project.services[op.service]),
    ),
  )
  const name = options.name ?? `${project.name}-${options.service}-run-${randomBytes(6).toString('hex')}`
  const causes = [options.command.length > 0 ? `one-off: ${commandText(options.command)}` : 'one-off, the service\'s command']
  if (options.detach) causes.push('detached')
  if (options.rm) causes.push('removed when it exits')
  operations.push({kind: 'create-container', service: options.service, number: 1, name, start: true, cause: causes.join('; ')})
  // A network or an image both sides need is one step.
  const seen = new Set<string>()
  const unique = operations.filter((op) => {
    const key = `${op.kind} ${'image' in op ? op.image : 'name' in op ? op.name : ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return {operations: unique, warnings}
}

/**
 * --env-from-file: `KEY=VALUE` entries of the files, in order (a later file wins), read as docker
 * compose reads them: `${VAR}` and a bare `KEY` see only the file, not the environment. Paths are
 * relative to the current directory.
 */
export async function readEnvFromFiles(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return []
  const {existsSync, statSync} = await import('node:fs')
  for (const path of paths) {
    if (!existsSync(path)) throw new UserInputError('ENV_FILE_NOT_FOUND', `--env-from-file ${path}: no such file`)
    if (statSync(path).isDirectory()) throw new UserInputError('ENV_FILE_NOT_FILE', `--env-from-file ${path}: is a directory, not a file`)
  }
  const {readEnvFiles} = await import('../compose/env-file.js')
  const values = await readEnvFiles(paths.map((p) => resolve(p)), {lookup: () => undefined})
  return Object.entries(values).map(([key, value]) => `${key}=${value}`)
}

/**
 * A one-off container answers on its networks to its own name; with --use-aliases also to the
 * service name and the network's aliases, as a replica does (never to a replica's container name).
 */
export function oneOffAliases(name: string, replicaName: string, useAliases: boolean): (replicaAliases: string[]) => string[] {
  return (replicaAliases) => (useAliases ? unique([name, ...replicaAliases.filter((a) => a !== replicaName)]) : [name])
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}

/** `-p 8080:80`, `127.0.0.1:8080:80/udp`, `80`: read exactly like `ports:` in a Compose file. */
function parsePublish(spec: string): PortConfig[] {
  const parsed = parsePortSpec(spec)
  if (typeof parsed === 'string') throw new UserInputError('BAD_PORT', `invalid -p "${spec}": ${parsed}`)
  return parsed
}

/** `-v ./src:/app:ro`, `data:/data`, `/scratch`. */
function parseVolume(project: Project, spec: string): ServiceVolumeConfig {
  const parts = spec.split(':')
  if (parts.length === 1) return {type: 'volume', target: parts[0]}
  const [source, target, mode = ''] = parts
  if (!target) throw new UserInputError('BAD_VOLUME', `invalid -v "${spec}": expected SOURCE:TARGET[:MODE]`)
  const readOnly = mode.split(',').includes('ro')
  const isPath = source.startsWith('.') || source.startsWith('/') || source.startsWith('~')
  if (isPath) {
    const home = process.env.HOME ?? '/'
    const path = source.startsWith('~') ? resolve(home, source.slice(2)) : isAbsolute(source) ? source : resolve(project.workingDir, source)
    return {type: 'bind', source: path, target, ...(readOnly ? {read_only: true} : {}), bind: {create_host_path: true}}
  }
  return {type: 'volume', source, target, ...(readOnly ? {read_only: true} : {})}
}

/** Shell-like word splitting for --entrypoint ("sh -c" -> ["sh", "-c"]). */
function splitWords(text: string): string[] {
  const words: string[] = []
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g
  for (let m = re.exec(text); m; m = re.exec(text)) words.push(m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3])
  return words
}
