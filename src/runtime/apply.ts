/**
 * Apply: execute a plan, one Engine API call per step. Networks and volumes first, then services
 * in dependency order (independent services in parallel, bounded), each service waiting for its
 * dependencies' depends_on conditions. Every resource made carries the project labels, so
 * stopping half-way (Ctrl-C, an error) leaves only labelled resources that the next `up` or
 * `down` recognises.
 */
import type {Project, ServiceConfig} from '../compose/types.js'
import {bytesOf} from './units.js'
import {BerthError, CancelledError} from '../errors.js'
import {containerSpec} from './container-spec.js'
import type {RuntimeEngine} from './engine-port.js'
import {LABEL, networkLabels, volumeLabels} from './labels.js'
import {findImage, type ObservedState} from './observe.js'
import {dependenciesOf, dependencyLevels, namedServicesOf, serviceImage, temporaryName, type Operation, type Plan, type ServiceHash} from './plan.js'
import type {ProgressSink} from './progress-events.js'
import {SecretFiles} from './secret-files.js'
import {waitForCondition, type Condition} from './wait-conditions.js'

export interface ApplyContext {
  engine: RuntimeEngine
  project: Project
  observed: ObservedState
  apiVersion: string
  hashes: Record<string, ServiceHash>
  progress: ProgressSink
  warn: (message: string) => void
  /** Ctrl-C: no new step starts after it fires; steps in flight finish. */
  signal?: AbortSignal
  /** Stop timeout in seconds (-t); default: each container's own. */
  timeout?: number
  /** Services worked on in parallel. */
  concurrency?: number
  /** Give up waiting for a dependency after this long (ms). */
  waitTimeoutMs?: number
  /** The services `up` acts on (default: all); others are only waited for. */
  selected?: string[]
}

/** Runs `fn` over items with at most `limit` in flight; the first error wins, the rest still settle. */
export async function parallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0
  let failure: unknown
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]
      try {
        await fn(item)
      } catch (error) {
        failure ??= error
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  if (failure !== undefined) throw failure
}

/** A gate that lets at most `n` calls of the functions it is given run at once. */
export function limiter(n: number): <R>(fn: () => Promise<R>) => Promise<R> {
  let free = n
  const waiting: Array<() => void> = []
  return async (fn) => {
    if (free > 0) free--
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await fn()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else free++
    }
  }
}

function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError()
}

const title = (kind: string, name: string) => `${kind} ${name}`

/** Errors from starting a container, made specific (a taken port names the service and port). */
function startError(error: unknown, service: ServiceConfig, container: string): unknown {
  const message = error instanceof Error ? error.message : String(error)
  const port = /(?:Bind for|listen \w+) ([\d.:[\]a-f]*?):(\d+)(?: failed: port is already allocated|: bind: address already in use)/.exec(message)
  if (port) {
    return new BerthError('PORT_IN_USE', `service "${service.name}": host port ${port[2]} is already in use (${container} publishes ${port[1] || '0.0.0.0'}:${port[2]})`, {
      hints: [`stop whatever listens on port ${port[2]}, or change the published port of "${service.name}"`],
      cause: error,
    })
  }
  return error
}

// ------------------------------------------------------------------ images

export interface ImageApplyOptions {
  /** --quiet-pull: a pull reports Pulling/Pulled only, not each layer's progress. */
  quietPull?: boolean
  /** --quiet-build: a build reports Building/Built only, not its output. */
  quietBuild?: boolean
}

export async function applyImages(ctx: Pick<ApplyContext, 'engine' | 'project' | 'progress' | 'signal'> & ImageApplyOptions, plan: Plan): Promise<void> {
  await parallel(plan.operations, 4, async (op) => {
    checkCancelled(ctx.signal)
    if (op.kind === 'pull-image') {
      const row = title('Image', op.image)
      ctx.progress({resource: row, status: 'Pulling'})
      try {
        await ctx.engine.pullImage(op.image, (p) => {
          if (p.status && p.id && !ctx.quietPull) ctx.progress({resource: row, status: 'Pulling', detail: `${p.id}: ${p.status}`})
        }, ctx.project.services[op.service].platform)
      } catch (error) {
        ctx.progress({resource: row, status: 'Error', detail: 'pull failed'})
        const reason = error instanceof Error ? error.message : String(error)
        throw new BerthError('PULL_FAILED', `service "${op.service}": cannot pull image "${op.image}": ${reason}`, {
          hints: ['check the image name, or build/load it locally; `--pull never` uses only local images'],
          cause: error,
        })
      }
      ctx.progress({resource: row, status: 'Pulled'})
    } else if (op.kind === 'build-image') {
      const row = title('Image', op.image)
      const build = ctx.project.services[op.service].build!
      ctx.progress({resource: row, status: 'Building'})
      try {
        await ctx.engine.buildImage({
          tag: op.image,
          context: build.context,
          dockerfile: build.dockerfile,
          dockerfileInline: build.dockerfile_inline,
          args: Object.fromEntries(Object.entries(build.args ?? {}).filter(([, v]) => v !== null)) as Record<string, string>,
          target: build.target,
          labels: build.labels,
          noCache: build.no_cache,
          pull: build.pull,
          extraTags: build.tags?.filter((t) => t !== op.image),
          network: build.network,
          extraHosts: extraHostLines(build.extra_hosts),
          shmSize: build.shm_size === undefined ? undefined : bytesOf(build.shm_size),
          signal: ctx.signal,
          onProgress: ctx.quietBuild ? undefined : (line) => ctx.progress({resource: row, status: 'Building', detail: line.slice(0, 60)}),
        })
      } catch (error) {
        ctx.progress({resource: row, status: 'Error', detail: 'build failed'})
        if (error instanceof BerthError) throw error
        throw new BerthError('BUILD_FAILED', `service "${op.service}": build failed: ${error instanceof Error ? error.message : String(error)}`, {cause: error})
      }
      ctx.progress({resource: row, status: 'Built'})
    }
  })
}

// ------------------------------------------------------------------ up

export interface UpResult {
  /** Containers of the project after apply, by service: `{id, name}` in number order. */
  containers: Record<string, Array<{id: string; name: string}>>
}

export async function applyUp(ctx: ApplyContext, plan: Plan): Promise<UpResult> {
  const {engine, project, observed} = ctx
  const secretFiles = new SecretFiles(project)

  // What exists now, kept up to date as containers are made.
  const containers: Record<string, Map<number, {id: string; name: string}>> = {}
  for (const c of observed.containers) {
    if (c.oneoff) continue
    ;(containers[c.service] ??= new Map()).set(c.number, {id: c.id, name: c.name})
  }
  const firstOf = (service: string) => {
    const m = containers[service]
    if (!m || m.size === 0) return undefined
    return m.get(Math.min(...m.keys()))?.id
  }

  // 1. Networks and volumes, all in parallel.
  await parallel(plan.operations.filter((op) => op.kind === 'create-network' || op.kind === 'create-volume'), 8, async (op) => {
    checkCancelled(ctx.signal)
    if (op.kind === 'create-network') {
      const row = title('Network', op.name)
      const def = project.networks[op.key] ?? {name: op.name}
      ctx.progress({resource: row, status: 'Creating'})
      await engine.createNetwork({
        Name: op.name,
        Driver: def.driver,
        Options: def.driver_opts,
        Internal: def.internal,
        Attachable: def.attachable,
        EnableIPv6: def.enable_ipv6,
        IPAM: def.ipam ? {Driver: def.ipam.driver, Config: def.ipam.config as never, Options: def.ipam.options} : undefined,
        Labels: networkLabels(project.name, op.key, def.labels),
        CheckDuplicate: true,
      })
      ctx.progress({resource: row, status: 'Created'})
    } else if (op.kind === 'create-volume') {
      const row = title('Volume', op.name)
      const def = project.volumes[op.key]
      ctx.progress({resource: row, status: 'Creating'})
      await engine.createVolume({Name: op.name, Driver: def?.driver, DriverOpts: def?.driver_opts, Labels: volumeLabels(project.name, op.key, def?.labels)})
      ctx.progress({resource: row, status: 'Created'})
    }
  })

  // 2. Orphans (--remove-orphans) before services, so their names and ports are free.
  const serviceOps = new Map<string, Operation[]>()
  const orphanOps: Operation[] = []
  for (const op of plan.operations) {
    if (!('service' in op) || op.kind === 'pull-image' || op.kind === 'build-image') continue
    if (!project.services[op.service]) orphanOps.push(op)
    else serviceOps.set(op.service, [...(serviceOps.get(op.service) ?? []), op])
  }
  await parallel(orphanOps, 8, (op) => runContainerOp(ctx, op, containers, firstOf, secretFiles))

  const levels = dependencyLevels(project.services)
  const order = levels.flat()

  // 3. New containers are all created first, side by side (what docker compose does): creating
  //    one waits only for the containers it names (network_mode/pid/ipc service:, volumes_from,
  //    links), never for a start, so the starts below are the only thing a depends_on chain
  //    serialises. A service whose named containers are being recreated or renamed keeps its
  //    creates in step 4, after them.
  await createAhead(ctx, order, serviceOps, containers, firstOf, secretFiles)

  // 4. Services in dependency order: a service begins when its dependencies have finished and
  //    meet their conditions; independent services run side by side.
  const done = new Map<string, Promise<void>>()
  const runService = async (name: string): Promise<void> => {
    const service = project.services[name]
    const ops = serviceOps.get(name) ?? []
    const deps = Object.entries(service.depends_on ?? {})
    if (ops.length === 0 && ctx.selected && !ctx.selected.includes(name)) return
    // Containers left as they are (all of them, or the rest beside a scale up) show as Running.
    const touched = new Set(ops.flatMap((op) => (op.kind === 'rename-container' ? [op.name, op.from] : 'name' in op ? [op.name] : [])))
    for (const c of observed.containers) {
      if (c.service === name && !c.oneoff && !touched.has(c.name) && (c.state === 'running' || c.state === 'restarting')) ctx.progress({resource: title('Container', c.name), status: 'Running'})
    }
    if (ops.length === 0) return
    // Only a container that is to run waits for its dependencies (create / up --no-start do not).
    if (ops.some(startsContainer)) {
      for (const [dep, cfg] of deps) {
        checkCancelled(ctx.signal)
        const list = [...(containers[dep]?.values() ?? [])]
        if (list.length === 0) {
          if (cfg.required === false) {
            ctx.warn(`service "${name}": optional dependency "${dep}" has no container; starting without it`)
            continue
          }
          if (!project.services[dep]) throw new BerthError('DEPENDENCY_MISSING', `service "${name}" depends on "${dep}", which is not running`)
          continue
        }
        if (cfg.condition === 'service_started') continue
        for (const c of list) ctx.progress({resource: title('Container', c.name), status: 'Waiting'})
        await waitForCondition(engine, dep, list, cfg.condition as Condition, {dependent: name, signal: ctx.signal, timeoutMs: ctx.waitTimeoutMs})
        for (const c of list) ctx.progress({resource: title('Container', c.name), status: cfg.condition === 'service_healthy' ? 'Healthy' : 'Exited'})
      }
    }
    // Removals (scale down) first, then the rest, containers of one service in parallel.
    const removals = ops.filter((op) => op.kind === 'remove-container')
    await parallel(removals, 4, (op) => runContainerOp(ctx, op, containers, firstOf, secretFiles))
    await parallel(ops.filter((op) => op.kind !== 'remove-container'), 4, (op) => runContainerOp(ctx, op, containers, firstOf, secretFiles))
  }
  const limit = limiter(ctx.concurrency ?? 4)
  for (const name of order) {
    // depends_on plus implicit dependencies (service:x modes, volumes_from, links).
    const deps = dependenciesOf(project.services[name]).filter((d) => project.services[d])
    done.set(name, (async () => {
      await Promise.all(deps.map((d) => done.get(d)))
      await limit(() => runService(name))
    })())
  }
  const results = await Promise.allSettled(done.values())
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
  return {containers: Object.fromEntries(Object.entries(containers).map(([s, m]) => [s, [...m.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c)]))}
}

/** Whether an operation leaves a container running (its dependencies' conditions apply). */
function startsContainer(op: Operation): boolean {
  switch (op.kind) {
    case 'start-container':
    case 'restart-container':
      return true
    case 'create-container':
    case 'recreate-container':
    case 'rename-container':
      return op.start
    default:
      return false
  }
}

/**
 * Step 3 of applyUp: runs every `create-container` that can run before any start and leaves a
 * `start-container` in its place (nothing when it was not to be started).
 */
async function createAhead(
  ctx: ApplyContext,
  order: string[],
  serviceOps: Map<string, Operation[]>,
  containers: Record<string, Map<number, {id: string; name: string}>>,
  firstOf: (service: string) => string | undefined,
  secretFiles: SecretFiles,
): Promise<void> {
  const {project} = ctx
  // A container that names another can be created ahead when that one is left as it is, or is
  // itself created ahead (order is topological, so that is already decided).
  const created = new Map<string, Promise<void>>()
  const settled = (name: string) => (serviceOps.get(name) ?? []).length === 0 || created.has(name)
  const limit = limiter(ctx.concurrency ?? 4)
  for (const name of order) {
    const deps = namedServicesOf(project.services[name]).filter((d) => project.services[d])
    const ops = serviceOps.get(name) ?? []
    if (!ops.some((op) => op.kind === 'create-container') || !deps.every(settled)) continue
    created.set(name, (async () => {
      // A dependency that is not created ahead already has its containers (or fails in step 4).
      await Promise.all(deps.map((d) => created.get(d)))
      await limit(async () => {
        const creates = ops.filter((op): op is Extract<Operation, {kind: 'create-container'}> => op.kind === 'create-container')
        const starts = new Map<Operation, Operation | undefined>()
        await parallel(creates, 4, async (op) => {
          const id = await runContainerOp(ctx, {...op, start: false}, containers, firstOf, secretFiles)
          starts.set(op, op.start && id ? {kind: 'start-container', service: op.service, number: op.number, name: op.name, id, cause: op.cause} : undefined)
        })
        serviceOps.set(name, ops.flatMap((op) => (starts.has(op) ? (starts.get(op) ? [starts.get(op)!] : []) : [op])))
      })
    })())
  }
  const results = await Promise.allSettled(created.values())
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
}

/** Runs one operation; a create returns the new container's ID. */
async function runContainerOp(
  ctx: ApplyContext,
  op: Operation,
  containers: Record<string, Map<number, {id: string; name: string}>>,
  firstOf: (service: string) => string | undefined,
  secretFiles: SecretFiles,
): Promise<string | undefined> {
  checkCancelled(ctx.signal)
  const {engine, project} = ctx
  switch (op.kind) {
    case 'remove-container': {
      const row = title('Container', op.name)
      if (op.running) {
        ctx.progress({resource: row, status: 'Stopping'})
        await engine.stopContainer(op.id, ctx.timeout)
        ctx.progress({resource: row, status: 'Stopped'})
      }
      ctx.progress({resource: row, status: 'Removing'})
      await engine.removeContainer(op.id, {force: true})
      containers[op.service]?.delete(op.number)
      ctx.progress({resource: row, status: 'Removed'})
      return
    }
    case 'start-container':
    case 'restart-container': {
      const row = title('Container', op.name)
      const service = project.services[op.service]
      const restart = op.kind === 'restart-container'
      ctx.progress({resource: row, status: restart ? 'Restarting' : 'Starting'})
      try {
        if (restart) await engine.restartContainer(op.id, ctx.timeout)
        else await engine.startContainer(op.id)
      } catch (error) {
        ctx.progress({resource: row, status: 'Error'})
        throw startError(error, service, op.name)
      }
      ctx.progress({resource: row, status: restart ? 'Restarted' : 'Started'})
      return
    }
    case 'rename-container': {
      const row = title('Container', op.name)
      ctx.progress({resource: row, status: 'Renaming', detail: `from ${op.from}`})
      await engine.renameContainer(op.id, op.name)
      ;(containers[op.service] ??= new Map()).set(op.number, {id: op.id, name: op.name})
      ctx.progress({resource: row, status: 'Renamed'})
      if (op.start) {
        checkCancelled(ctx.signal)
        ctx.progress({resource: row, status: 'Starting'})
        try {
          await engine.startContainer(op.id)
        } catch (error) {
          ctx.progress({resource: row, status: 'Error'})
          throw startError(error, project.services[op.service], op.name)
        }
        ctx.progress({resource: row, status: 'Started'})
      }
      return
    }
    case 'recreate-container':
      await recreateContainer(ctx, op, containers, firstOf, secretFiles)
      return
    case 'create-container': {
      const row = title('Container', op.name)
      const service = project.services[op.service]
      ctx.progress({resource: row, status: 'Creating'})
      const spec = specFor(ctx, op, firstOf, secretFiles)
      const id = await engine.createContainer(spec.name, spec.body, spec.platform)
      ;(containers[op.service] ??= new Map()).set(op.number, {id, name: spec.name})
      for (const extra of spec.extraNetworks) await engine.connectNetwork(extra.network, id, extra.endpoint)
      ctx.progress({resource: row, status: 'Created'})
      if (op.start) {
        checkCancelled(ctx.signal)
        ctx.progress({resource: row, status: 'Starting'})
        try {
          await engine.startContainer(id)
        } catch (error) {
          ctx.progress({resource: row, status: 'Error'})
          throw startError(error, service, spec.name)
        }
        ctx.progress({resource: row, status: 'Started'})
      }
      return id
    }
    default:
      return
  }
}

/** The container a create or recreate makes, warnings reported. */
function specFor(
  ctx: ApplyContext,
  op: Extract<Operation, {kind: 'create-container' | 'recreate-container'}>,
  firstOf: (service: string) => string | undefined,
  secretFiles: SecretFiles,
  anonymousVolumes?: Record<string, string>,
): ReturnType<typeof containerSpec> {
  const {project} = ctx
  const service = project.services[op.service]
  const image = serviceImage(project, service)
  const spec = containerSpec({
    project,
    service,
    number: op.number,
    apiVersion: ctx.apiVersion,
    image,
    imageId: findImage(ctx.observed.images, image)?.id,
    configHash: ctx.hashes[op.service].hash,
    configFields: ctx.hashes[op.service].fields,
    containerOf: firstOf,
    fileOf: (kind, name) => secretFiles.pathOf(kind, name),
    anonymousVolumes,
  })
  for (const w of spec.warnings) ctx.warn(w)
  return spec
}

/**
 * Recreate without ever being left with nothing (what docker compose does): the replacement is
 * created beside the old container under a temporary name (`<old-id-12>_<name>`, labelled
 * com.docker.compose.replace=<old id>); only then is the old one stopped and the new one started.
 * If creating or starting the replacement fails, or Ctrl-C comes before it starts, the
 * replacement is removed and the old container, which never lost its name, runs again as before.
 * Once the replacement runs, the old container is removed and the replacement takes its name.
 * A process killed in between leaves only labelled containers, which the next `up` tidies
 * (plan.ts: a leftover twin is removed, a lone replacement is renamed).
 */
async function recreateContainer(
  ctx: ApplyContext,
  op: Extract<Operation, {kind: 'recreate-container'}>,
  containers: Record<string, Map<number, {id: string; name: string}>>,
  firstOf: (service: string) => string | undefined,
  secretFiles: SecretFiles,
): Promise<void> {
  const {engine, project} = ctx
  const service = project.services[op.service]
  const old = op.container
  const wasRunning = old.state === 'running' || old.state === 'restarting' || old.state === 'paused'
  const row = title('Container', op.name)
  ctx.progress({resource: row, status: 'Recreating'})
  // -V: no anonymous volumes from the old container, so the engine makes new ones.
  const spec = specFor(ctx, op, firstOf, secretFiles, op.renewVolumes ? undefined : old.anonymousVolumes)
  const body = {...spec.body, Labels: {...spec.body.Labels, [LABEL.replace]: old.id}}
  const temporary = temporaryName(old.id, op.name)

  let id: string | undefined
  let stopped = false
  /** Puts things back as they were: no replacement, the old container as it was. */
  const rollBack = async () => {
    if (id) await engine.removeContainer(id, {force: true}).catch(() => {})
    if (!stopped) return
    await engine.startContainer(old.id).catch(() => {})
    // Stopping took a paused container out of its pause: put it back as it was.
    if (old.state === 'paused') await engine.pauseContainer(old.id).catch(() => {})
  }
  try {
    id = await engine.createContainer(temporary, body, spec.platform)
    for (const extra of spec.extraNetworks) await engine.connectNetwork(extra.network, id, extra.endpoint)
  } catch (error) {
    await rollBack()
    ctx.progress({resource: row, status: 'Error', detail: 'old container kept'})
    throw new BerthError('RECREATE_FAILED', `service "${op.service}": cannot create the new ${op.name} (kept the old one${wasRunning ? ', still running' : ''}): ${messageOf(error)}`, {
      hints: [`fix the configuration of "${op.service}" and run up again`],
      cause: error,
    })
  }
  try {
    checkCancelled(ctx.signal)
    if (wasRunning) {
      await engine.stopContainer(old.id, ctx.timeout)
      stopped = true
    }
    if (op.start) {
      checkCancelled(ctx.signal)
      ctx.progress({resource: row, status: 'Starting'})
      await engine.startContainer(id)
    }
  } catch (error) {
    await rollBack()
    ctx.progress({resource: row, status: 'Error', detail: 'old container kept'})
    if (error instanceof CancelledError) throw error
    throw keptOld(startError(error, service, op.name), op, wasRunning)
  }
  // The replacement runs: the old container goes and the replacement takes its name.
  await engine.removeContainer(old.id, {force: true})
  await engine.renameContainer(id, op.name)
  ;(containers[op.service] ??= new Map()).set(op.number, {id, name: op.name})
  ctx.progress({resource: row, status: 'Recreated'})
  if (op.start) ctx.progress({resource: row, status: 'Started'})
}

/** A failed start of a replacement, said with what was kept. */
function keptOld(error: unknown, op: Extract<Operation, {kind: 'recreate-container'}>, running: boolean): BerthError {
  const kept = `kept the old ${op.name}${running ? ', still running' : ''}`
  if (error instanceof BerthError) {
    return new BerthError(error.code, `${error.message}; ${kept}`, {hints: error.hints, context: error.context, cause: error.cause ?? error, exitCode: error.exitCode})
  }
  return new BerthError('RECREATE_FAILED', `service "${op.service}": cannot start the new ${op.name} (${kept}): ${messageOf(error)}`, {
    hints: [`fix the configuration of "${op.service}" and run up again`],
    cause: error,
  })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

// ------------------------------------------------------------------ down

export interface DownContext {
  engine: RuntimeEngine
  progress: ProgressSink
  signal?: AbortSignal
  timeout?: number
  /** Remove anonymous volumes with the containers (-v). */
  volumes?: boolean
  project?: Project
}

export async function applyDown(ctx: DownContext, plan: Plan): Promise<void> {
  const ops = plan.operations
  // Containers: in plan order (reverse dependencies), one service level at a time.
  const containerOps = ops.filter((op): op is Extract<Operation, {kind: 'remove-container'}> => op.kind === 'remove-container')
  const levels = new Map<number, typeof containerOps>()
  for (const op of containerOps) levels.set(op.level ?? 0, [...(levels.get(op.level ?? 0) ?? []), op])
  // Stops go level by level (dependents first); a stopped container's removal runs beside the
  // next level's stops instead of holding them up.
  const limit = limiter(8)
  const removals: Array<Promise<void>> = []
  let stopFailure: unknown
  try {
    for (const group of [...levels.keys()].sort((a, b) => a - b).map((k) => levels.get(k)!)) {
      await parallel(group, 8, async (op) => {
        checkCancelled(ctx.signal)
        const row = title('Container', op.name)
        if (op.running) {
          ctx.progress({resource: row, status: 'Stopping'})
          await ctx.engine.stopContainer(op.id, ctx.timeout)
          ctx.progress({resource: row, status: 'Stopped'})
        }
        removals.push(limit(async () => {
          ctx.progress({resource: row, status: 'Removing'})
          await ctx.engine.removeContainer(op.id, {force: true, volumes: ctx.volumes})
          ctx.progress({resource: row, status: 'Removed'})
        }))
      })
    }
  } catch (error) {
    stopFailure = error
  }
  const results = await Promise.allSettled(removals)
  if (stopFailure !== undefined) throw stopFailure
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
  await parallel(ops.filter((op) => op.kind === 'remove-network' || op.kind === 'remove-volume'), 8, async (op) => {
    checkCancelled(ctx.signal)
    if (op.kind !== 'remove-network' && op.kind !== 'remove-volume') return
    const row = title(op.kind === 'remove-network' ? 'Network' : 'Volume', op.name)
    ctx.progress({resource: row, status: 'Removing'})
    if (op.kind === 'remove-network') await ctx.engine.removeNetwork(op.name)
    else await ctx.engine.removeVolume(op.name)
    ctx.progress({resource: row, status: 'Removed'})
  })
  await parallel(ops.filter((op) => op.kind === 'remove-image'), 4, async (op) => {
    if (op.kind !== 'remove-image') return
    const row = title('Image', op.image)
    ctx.progress({resource: row, status: 'Removing'})
    await ctx.engine.removeImage(op.image)
    ctx.progress({resource: row, status: 'Removed'})
  })
  if (ctx.project) await new SecretFiles(ctx.project).removeAll()
}

/** build.extra_hosts (list or map, as the loader leaves it) as `host:ip` lines. */
function extraHostLines(hosts: string[] | Record<string, string | string[]> | undefined): string[] | undefined {
  if (hosts === undefined) return undefined
  if (Array.isArray(hosts)) return hosts
  return Object.entries(hosts).flatMap(([host, ips]) => (Array.isArray(ips) ? ips : [ips]).map((ip) => `${host}:${ip}`))
}
