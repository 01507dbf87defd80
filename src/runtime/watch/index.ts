/**
 * `berth watch` (and `up --watch`): watch each develop.watch path, group changes into batches, and
 * per batch sync files into the service's containers, restart them, run their exec hooks, or
 * rebuild the image and recreate them. One batch is handled at a time; changes that arrive
 * meanwhile form the next batch. Messages are docker compose's (`Watch enabled`, `Syncing service
 * "web" after 2 changes were detected`, ...). Resolves when `signal` fires.
 */
import {existsSync, readdirSync, readFileSync, statSync, watch as fsWatch, type FSWatcher} from 'node:fs'
import path from 'node:path'
import {dockerignoreCandidates} from '../../build/context/dockerignore.js'
import type {Project, ServiceConfig} from '../../compose/types.js'
import type {EngineClient} from '../../engine/index.js'
import {UserInputError} from '../../errors.js'
import type {ConvergeOptions} from '../converge.js'
import type {RuntimeEngine} from '../engine-port.js'
import {silentProgress, type ProgressSink} from '../progress-events.js'
import {LABEL} from '../labels.js'
import {Batcher, QUIET_PERIOD_MS} from './batcher.js'
import {runInContainer} from './exec.js'
import {isIgnoredAnywhere, matchRule, planBatch, watchRules, type BatchPlan, type PathMapping, type WatchRule} from './rules.js'
import {splitMappings, syncToContainers} from './sync.js'

export {watchRules, planBatch, matchRule, type WatchRule, type BatchPlan, type PathMapping} from './rules.js'

export interface WatchOptions {
  client: EngineClient
  engine: RuntimeEngine
  project: Project
  /** The services to watch (all when empty). */
  services: readonly string[]
  /** Remove the image a rebuild replaced when nothing uses it any more (default true). */
  prune?: boolean
  /** Watch messages, one line each. */
  log: (line: string) => void
  warn: (message: string) => void
  /** Output of exec hooks. */
  output?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void
  /** Progress of a rebuild's build and recreate: the plan of each phase, events, the end. */
  progress?: ProgressSink
  onPlan?: ConvergeOptions['onPlan']
  onRebuildEnd?: () => Promise<void>
  signal: AbortSignal
  quietMs?: number
  /** Called once the watchers are in place (tests). */
  onReady?: () => void
  /** Called after each batch is handled (tests). */
  onBatch?: (plan: BatchPlan) => void
}

/** The rules for the selected services; throws before anything is watched when none apply. */
export function rulesFor(project: Project, services: readonly string[], warn: (m: string) => void): WatchRule[] {
  const selected = services.length > 0 ? services : Object.keys(project.services)
  for (const s of selected) {
    if (!project.services[s]) throw new UserInputError('NO_SUCH_SERVICE', `no such service: ${s}`, {hints: [`services: ${Object.keys(project.services).sort().join(', ')}`]})
  }
  return watchRules(project, selected, dockerignoreOf, warn)
}

function dockerignoreOf(service: ServiceConfig): {base: string; text: string} | undefined {
  const build = service.build
  if (!build?.context) return undefined
  const dockerfile = build.dockerfile && !build.dockerfile_inline ? path.resolve(build.context, build.dockerfile) : undefined
  for (const candidate of dockerignoreCandidates(build.context, dockerfile)) {
    if (existsSync(candidate)) return {base: build.context, text: readFileSync(candidate, 'utf8')}
  }
  return undefined
}

export async function watchProject(options: WatchOptions): Promise<void> {
  const rules = rulesFor(options.project, options.services, options.warn)
  // The first sync should not wait for tar-stream to load.
  import('../../build/load-tar-stream.js').then((m) => m.loadTarStream()).catch(() => {})
  await initialSync(options, rules)

  let queue = Promise.resolve()
  const batcher = new Batcher((paths) => {
    queue = queue.then(() => handleBatch(options, rules, paths)).catch((error: unknown) => options.warn(`Error handling changed files: ${(error as Error).message}`))
  }, options.quietMs ?? QUIET_PERIOD_MS)

  const watchers = startWatchers(rules, (hostPath) => {
    if (rules.some((r) => matchRule(r, hostPath))) batcher.add(hostPath)
  }, options.warn)
  options.log('Watch enabled')
  options.onReady?.()
  try {
    await new Promise<void>((resolve) => {
      if (options.signal.aborted) return resolve()
      options.signal.addEventListener('abort', () => resolve(), {once: true})
    })
  } finally {
    for (const w of watchers) w.close()
    batcher.close()
    await queue
    options.log('Watch disabled')
  }
}

/**
 * One watcher per distinct directory: a rule's path when it is a directory (recursive), its parent
 * when it is a file. Events come back as absolute host paths.
 */
function startWatchers(rules: readonly WatchRule[], onPath: (hostPath: string) => void, warn: (m: string) => void): FSWatcher[] {
  const dirs = new Map<string, {recursive: boolean}>()
  for (const rule of rules) {
    const st = statSync(rule.path, {throwIfNoEntry: false})
    if (!st) throw new UserInputError('WATCH_PATH_MISSING', `service "${rule.service}": develop.watch path ${rule.path} does not exist`, {hints: ['create it, or fix the path in the Compose file']})
    const dir = st.isDirectory() ? rule.path : path.dirname(rule.path)
    const recursive = st.isDirectory()
    dirs.set(dir, {recursive: (dirs.get(dir)?.recursive ?? false) || recursive})
  }
  // A directory inside another watched recursively is covered already.
  const recursiveDirs = [...dirs].filter(([, o]) => o.recursive).map(([d]) => d)
  const watchers: FSWatcher[] = []
  for (const [dir, {recursive}] of dirs) {
    if (recursiveDirs.some((r) => r !== dir && (dir + path.sep).startsWith(r + path.sep))) continue
    try {
      const w = fsWatch(dir, {recursive}, (_event, name) => {
        if (name === null) return
        const hostPath = path.join(dir, name.toString())
        if (!isIgnoredAnywhere(hostPath)) onPath(hostPath)
      })
      w.on('error', (error) => warn(`Watch of ${dir} failed: ${error.message}`))
      watchers.push(w)
    } catch (error) {
      for (const w of watchers) w.close()
      const code = (error as NodeJS.ErrnoException).code
      const hint = code === 'ENOSPC' ? ['the system limit of inotify watches is reached: raise fs.inotify.max_user_watches, or narrow the watched paths'] : []
      throw new UserInputError('WATCH_FAILED', `cannot watch ${dir}: ${(error as Error).message}`, {hints: hint})
    }
  }
  return watchers
}

/** Rules with `initial_sync: true` copy their whole path into the containers before watching. */
async function initialSync(options: WatchOptions, rules: readonly WatchRule[]): Promise<void> {
  const skip = new Set(options.project.configFiles.map((f) => path.resolve(f)))
  for (const rule of rules) {
    if (!rule.initialSync || !rule.action.startsWith('sync') || rule.target === undefined) continue
    const service = options.project.services[rule.service]
    if (service.build?.context) skip.add(path.resolve(service.build.context, service.build.dockerfile ?? 'Dockerfile'))
    const mappings: PathMapping[] = []
    const visit = (p: string) => {
      if (skip.has(p)) return
      const mapping = matchRule(rule, p)
      const st = statSync(p, {throwIfNoEntry: false})
      if (!st) return
      if (st.isDirectory()) {
        if (p !== rule.path && !mapping) return
        for (const name of readdirSorted(p)) visit(path.join(p, name))
      } else if (mapping) {
        mappings.push(mapping)
      }
    }
    visit(rule.path)
    if (mappings.length === 0) continue
    await syncService(options, rule.service, mappings)
  }
}

function readdirSorted(dir: string): string[] {
  try {
    return readdirSync(dir).sort()
  } catch {
    return []
  }
}

async function serviceContainers(options: WatchOptions, service: string) {
  return options.client.containers.list({
    all: true,
    filters: {label: [`${LABEL.project}=${options.project.name}`, `${LABEL.service}=${service}`, `${LABEL.oneoff}=False`]},
    signal: options.signal,
  })
}

async function syncService(options: WatchOptions, service: string, mappings: PathMapping[]): Promise<void> {
  options.log(`Syncing service "${service}" after ${mappings.length} changes were detected`)
  const [containers, split] = await Promise.all([serviceContainers(options, service), splitMappings(mappings)])
  const failures = await syncToContainers(options.client, containers, split)
  for (const f of failures) options.warn(f)
}

async function handleBatch(options: WatchOptions, rules: readonly WatchRule[], paths: string[]): Promise<void> {
  const plan = planBatch(rules, paths)
  try {
    if (plan.rebuild.length > 0) await rebuild(options, plan.rebuild)
    await Promise.all([...plan.sync].map(([service, mappings]) => syncService(options, service, mappings)))
    if (plan.restart.length > 0) {
      const {runLifecycle} = await import('../lifecycle.js')
      await runLifecycle(options.client, {name: options.project.name, project: options.project}, 'restart', {services: plan.restart})
      options.log(`service(s) ${JSON.stringify(plan.restart)} restarted`)
    }
    for (const [service, hooks] of plan.exec) {
      const running = (await serviceContainers(options, service)).filter((c) => c.State === 'running')
      for (const rule of hooks) {
        await Promise.all(
          running.map(async (c) => {
            const result = await runInContainer(options.client, c.Id, rule.exec!, {output: options.output})
            if (result.exitCode !== 0) options.warn(`service "${service}": exec hook exited with code ${result.exitCode}`)
          }),
        )
      }
    }
  } finally {
    options.onBatch?.(plan)
  }
}

async function rebuild(options: WatchOptions, services: string[]): Promise<void> {
  options.log(`Rebuilding service(s) ${JSON.stringify(services)} after changes were detected...`)
  const project = withBuildPolicy(options.project, services)
  const before = await imageIds(options, services)
  const {converge} = await import('../converge.js')
  try {
    await converge(options.engine, project, {services, noDeps: true, forceRecreate: true, progress: options.progress ?? silentProgress, warn: options.warn, onPlan: options.onPlan})
  } catch (error) {
    await options.onRebuildEnd?.()
    options.log(`Build failed. Error: ${(error as Error).message}`)
    return
  }
  await options.onRebuildEnd?.()
  options.log(`service(s) ${JSON.stringify(services)} successfully built`)
  if (options.prune !== false) await pruneReplaced(options, before)
}

/** The project with `pull_policy: build` on these services: converge builds them again. */
export function withBuildPolicy(project: Project, services: readonly string[]): Project {
  const out = {...project, services: {...project.services}}
  for (const s of services) out.services[s] = {...out.services[s], pull_policy: 'build'}
  return out
}

async function imageIds(options: WatchOptions, services: readonly string[]): Promise<string[]> {
  const {serviceImage} = await import('../plan.js')
  const ids = await Promise.all(services.map((s) => options.client.images.find(serviceImage(options.project, options.project.services[s])).then((i) => i?.Id).catch(() => undefined)))
  return ids.filter((id): id is string => id !== undefined)
}

/** Removes the images a rebuild replaced once they have no tag and no container uses them. */
async function pruneReplaced(options: WatchOptions, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  const [images, containers] = await Promise.all([options.engine.listImages(), options.client.containers.list({all: true})])
  const used = new Set(containers.map((c) => c.ImageID))
  for (const id of ids) {
    const image = images.find((i) => i.Id === id)
    if (!image || used.has(id) || (image.RepoTags ?? []).some((t) => t !== '<none>:<none>')) continue
    await options.client.images.remove(id, {noprune: true}).catch(() => {})
  }
}
