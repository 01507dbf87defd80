/**
 * `pull` and `push` for a project's services, through the engine client, in parallel (bounded),
 * one progress row per image. `pull` takes every service with an `image:` (a service that can also
 * be built may fail to pull and is then only a warning, as in docker compose); `push` takes the
 * services that have both `build:` and `image:`. Credentials come from the docker CLI's
 * config.json `auths` (never logged). planPull / planPush are their --dry-run: the same choice of
 * images, as steps, without a transfer.
 */
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import type {Project} from '../compose/types.js'
import type {EngineClient} from '../engine/client.js'
import {parseImageReference, type RegistryAuth} from '../engine/resources/images.js'
import {BerthError} from '../errors.js'
import {parallel} from './apply.js'
import type {DryRunStep} from './dry-run.js'
import {findImage, type ObservedImage} from './observe.js'
import {silentProgress, type ProgressSink} from './progress-events.js'
import {checkServices} from './select.js'

export interface PullPushOptions {
  services?: readonly string[]
  /** pull --ignore-buildable: skip services that have build: */
  ignoreBuildable?: boolean
  /** pull --ignore-pull-failures / push --ignore-push-failures: warn instead of failing. */
  ignoreFailures?: boolean
  /** pull --include-deps: also the services the named ones depend on. */
  includeDeps?: boolean
  /**
   * pull --policy: `missing` pulls only images that are not here, `always` every image whatever
   * the services' pull_policy. Without it each service's pull_policy decides (never and build
   * skip, missing / if_not_present pull only what is not here, anything else pulls).
   */
  policy?: 'missing' | 'always'
  /** Images that are here (one list call), for the policies that skip them; default: asked of the engine. */
  localImages?: ObservedImage[]
  progress?: ProgressSink
  warn?: (message: string) => void
  signal?: AbortSignal
  concurrency?: number
}

interface ImageJob {
  image: string
  services: string[]
  buildable: boolean
  /** The services' pull_policy, one per service (undefined when not set). */
  policies: Array<string | undefined>
}

/** What `pull` does with a job: pull it, skip it (pull_policy never/build), or skip it because it is here. */
export type PullDecision = 'pull' | 'skip' | 'if-missing'

/** compose's rules, per service, combined: the image is pulled when one of its services would pull it. */
export function pullDecision(job: Pick<ImageJob, 'policies'>, policy: PullPushOptions['policy']): PullDecision {
  if (policy === 'always') return 'pull'
  if (policy === 'missing') return 'if-missing'
  const each = job.policies.map((p): PullDecision => (p === 'never' || p === 'build' ? 'skip' : p === 'missing' || p === 'if_not_present' ? 'if-missing' : 'pull'))
  return each.includes('pull') ? 'pull' : each.includes('if-missing') ? 'if-missing' : 'skip'
}

function selected(project: Project, options: PullPushOptions): string[] {
  const names = options.services && options.services.length > 0 ? [...options.services] : Object.keys(project.services)
  checkServices({name: project.name, project}, names)
  if (!options.includeDeps) return names
  const out = new Set<string>()
  const visit = (name: string) => {
    if (out.has(name) || !project.services[name]) return
    out.add(name)
    for (const dep of Object.keys(project.services[name].depends_on ?? {})) visit(dep)
  }
  for (const name of names) visit(name)
  return [...out]
}

/** The images `pull` fetches, one job per distinct image. */
export function pullJobs(project: Project, options: PullPushOptions = {}): ImageJob[] {
  const jobs = new Map<string, ImageJob>()
  for (const name of selected(project, options)) {
    const service = project.services[name]
    if (!service.image) continue
    if (service.build && options.ignoreBuildable) continue
    const job = jobs.get(service.image) ?? {image: service.image, services: [], buildable: false, policies: []}
    job.services.push(name)
    job.policies.push(service.pull_policy)
    job.buildable ||= service.build !== undefined
    jobs.set(service.image, job)
  }
  return [...jobs.values()]
}

/** The images `push` sends: services with both build: and image:. */
export function pushJobs(project: Project, options: PullPushOptions = {}): ImageJob[] {
  const jobs = new Map<string, ImageJob>()
  for (const name of selected(project, options)) {
    const service = project.services[name]
    if (!service.build || !service.image) continue
    const job = jobs.get(service.image) ?? {image: service.image, services: [], buildable: true, policies: []}
    job.services.push(name)
    jobs.set(service.image, job)
  }
  return [...jobs.values()]
}

/** The jobs `pull` transfers, and those it skips (with why, for their Skipped rows): one list call when a policy asks what is here. */
async function pullSelection(engine: EngineClient, project: Project, options: PullPushOptions): Promise<{pulled: Array<{job: ImageJob; reason: string}>; skipped: Array<{job: ImageJob; detail?: string}>}> {
  const jobs = pullJobs(project, options).map((job) => ({job, decision: pullDecision(job, options.policy)}))
  let local = options.localImages
  if (!local && jobs.some((j) => j.decision === 'if-missing')) {
    const list = await engine.images.list({signal: options.signal})
    local = list.map((i) => ({id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], labels: i.Labels ?? {}}))
  }
  const pulled: Array<{job: ImageJob; reason: string}> = []
  const skipped: Array<{job: ImageJob; detail?: string}> = []
  for (const {job, decision} of jobs) {
    if (decision === 'pull') pulled.push({job, reason: options.policy === 'always' ? '--policy always' : job.policies.includes('always') ? 'pull_policy: always' : ''})
    else if (decision === 'if-missing' && !findImage(local ?? [], job.image)) pulled.push({job, reason: 'not found locally'})
    else skipped.push({job, detail: decision === 'skip' ? undefined : 'Image is already present locally'})
  }
  return {pulled, skipped}
}

export async function pullServices(engine: EngineClient, project: Project, options: PullPushOptions = {}): Promise<string[]> {
  const progress = options.progress ?? silentProgress
  const {pulled, skipped} = await pullSelection(engine, project, options)
  for (const {job, detail} of skipped) progress({resource: `Image ${job.image}`, status: 'Skipped', detail})
  return transfer(engine, pulled.map((p) => p.job), 'pull', options)
}

/** --dry-run: the images `pull` would fetch and why (images it would skip are not steps). */
export async function planPull(engine: EngineClient, project: Project, options: PullPushOptions = {}): Promise<DryRunStep[]> {
  const {pulled} = await pullSelection(engine, project, options)
  return pulled.map(({job, reason}) => ({resource: `image:${job.image}`, action: 'pull', cause: `${servicesText(job.services)}${reason ? ` (${reason})` : ''}`}))
}

/** --dry-run: the images `push` would send, and where. */
export function planPush(project: Project, options: PullPushOptions = {}): DryRunStep[] {
  return pushJobs(project, options).map((job) => ({resource: `image:${job.image}`, action: 'push', cause: `${servicesText(job.services)} (to ${registryOf(job.image)})`}))
}

function servicesText(services: readonly string[]): string {
  return `service${services.length > 1 ? 's' : ''} ${services.join(', ')}`
}

export async function pushServices(engine: EngineClient, project: Project, options: PullPushOptions = {}): Promise<string[]> {
  return transfer(engine, pushJobs(project, options), 'push', options)
}

async function transfer(engine: EngineClient, jobs: ImageJob[], verb: 'pull' | 'push', options: PullPushOptions): Promise<string[]> {
  const progress = options.progress ?? silentProgress
  const warn = options.warn ?? (() => {})
  const done: string[] = []
  const [doing, finished] = verb === 'pull' ? (['Pulling', 'Pulled'] as const) : (['Pushing', 'Pushed'] as const)
  await parallel(jobs, options.concurrency ?? 4, async (job) => {
    const row = `Image ${job.image}`
    progress({resource: row, status: doing})
    const auth = registryAuth(job.image)
    const onProgress = (m: {id?: string; status?: string; progress?: string}) => {
      if (m.id && m.status) progress({resource: row, status: doing, detail: `${m.id}: ${m.status}${m.progress ? ` ${m.progress}` : ''}`})
    }
    try {
      if (verb === 'pull') await engine.images.pull(job.image, {auth, onProgress, signal: options.signal})
      else await engine.images.push(job.image, {auth, onProgress, signal: options.signal})
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      progress({resource: row, status: 'Error', detail: `${verb} failed`})
      if (options.ignoreFailures || (verb === 'pull' && job.buildable)) {
        warn(`service ${job.services.join(', ')}: cannot ${verb} ${job.image}: ${reason}${verb === 'pull' && job.buildable ? ' (it can be built: `berth build`)' : ''}`)
        return
      }
      throw new BerthError(verb === 'pull' ? 'PULL_FAILED' : 'PUSH_FAILED', `service ${job.services.join(', ')}: cannot ${verb} image "${job.image}": ${reason}`, {cause: error})
    }
    progress({resource: row, status: finished})
    done.push(job.image)
  })
  return done
}

/** Credentials for the image's registry from config.json `auths` (plain entries only). */
export function registryAuth(image: string, env: NodeJS.ProcessEnv = process.env): RegistryAuth | undefined {
  const file = join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json')
  if (!existsSync(file)) return undefined
  let auths: Record<string, {auth?: string; identitytoken?: string}>
  try {
    auths = (JSON.parse(readFileSync(file, 'utf8')) as {auths?: typeof auths}).auths ?? {}
  } catch {
    return undefined
  }
  const registry = registryOf(image)
  const keys = registry === 'docker.io' ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io'] : [registry, `https://${registry}`, `http://${registry}`]
  for (const key of keys) {
    const entry = auths[key]
    if (!entry) continue
    if (entry.identitytoken) return {identitytoken: entry.identitytoken, serveraddress: registry}
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      return {username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: registry}
    }
  }
  return undefined
}

/** `127.0.0.1:5000/app:1` -> `127.0.0.1:5000`; `busybox` -> `docker.io`. */
export function registryOf(image: string): string {
  const repository = parseImageReference(image).repository
  const first = repository.split('/')[0]
  if (repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return first
  return 'docker.io'
}
