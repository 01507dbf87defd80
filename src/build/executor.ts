/**
 * Runs a parsed Dockerfile on a Docker Engine with Berth's own layer cache.
 *
 * Per stage: resolve FROM (an earlier stage, `scratch`, or a local/pulled image), prepend the base
 * image's ONBUILD triggers, then work out every step's text and cache key without the engine
 * (metadata steps are pure, COPY/ADD keys digest exactly the selected files). The longest cached
 * prefix is reused; the remaining steps run in groups that end at a RUN, at a COPY/ADD followed
 * by another COPY/ADD, or at the stage's end: the group's metadata steps and its COPY/ADD go into
 * the RUN's container before it starts, and one commit is labelled with the RUN's key (a container
 * that never starts when there is no RUN). Container create and commit are most of a step's cost
 * on the engine, so "COPY src; RUN make" costs one of each, not two; the price is that such a COPY
 * has no image of its own, and editing only the RUN line copies again (the files are still not
 * re-hashed). A content change still re-runs from the changed COPY on. Metadata steps after a
 * stage's last RUN are a second commit of the RUN's container. Containers are removed in
 * `finally`, also on Ctrl-C.
 *
 * Latency: the cached prefix comes from one inspect when this machine's hint for the last step
 * holds; otherwise the first group starts on the longest hinted prefix while the engine lists the
 * cache images, and shows nothing, starts no RUN and commits nothing until the list agrees. A
 * small COPY is packed while its container is created. What the engine fills in a commit from the
 * container's config is kept out of the container (the command lives in its entrypoint), and a
 * COPY into a VOLUME path goes into a container of a volume-free copy of the parent image, so both
 * match the classic builder (conformance and classic-parity tests).
 */
import {createHash} from 'node:crypto'
import {promises as fs} from 'node:fs'
import path from 'node:path'
import {Readable} from 'node:stream'
import type {Header, Pack} from 'tar-stream'
import {NotFoundError, type EngineClient, type ContainerCreateBody, type ImageInspect} from '../engine/index.js'
import {CancelledError} from '../errors.js'
import {CACHE_LABEL, KeyHints, keyHintsFileFor, loadCacheIndex, stepKey} from './cache.js'
import {IgnoreMatcher, dockerignoreCandidates} from './context/dockerignore.js'
import {CopySourceError, digestEntries, resolveSource, selectSources, type PlannedEntry} from './context/select.js'
import {StatCache, hashCacheFileFor} from './context/stat-cache.js'
import {walkContext, type WalkedContext} from './context/walk.js'
import {DockerfileError} from './dockerfile/errors.js'
import type {CopyInstruction, Instruction, LabelInstruction, RunInstruction} from './dockerfile/instructions.js'
import {toInstruction} from './dockerfile/instructions.js'
import {parseDockerfileText} from './dockerfile/parser.js'
import {parseDockerfile, stageRef, targetStage, type Dockerfile, type Stage} from './dockerfile/stages.js'
import {expandWord} from './dockerfile/words.js'
import {BuildError} from './errors.js'
import type {ImageConfig} from './image-config.js'
// tar-stream is loaded when a step writes or reads an archive, not when everything is cached.
import {loadTarStream} from './load-tar-stream.js'
import {needsLookup, resolveChown, type Ids} from './owner.js'
import type {BuildProgress, StepInfo} from './progress.js'
import {
  DEFAULT_SHELL, PREDEFINED_ARGS, applyMetadata, cacheArgs, createVariables, expandCopy, expandFrom, initialState, isMetadata,
  runArgs, runArgv, type BuildVariables, type CopySpec, type StageState,
} from './steps.js'

export interface BuildRequest {
  /** The build context directory. */
  context: string
  /** Dockerfile path, relative to the context (default `Dockerfile`) or absolute. */
  dockerfile?: string
  /** Dockerfile text given inline (Compose `dockerfile_inline`); wins over `dockerfile`. */
  dockerfileInline?: string
  args?: Record<string, string>
  target?: string
  /** Labels added to the final image. */
  labels?: Record<string, string>
  tags?: string[]
  noCache?: boolean
  /** Pull base images even when they are present. */
  pull?: boolean
  signal?: AbortSignal
  /** Network for RUN steps without --network (Compose build.network): default, host or none. */
  network?: string
  /** host:ip lines added to /etc/hosts of RUN steps (Compose build.extra_hosts). */
  extraHosts?: string[]
  /** /dev/shm size in bytes for RUN steps (Compose build.shm_size). */
  shmSize?: number
  /** Where content hashes are remembered; null keeps them in memory. Default: the user cache dir. */
  hashCacheFile?: string | null
}

export interface StepReport {
  label: string
  text: string
  cached: boolean
  ms: number
}

export interface BuildResult {
  imageId: string
  steps: StepReport[]
  warnings: string[]
  /** Files whose content was read and hashed in this build (0 when the stat cache knew them all). */
  hashedFiles: number
  hashedBytes: number
}

const SCRATCH_LABEL = 'dev.berth.build.scratch'
/** A COPY whose tar is at most this big is packed while its container is created. */
const PACK_AHEAD_BYTES = 32 << 20
const INTERNAL_LABELS = [CACHE_LABEL, SCRATCH_LABEL]

export async function runBuild(engine: EngineClient, request: BuildRequest, progress: BuildProgress = {}): Promise<BuildResult> {
  // Negotiate the API while the Dockerfile is read and parsed (a Dockerfile error still wins).
  engine.apiVersion(request.signal).catch(() => undefined)
  const contextDir = path.resolve(request.context)
  const st = await fs.stat(contextDir).catch(() => undefined)
  if (!st?.isDirectory()) throw new BuildError('BUILD_CONTEXT', `build context ${request.context} is not a directory`)
  const {text, file, abs} = await readDockerfile(contextDir, request)
  const dockerfile = parseDockerfile(text, file)
  const target = targetStage(dockerfile, request.target)
  const vars = createVariables(dockerfile, request.args ?? {})
  const inMemory = request.hashCacheFile === null
  const [hashes, hints] = await Promise.all([
    StatCache.load(inMemory ? undefined : (request.hashCacheFile ?? hashCacheFileFor(contextDir))),
    KeyHints.load(inMemory ? undefined : keyHintsFileFor(contextDir)),
  ])
  const run = new BuildRun(engine, request, progress, dockerfile, vars, contextDir, abs, hashes, hints)
  try {
    const imageId = await run.build(target)
    await Promise.all((request.tags ?? []).map((tag) => engine.images.tag(imageId, tag, {signal: request.signal})))
    const unused = Object.keys(request.args ?? {}).filter((name) => !vars.consumed.has(name) && !PREDEFINED_ARGS.includes(name))
    if (unused.length > 0) run.warn(`one or more build-args [${unused.join(' ')}] were not consumed`)
    return {imageId, steps: run.reports, warnings: run.warnings, hashedFiles: hashes.hashedFiles, hashedBytes: hashes.hashedBytes}
  } catch (error) {
    if (request.signal?.aborted) throw new CancelledError('build cancelled')
    throw error
  } finally {
    // No container of this build outlives it, whatever happened (Ctrl-C included).
    await Promise.all([run.settle(), hashes.save(), hints.save()])
  }
}

async function readDockerfile(contextDir: string, request: BuildRequest): Promise<{text: string; file: string; abs?: string}> {
  if (request.dockerfileInline !== undefined) return {text: request.dockerfileInline, file: 'Dockerfile (inline)'}
  const given = request.dockerfile ?? 'Dockerfile'
  const abs = path.resolve(contextDir, given)
  try {
    return {text: await fs.readFile(abs, 'utf8'), file: path.relative(process.cwd(), abs) || abs, abs}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BuildError('BUILD_NO_DOCKERFILE', `cannot find the Dockerfile: ${abs}`, {hints: ['pass -f <Dockerfile>, or run the build from the directory that has one']})
    }
    throw error
  }
}

interface PlannedStep {
  instruction: Instruction
  text: string
  key: string
  label: string
  /** Config after this step. */
  config: ImageConfig
  author?: string
  workdir?: string
  copy?: CopySpec
  run?: {argv: string[]; args: Array<[string, string]>; network?: string}
  /** COPY --from: the image (or stage image) the files come from. */
  fromImage?: string
  /**
   * A COPY or WORKDIR that writes into a path declared as a VOLUME. The engine would mount the
   * volume there in the step's container, so the files must go into a container without it (the
   * classic builder keeps what COPY writes there; only what a RUN writes there is discarded).
   */
  intoVolume?: boolean
}

class BuildRun {
  readonly reports: StepReport[] = []
  readonly warnings: string[] = []
  private readonly stages = new Map<number, Promise<string>>()
  private readonly removals: Array<Promise<unknown>> = []
  /** Containers to remove once the next container exists (see `removeLater`). */
  private readonly doomed: string[] = []
  /** Config and author of images this build knows: base images it looked up, stage images it made. */
  private readonly known = new Map<string, KnownImage>()
  private readonly baseImages = new Map<string, Promise<string>>()
  private readonly volumeFreeImages = new Map<string, Promise<string>>()
  private cacheIndex?: Promise<Map<string, string>>
  private context?: Promise<WalkedContext>

  constructor(
    private readonly engine: EngineClient,
    private readonly request: BuildRequest,
    private readonly progress: BuildProgress,
    private readonly dockerfile: Dockerfile,
    private readonly vars: BuildVariables,
    private readonly contextDir: string,
    private readonly dockerfileAbs: string | undefined,
    private readonly hashes: StatCache,
    private readonly hints: KeyHints,
  ) {}

  /**
   * Removes a step's container off the critical path: after the next container is created (the
   * engine deletes a container's layer holding the lock that creating a container needs), or at
   * the end. `settle()` waits for every removal.
   */
  removeLater(id: string): void {
    this.doomed.push(id)
  }

  private removeDoomed(): void {
    for (const id of this.doomed.splice(0)) this.removals.push(this.engine.containers.remove(id, {force: true, volumes: true}).catch(() => undefined))
  }

  async settle(): Promise<void> {
    this.removeDoomed()
    while (this.removals.length > 0) await Promise.all(this.removals.splice(0))
  }

  get signal(): AbortSignal | undefined {
    return this.request.signal
  }

  warn(message: string): void {
    this.warnings.push(message)
    this.progress.warning?.(message)
  }

  async build(target: Stage): Promise<string> {
    for (const warning of this.dockerfile.warnings) this.warn(warning)
    // Start every stage the target needs at once: independent stages run in parallel.
    const needed = neededStages(this.dockerfile, target, this.vars)
    // Start the cache lookup and the context walk at once; stages await them when they need them.
    // (Not when this context has hints: they usually answer, and the list is the slowest call.)
    if (this.hints.size === 0) this.cache().catch(() => undefined)
    const usesContext = [...needed].some((i) => this.dockerfile.stages[i].instructions.some((x) => (x.kind === 'COPY' || x.kind === 'ADD') && x.from === undefined))
    if (usesContext) this.walked().catch(() => undefined)
    const all = [...needed].map((index) => this.stage(index))
    const result = await this.stage(target.index)
    await Promise.allSettled(all)
    return result
  }

  stage(index: number): Promise<string> {
    let promise = this.stages.get(index)
    if (!promise) {
      promise = this.buildStage(this.dockerfile.stages[index])
      // A failure is reported by whoever awaits it; keep unawaited copies quiet.
      promise.catch(() => undefined)
      this.stages.set(index, promise)
    }
    return promise
  }

  private cache(): Promise<Map<string, string>> {
    if (this.request.noCache) return Promise.resolve(new Map())
    this.cacheIndex ??= loadCacheIndex(this.engine, this.signal)
    return this.cacheIndex
  }

  /**
   * The image of `step` when this machine built it here before and the engine confirms it still
   * carries the step's key: one inspect instead of listing every cache image.
   */
  private async hinted(step: PlannedStep | undefined): Promise<string | undefined> {
    if (!step || this.request.noCache) return undefined
    const id = this.hints.get(step.key)
    if (!id) return undefined
    try {
      const image = await this.engine.images.inspect(id, {signal: this.signal})
      return image.Config?.Labels?.[CACHE_LABEL] === step.key ? image.Id : undefined
    } catch (error) {
      if (error instanceof NotFoundError) return undefined
      throw error
    }
  }

  private walked(): Promise<WalkedContext> {
    this.context ??= (async () => {
      let ignoreText = ''
      for (const candidate of dockerignoreCandidates(this.contextDir, this.dockerfileAbs)) {
        try {
          ignoreText = await fs.readFile(candidate, 'utf8')
          break
        } catch {
          // next candidate
        }
      }
      return walkContext(this.contextDir, IgnoreMatcher.fromText(ignoreText))
    })()
    return this.context
  }

  private stageName(stage: Stage): string {
    return stage.name ?? `stage-${stage.index}`
  }

  private async buildStage(stage: Stage): Promise<string> {
    const from = expandFrom(this.vars, stage.from)
    const fromStage = stageRef(this.dockerfile, from.image, stage.index)
    const name = this.stageName(stage)
    const isTarget = stage === targetStage(this.dockerfile, this.request.target)
    const instructions: Instruction[] = [...stage.instructions]
    if (isTarget && this.request.labels && Object.keys(this.request.labels).length > 0) instructions.push(labelInstruction(this.request.labels, this.vars.escape, stage))
    const total = instructions.length + 1
    const fromInfo: StepInfo = {label: `[${name} 1/${total}]`, text: `FROM ${from.image}`}
    this.progress.stepStarted?.(fromInfo)
    const started = performance.now()
    const baseId = fromStage && !/^\d+$/.test(from.image)
      ? await this.stage(fromStage.index)
      : from.image === 'scratch' ? await this.scratch() : await this.baseImage(from.image, from.platform, stage)
    const base = this.known.get(baseId) ?? knownImage(await this.engine.images.inspect(baseId, {signal: this.signal}))
    this.progress.stepDone?.(fromInfo, performance.now() - started)
    const baseConfig: ImageConfig = {...base.config}
    baseConfig.Labels = withoutInternal(baseConfig.Labels)

    // The base image's ONBUILD triggers run first.
    const triggers = (baseConfig.OnBuild ?? []).map((trigger) => {
      const parsed = parseDockerfileText(trigger, `${from.image} ONBUILD`)
      return toInstruction({...parsed.instructions[0]}, {file: `${from.image} ONBUILD`, text: trigger}, this.vars.escape)
    })
    const steps = [...triggers, ...instructions]
    const state = initialState(baseConfig)
    state.author = base.author
    const planned = await this.plan(stage, steps, state, baseId, name, triggers.length)

    // The longest cached prefix: all of it when the hint for the last step holds, else from the list.
    const hinted = await this.hinted(planned.at(-1))
    let current: string
    if (hinted) {
      this.reportCached(planned, planned.length - 1, hinted)
      current = hinted
    } else {
      const index = this.cache()
      // While the engine lists the cache images (the slowest call when it has many), the steps
      // after the longest prefix this machine built here before start on the hinted image. Nothing
      // shows and no RUN starts until the list confirms that prefix; if it does not, that work is
      // thrown away and the steps run from what the list says.
      const guess = this.request.noCache ? -1 : planned.findLastIndex((s) => this.hints.get(s.key) !== undefined)
      const guessed = guess >= 0 ? this.hints.get(planned[guess].key)! : undefined
      const confirmed = guessed === undefined ? undefined : index.then((found) => {
        if (cachedPrefix(planned, found) !== guess || found.get(planned[guess].key) !== guessed) throw new GuessMissed()
        this.reportCached(planned, guess, guessed!)
      })
      confirmed?.catch(() => undefined)
      try {
        if (guessed === undefined || guess === planned.length - 1) throw new GuessMissed()
        current = await this.runGroups(planned, guess, guessed, confirmed)
      } catch (error) {
        if (!(error instanceof GuessMissed)) throw error
        const found = await index
        const hit = cachedPrefix(planned, found)
        const parent = hit >= 0 ? found.get(planned[hit].key)! : baseId
        this.reportCached(planned, hit, parent)
        current = await this.runGroups(planned, hit, parent)
      }
    }
    const last = planned.at(-1)
    if (last) {
      this.hints.set(last.key, current)
      // A later FROM of this stage takes the config as planned: no inspect of the image just made.
      this.known.set(current, {config: commitConfig(last.config, last.key), author: last.author})
    }
    return current
  }

  private reportCached(planned: PlannedStep[], hit: number, imageId: string): void {
    for (let i = 0; i <= hit; i++) {
      this.progress.stepCached?.(planned[i])
      this.reports.push({label: planned[i].label, text: planned[i].text, cached: true, ms: 0})
    }
    if (hit >= 0) this.hints.set(planned[hit].key, imageId)
  }

  /**
   * Runs the steps after `hit` on image `parent` in groups; resolves with the last image. With
   * `confirmed`, the first group starts before the cached prefix is known and waits for it (a
   * rejection: GuessMissed) before it shows anything, starts a RUN or commits.
   */
  private async runGroups(planned: PlannedStep[], hit: number, parent: string, confirmed?: Promise<void>): Promise<string> {
    const groups: PlannedStep[][] = []
    let groupStart = hit + 1
    for (let i = hit + 1; i < planned.length; i++) {
      const step = planned[i]
      const ends = step.run || i === planned.length - 1 || (step.copy && (step.intoVolume || !foldsIntoNextRun(planned, i))) || (step.workdir !== undefined && step.intoVolume)
      if (ends) {
        groups.push(planned.slice(groupStart, i + 1))
        groupStart = i + 1
      }
    }
    let current = parent
    for (let g = 0; g < groups.length; g++) {
      // Metadata steps after the last COPY/RUN (CMD, LABEL, EXPOSE...) become a second commit of
      // that step's container instead of a container and a commit of their own.
      const tail = g === groups.length - 2 && foldableTail(groups[g + 1]) ? groups[g + 1] : undefined
      current = await this.runGroup(groups[g], current, tail, g === 0 ? confirmed : undefined)
      if (tail) break
    }
    return current
  }

  /** Texts, configs and keys of every step, without the engine (COPY digests read the context). */
  private async plan(stage: Stage, steps: Instruction[], state: StageState, baseId: string, name: string, triggerCount: number): Promise<PlannedStep[]> {
    const out: PlannedStep[] = []
    let previous = baseId
    const total = steps.length - triggerCount + 1
    for (const [i, instruction] of steps.entries()) {
      const label = i < triggerCount ? `[${name} ONBUILD]` : `[${name} ${i - triggerCount + 2}/${total}]`
      let text: string
      let digest: string | undefined
      const extra: Partial<PlannedStep> = {}
      if (isMetadata(instruction)) {
        text = applyMetadata(state, this.vars, instruction)
        if (instruction.kind === 'WORKDIR') {
          extra.workdir = state.config.WorkingDir
          extra.intoVolume = volumePaths(state.config).some((v) => isAtOrBelow(extra.workdir!, v))
        }
      } else if (instruction.kind === 'RUN') {
        const argv = runArgv(instruction, state.config.Shell)
        text = `RUN ${instruction.command.form === 'exec' ? JSON.stringify(argv) : runText(instruction)}`
        if (instruction.network && instruction.network !== 'default') text = `RUN --network=${instruction.network} ${text.slice(4)}`
        extra.run = {argv, args: runArgs(state, this.vars), network: instruction.network}
      } else if (instruction.kind === 'COPY' || instruction.kind === 'ADD') {
        const copy = expandCopy(state, this.vars, instruction)
        text = copy.text
        extra.copy = copy
        try {
          if (copy.from !== undefined) {
            extra.fromImage = await this.copyFromImage(copy.from, stage, instruction)
            digest = extra.fromImage
            extra.intoVolume = copyIntoVolume(copy.dest, undefined, volumePaths(state.config))
          } else {
            const entries = selectSources(await this.walked(), {instruction: instruction.kind, sources: copy.sources, inline: copy.inline, dest: copy.dest, chmod: copy.chmod})
            digest = await digestEntries(entries, copy.chown ?? '', this.hashes)
            extra.intoVolume = copyIntoVolume(copy.dest, entries.map((e) => e.dest), volumePaths(state.config))
          }
        } catch (error) {
          throw atInstruction(error, this.dockerfile, instruction)
        }
      } else {
        throw new DockerfileError('DOCKERFILE_SYNTAX', 'FROM inside a stage', {file: this.dockerfile.file})
      }
      const key = stepKey(previous, text, cacheArgs(state), digest)
      previous = key
      out.push({instruction, text, key, label, config: structuredClone(state.config), author: state.author, ...extra})
    }
    return out
  }

  /**
   * One container, one commit: the metadata and COPY/ADD steps up to a RUN go into the RUN's
   * container before it starts (or, at the end of a stage, into a container that never starts).
   */
  private async runGroup(group: PlannedStep[], parent: string, tail?: PlannedStep[], confirmed?: Promise<void>): Promise<string> {
    const last = group[group.length - 1]
    const started = performance.now()
    const announce = () => {
      for (const step of group) this.progress.stepStarted?.(step)
    }
    // A guessed parent: the steps show once the guess holds (a miss rejects with GuessMissed).
    const announced = confirmed ? confirmed.then(announce) : announce()
    announced?.catch(() => undefined)
    // A small copy from the context is packed while the engine creates the container.
    const copyStep = group.find((s) => s.copy)
    const packed = copyStep ? this.packAhead(copyStep) : undefined
    const config = commitConfig(last.config, last.key)
    const body: ContainerCreateBody = {...(config as ContainerCreateBody), Image: parent}
    // The engine fills a commit's empty Cmd from the container's: the command goes into the
    // entrypoint and Cmd stays empty, so an image keeps the Cmd it had (none on a base without one).
    if (last.run) {
      const {argv, args} = last.run
      if (args.length > 0) {
        // Build args reach the command as environment without ending up in the image config.
        const exports = args.map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ')
        body.Entrypoint = [DEFAULT_SHELL[0], '-c', `export ${exports}; exec "$@"`, 'sh', ...argv]
      } else {
        body.Entrypoint = argv
      }
      body.Cmd = null
      // No health probes while a RUN runs (they could write into its layer), as the classic builder does.
      if (config.Healthcheck) body.Healthcheck = {Test: ['NONE']}
      body.AttachStdout = true
      body.AttachStderr = true
      const network = last.run.network ?? this.request.network
      body.HostConfig = {
        NetworkMode: network && network !== 'default' ? network : undefined,
        ExtraHosts: this.request.extraHosts && this.request.extraHosts.length > 0 ? this.request.extraHosts : undefined,
        ShmSize: this.request.shmSize,
      }
    } else if ((body.Cmd ?? []).length === 0 && (body.Entrypoint ?? []).length === 0) {
      // The engine refuses a container with no command; it never starts.
      body.Entrypoint = ['/bin/sh']
      body.Cmd = null
    }
    let containerId: string | undefined
    try {
      if (group.some((s) => s.copy && s.intoVolume)) {
        // The files must land in the layer, not in the volume the engine would mount at the path.
        // (That makes an image: not on a guess.)
        await announced
        body.Image = await this.volumeFree(parent)
        delete body.Volumes
      }
      const created = await this.engine.containers.create(body, {signal: this.signal})
      containerId = created.Id
      this.removeDoomed()
      // In Dockerfile order: a WORKDIR after a COPY must see what the COPY made.
      const copied = new Map<PlannedStep, number>()
      for (const step of group) {
        // The engine makes the container's own working directory when it creates the container.
        if (step.workdir && step.workdir !== body.WorkingDir) await this.ensureDir(containerId, step.workdir)
        if (step.copy) {
          const at = performance.now()
          await this.copyInto(containerId, step, step === copyStep ? packed : undefined)
          copied.set(step, performance.now() - at)
        }
      }
      await announced
      if (last.run) await this.runIn(containerId, last)
      const commit = (step: PlannedStep, stepConfig: ImageConfig) =>
        this.engine.images.commit(containerId!, {config: stepConfig as Partial<ContainerCreateBody>, author: step.author, pause: false, signal: this.signal})
      const tailLast = tail?.[tail.length - 1]
      if (tail) for (const step of tail) this.progress.stepStarted?.(step)
      const tailStarted = performance.now()
      let tailMs = 0
      const [id, tailId] = await Promise.all([
        commit(last, config),
        tailLast ? commit(tailLast, commitConfig(tailLast.config, tailLast.key)).finally(() => (tailMs = performance.now() - tailStarted)) : undefined,
      ])
      const ms = performance.now() - started - tailMs
      const copyMs = [...copied.values()].reduce((a, b) => a + b, 0)
      for (const step of [...group, ...(tail ?? [])]) {
        const own = copied.get(step) ?? (step === last ? ms - copyMs : step === tailLast ? tailMs : 0)
        this.progress.stepDone?.(step, own)
        this.reports.push({label: step.label, text: step.text, cached: false, ms: own})
      }
      // Every committed step is a hint for the next build's guess (see buildStage).
      this.hints.set(last.key, id)
      if (tailLast && tailId) this.hints.set(tailLast.key, tailId)
      return tailId ?? id
    } catch (error) {
      // On a guessed parent a failure counts only when the guess held (e.g. the image is gone).
      await announced
      throw error
    } finally {
      if (containerId) this.removeLater(containerId)
    }
  }

  private async ensureDir(containerId: string, dir: string): Promise<void> {
    try {
      await this.engine.containers.statPath(containerId, dir, {signal: this.signal})
      return
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
    }
    const {tarBuffer} = await import('./context/archive.js')
    const tar = await tarBuffer([{header: {name: dir, type: 'directory', mode: 0o755, uid: 0, gid: 0, mtimeMs: Date.now()}}])
    await this.engine.containers.putArchive(containerId, '/', tar, {signal: this.signal})
  }

  private async owner(containerId: string, chown: string | undefined): Promise<Ids> {
    if (chown === undefined) return {uid: 0, gid: 0}
    if (!needsLookup(chown)) return resolveChown(chown, undefined, undefined)
    const [passwd, group] = await Promise.all([this.readFile(containerId, '/etc/passwd'), this.readFile(containerId, '/etc/group')])
    return resolveChown(chown, passwd, group)
  }

  private async readFile(containerId: string, file: string): Promise<string | undefined> {
    try {
      const {body} = await this.engine.containers.getArchive(containerId, file, {signal: this.signal})
      const {extract} = await loadTarStream()
      const x = extract()
      let content = ''
      const done = new Promise<void>((resolve, reject) => {
        x.on('entry', (_h, stream, next) => {
          const chunks: Buffer[] = []
          stream.on('data', (c: unknown) => {
            chunks.push(c as Buffer)
          })
          stream.on('end', () => {
            content += Buffer.concat(chunks).toString('utf8')
            next()
          })
        })
        x.on('finish', resolve)
        x.on('error', reject)
      })
      body.pipe(x as unknown as NodeJS.WritableStream)
      await done
      return content
    } catch (error) {
      if (error instanceof NotFoundError) return undefined
      throw error
    }
  }

  /**
   * The tar of a COPY from the context when it does not depend on the container (no --chown, the
   * destination taken as not an existing directory, which copyInto checks) and is small enough to
   * hold in memory; undefined otherwise, and on any error (copyInto then reports it).
   */
  private packAhead(step: PlannedStep): Promise<Buffer | undefined> | undefined {
    const copy = step.copy!
    if (step.fromImage !== undefined || copy.chown !== undefined) return undefined
    return (async () => {
      const context = await this.walked()
      // Packing reads files synchronously: the create request goes out first.
      await new Promise((resolve) => setImmediate(resolve))
      const entries = selectSources(context, {instruction: step.instruction.kind as 'COPY' | 'ADD', sources: copy.sources, inline: copy.inline, dest: copy.dest, chmod: copy.chmod})
      const {packToBuffer, packedSize} = await import('./context/archive.js')
      if (packedSize(entries) > PACK_AHEAD_BYTES) return undefined
      return packToBuffer(entries, {uid: 0, gid: 0})
    })().catch(() => undefined)
  }

  /** Whether a COPY's destination being an existing directory changes what it does. */
  private async destMatters(step: PlannedStep): Promise<boolean> {
    const copy = step.copy!
    if (copy.dest.endsWith('/')) return false
    if (step.fromImage !== undefined || copy.inline.length > 0 || copy.sources.length !== 1) return true
    // One directory from the context: its contents go to dest either way.
    try {
      return resolveSource(await this.walked(), copy.sources[0], step.instruction.kind).some((s) => s.entry.type !== 'dir')
    } catch {
      return true
    }
  }

  private async copyInto(containerId: string, step: PlannedStep, packed?: Promise<Buffer | undefined>): Promise<void> {
    const copy = step.copy!
    const owner = await this.owner(containerId, copy.chown)
    let destIsDir = false
    if (await this.destMatters(step)) {
      try {
        const stat = await this.engine.containers.statPath(containerId, copy.dest, {signal: this.signal})
        // Go's os.ModeDir is the top bit of a uint32.
        destIsDir = stat !== undefined && (stat.mode & 0x80000000) !== 0
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error
      }
    }
    if (step.fromImage) return this.copyFromImageInto(containerId, step, owner, destIsDir)
    const tar = packed && !destIsDir ? await packed : undefined
    if (tar) return this.engine.containers.putArchive(containerId, '/', tar, {signal: this.signal})
    let entries: PlannedEntry[]
    try {
      entries = selectSources(await this.walked(), {instruction: step.instruction.kind as 'COPY' | 'ADD', sources: copy.sources, inline: copy.inline, dest: copy.dest, destIsDir, chmod: copy.chmod})
    } catch (error) {
      throw atInstruction(error, this.dockerfile, step.instruction)
    }
    if (owner.uid !== 0 || owner.gid !== 0) {
      // Directories the copy creates belong to the --chown owner, as the classic builder does.
      const target = copy.dest.endsWith('/') || destIsDir || entries.some((e) => e.dest === copy.dest.replace(/\/+$/, '') && e.type === 'dir') ? copy.dest.replace(/\/+$/, '') || '/' : path.posix.dirname(copy.dest)
      const have = new Set(entries.map((e) => e.dest))
      const missing = (await this.missingDirs(containerId, target)).filter((d) => !have.has(d))
      entries = [...missing.map((d): PlannedEntry => ({dest: d, type: 'dir', mode: 0o755, mtimeMs: Date.now()})), ...entries]
    }
    const {packEntries} = await import('./context/archive.js')
    await this.engine.containers.putArchive(containerId, '/', packEntries(entries, owner), {signal: this.signal})
  }

  /** `dir` and its ancestors that do not exist in the container, outermost first. */
  private async missingDirs(containerId: string, dir: string): Promise<string[]> {
    const out: string[] = []
    for (let d = dir; d !== '/' && d !== '.'; d = path.posix.dirname(d)) {
      try {
        await this.engine.containers.statPath(containerId, d, {signal: this.signal})
        break
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error
        out.unshift(d)
      }
    }
    return out
  }

  /** COPY --from: each source path read from a container of the stage/image and re-rooted at dest. */
  private async copyFromImageInto(containerId: string, step: PlannedStep, owner: Ids, destIsDir: boolean): Promise<void> {
    const copy = step.copy!
    const source = await this.engine.containers.create({Image: step.fromImage!, Cmd: ['/'], Entrypoint: ['/']}, {signal: this.signal})
    try {
      const intoDir = copy.dest.endsWith('/') || destIsDir || copy.sources.length > 1
      const destBase = copy.dest === '/' ? '' : copy.dest.replace(/\/+$/, '')
      const {pack} = await loadTarStream()
      const out = pack()
      const packed = Readable.from(out as AsyncIterable<Buffer>)
      const upload = this.engine.containers.putArchive(containerId, '/', packed, {signal: this.signal})
      try {
        for (const src of copy.sources) {
          if (/[*?[]/.test(src)) throw new BuildError('BUILD_COPY_FROM_GLOB', `${step.text}: wildcards in COPY --from sources are not supported by this builder; name the paths`)
          const srcPath = path.posix.resolve('/', src)
          let archive
          try {
            archive = await this.engine.containers.getArchive(source.Id, srcPath, {signal: this.signal})
          } catch (error) {
            if (error instanceof NotFoundError) throw atInstruction(new CopySourceError('BUILD_NO_SOURCE', `COPY --from=${copy.from} failed: ${src} not found in ${copy.from}`), this.dockerfile, step.instruction)
            throw error
          }
          const isDir = archive.stat !== undefined && (archive.stat.mode & 0x80000000) !== 0
          await reroot(archive.body, out, (name) => {
            const rest = name.split('/').slice(1).join('/')
            if (isDir) return rest === '' ? destBase || undefined : `${destBase}/${rest}`
            return intoDir ? `${destBase}/${path.posix.basename(srcPath)}` : destBase
          }, owner, copy.chmod)
        }
        out.finalize()
      } catch (error) {
        out.destroy(error as Error)
        await upload.catch(() => undefined)
        throw error
      }
      await upload
    } finally {
      this.removeLater(source.Id)
    }
  }

  private async runIn(containerId: string, step: PlannedStep): Promise<void> {
    await this.engine.containers.start(containerId, {signal: this.signal})
    const tail: string[] = ['']
    const collect = (text: string) => {
      const parts = text.split('\n')
      tail[tail.length - 1] += parts[0]
      for (const part of parts.slice(1)) tail.push(part)
      if (tail.length > 41) tail.splice(0, tail.length - 41)
    }
    let result
    if (this.progress.output) {
      // The exit status is asked for at once: it is there when the log stream ends.
      const waiting = this.engine.containers.wait(containerId, {signal: this.signal})
      waiting.catch(() => undefined)
      const logs = await this.engine.containers.logs(containerId, {follow: true, tty: false, signal: this.signal})
      for await (const chunk of logs) {
        const text = chunk.data.toString('utf8')
        this.progress.output(step, text)
        collect(text)
      }
      result = await waiting
    } else {
      // Nobody shows the output: no log stream per RUN, only the tail of a failed one.
      result = await this.engine.containers.wait(containerId, {signal: this.signal})
      if (result.StatusCode !== 0) {
        const logs = await this.engine.containers.logs(containerId, {tail: 41, tty: false, signal: this.signal})
        for await (const chunk of logs) collect(chunk.data.toString('utf8'))
      }
    }
    if (result.StatusCode !== 0) {
      const lines = tail.join('\n').replace(/\n$/, '').split('\n').slice(-20)
      const at = `${this.dockerfile.file}:${step.instruction.line}`
      throw new BuildError('BUILD_RUN_FAILED', `${step.label} ${step.text} (${at}) failed with exit code ${result.StatusCode}`, {
        context: lines.length > 0 && lines.some((l) => l !== '') ? `last ${lines.length} lines of output:\n${lines.map((l) => `  ${l}`).join('\n')}` : undefined,
        exitCode: 1,
      })
    }
  }

  /** The image id a COPY --from names: an earlier stage (built on demand) or an image. */
  private async copyFromImage(ref: string, stage: Stage, at: Instruction): Promise<string> {
    const fromStage = stageRef(this.dockerfile, ref, stage.index)
    if (fromStage) return this.stage(fromStage.index)
    if (this.dockerfile.stages.some((s) => s.name === ref.toLowerCase())) {
      throw new DockerfileError('DOCKERFILE_STAGE', `COPY --from=${ref}: stage ${ref} is defined after this one`, {file: this.dockerfile.file, text: this.dockerfile.text, position: {line: at.line, col: at.col}})
    }
    return this.baseImage(ref, undefined, stage)
  }

  private baseImage(image: string, platform: string | undefined, stage: Stage): Promise<string> {
    let promise = this.baseImages.get(image)
    if (!promise) {
      promise = this.resolveImage(image, platform, stage)
      promise.catch(() => undefined)
      this.baseImages.set(image, promise)
    }
    return promise
  }

  private async resolveImage(image: string, platform: string | undefined, stage: Stage): Promise<string> {
    if (!this.request.pull) {
      const found = await this.engine.images.find(image, {signal: this.signal})
      if (found) {
        this.known.set(found.Id, knownImage(found))
        return found.Id
      }
    }
    try {
      await this.engine.images.pull(image, {platform, signal: this.signal})
    } catch (error) {
      if (this.request.pull) {
        const found = await this.engine.images.find(image, {signal: this.signal})
        if (found) {
          this.warn(`--pull: could not pull ${image} (${firstLine(error)}); using the local image`)
          return found.Id
        }
      }
      if (this.signal?.aborted) throw error
      throw new BuildError('BUILD_BASE_IMAGE', `${this.dockerfile.file}:${stage.from.line}: FROM ${image}: the image is not on this engine and cannot be pulled (${firstLine(error)})`, {
        hints: [`load or build ${image} first (docker load / docker pull), or fix the name`],
      })
    }
    const pulled = await this.engine.images.inspect(image, {signal: this.signal})
    return pulled.Id
  }

  private volumeFree(parent: string): Promise<string> {
    let promise = this.volumeFreeImages.get(parent)
    if (!promise) {
      promise = this.loadVolumeFree(parent)
      promise.catch(() => undefined)
      this.volumeFreeImages.set(parent, promise)
    }
    return promise
  }

  /**
   * An image with the layers, config and history of `parent` but no volumes, for a COPY into a
   * path `parent` declares as a volume. `docker load` of a config alone makes it: the engine has
   * every layer already. Its id is the digest of the config, so the same parent gives the same
   * image every time; it is the parent of the COPY's image and goes when that one is removed.
   */
  private async loadVolumeFree(parent: string): Promise<string> {
    const [image, history] = await Promise.all([
      this.engine.images.inspect(parent, {signal: this.signal}),
      this.engine.images.history(parent, {signal: this.signal}),
    ])
    const config: Record<string, unknown> = {
      architecture: image.Architecture,
      os: image.Os,
      ...(typeof image.Variant === 'string' && image.Variant !== '' ? {variant: image.Variant} : {}),
      created: image.Created,
      ...(typeof image.Author === 'string' && image.Author !== '' ? {author: image.Author} : {}),
      config: {...image.Config, Volumes: null, Labels: withoutInternal(image.Config.Labels)},
      rootfs: {type: 'layers', diff_ids: image.RootFS.Layers ?? []},
      // Oldest first; a step that reports no size is taken as one without a layer, so the history
      // never claims more layers than the image has.
      history: [...history].reverse().map((h) => ({
        created: new Date(h.Created * 1000).toISOString(),
        created_by: h.CreatedBy,
        ...(h.Comment ? {comment: h.Comment} : {}),
        ...(h.Size > 0 ? {} : {empty_layer: true}),
      })),
    }
    const json = Buffer.from(JSON.stringify(config))
    const hex = createHash('sha256').update(json).digest('hex')
    const manifest = Buffer.from(JSON.stringify([{Config: `${hex}.json`, RepoTags: null, Layers: (image.RootFS.Layers ?? []).map((_, i) => `${i}/layer.tar`)}]))
    const {tarBuffer} = await import('./context/archive.js')
    const file = (name: string, body: Buffer) => ({header: {name, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, mtimeMs: 0}, body})
    await this.engine.images.load(await tarBuffer([file(`${hex}.json`, json), file('manifest.json', manifest)]), {signal: this.signal})
    return `sha256:${hex}`
  }

  /** An empty image standing in for `scratch` (made once per engine). */
  private async scratch(): Promise<string> {
    const existing = await this.engine.images.list({filters: {label: [`${SCRATCH_LABEL}=1`]}, signal: this.signal})
    if (existing.length > 0) return existing[0].Id
    const {tarBuffer} = await import('./context/archive.js')
    return this.engine.images.import(await tarBuffer([]), {changes: [`LABEL ${SCRATCH_LABEL}=1`], message: 'berth build: scratch', signal: this.signal})
  }
}

/** The guessed cached prefix was not what the engine has. */
class GuessMissed extends Error {}

/** Index of the last step whose key has a cache image (the cached prefix ends there), or -1. */
function cachedPrefix(planned: PlannedStep[], index: Map<string, string>): number {
  return planned.findLastIndex((s) => index.has(s.key))
}

interface KnownImage {
  config: ImageConfig
  author?: string
}

function knownImage(image: ImageInspect): KnownImage {
  return {config: image.Config as ImageConfig, author: typeof image.Author === 'string' && image.Author !== '' ? image.Author : undefined}
}

/** Stages the target needs: FROM <stage> and COPY --from=<stage>, transitively. */
export function neededStages(dockerfile: Dockerfile, target: Stage, vars: BuildVariables): Set<number> {
  const needed = new Set<number>()
  const visit = (stage: Stage) => {
    if (needed.has(stage.index)) return
    needed.add(stage.index)
    const refs: string[] = []
    try {
      refs.push(expandFrom(vars, stage.from).image)
    } catch {
      // reported when the stage runs
    }
    for (const instruction of stage.instructions) {
      if ((instruction.kind === 'COPY' || instruction.kind === 'ADD') && instruction.from !== undefined) {
        try {
          refs.push(expandWord(instruction.from, (name) => vars.globals.get(name) ?? undefined, vars.escape))
        } catch {
          refs.push(instruction.from)
        }
      }
    }
    for (const ref of refs) {
      const dep = stageRef(dockerfile, ref, stage.index)
      if (dep) visit(dep)
    }
  }
  visit(target)
  return needed
}

/**
 * Whether the COPY/ADD at `i` can go into the container of the RUN that follows it. Not when another
 * COPY comes first: that COPY's image lets a change in the second one re-run from there. Not across
 * WORKDIR or VOLUME: the engine creates a container's working directory (owned by root) and mounts
 * its volumes when it creates the container, which would come before this COPY.
 */
function foldsIntoNextRun(planned: PlannedStep[], i: number): boolean {
  for (const step of planned.slice(i + 1)) {
    if (step.run) return true
    if (step.copy || step.workdir !== undefined || step.instruction.kind === 'VOLUME') return false
  }
  return false
}

/**
 * Whether a trailing group of metadata steps can be committed from the previous step's container.
 * WORKDIR must create its directory (a change to the container), so such a tail gets a container
 * of its own. (A step's container keeps its command in the entrypoint with an empty Cmd, so the
 * engine, which fills a commit's empty Cmd from the container's, adds nothing there.)
 */
function foldableTail(group: PlannedStep[]): boolean {
  return !group.some((s) => s.copy || s.run || s.workdir !== undefined)
}

/** Where a config's VOLUMEs are, as absolute clean paths. */
function volumePaths(config: ImageConfig): string[] {
  return Object.keys(config.Volumes ?? {}).map((v) => path.posix.resolve('/', v))
}

function isAtOrBelow(p: string, dir: string): boolean {
  const clean = path.posix.resolve('/', p)
  return dir === '/' || clean === dir || clean.startsWith(`${dir}/`)
}

/**
 * Whether a COPY to `dest` writes into one of the volumes: the destination is in one, or one is
 * below the destination and (when the entries are known) something is copied into it.
 */
export function copyIntoVolume(dest: string, entryDests: string[] | undefined, volumes: string[]): boolean {
  const target = path.posix.resolve('/', dest)
  return volumes.some((v) => {
    if (isAtOrBelow(target, v)) return true
    if (!isAtOrBelow(v, target)) return false
    return entryDests === undefined || entryDests.some((p) => isAtOrBelow(p, v))
  })
}

/** The config to commit: as planned, internal labels replaced by this step's key. */
function commitConfig(config: ImageConfig, key: string): ImageConfig {
  const out: ImageConfig = {...config}
  out.Labels = {...withoutInternal(config.Labels), [CACHE_LABEL]: key}
  // The engine fills an empty Entrypoint from the container's; an empty list keeps it empty.
  if (out.Entrypoint === null || out.Entrypoint === undefined) out.Entrypoint = []
  return out
}

function withoutInternal(labels: Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(labels ?? {})) if (!INTERNAL_LABELS.includes(k)) out[k] = v
  return out
}

function labelInstruction(labels: Record<string, string>, escape: string, stage: Stage): LabelInstruction {
  const quote = (s: string) => s.replace(/[\s"'$\\`=]/g, (ch) => escape + ch)
  return {
    kind: 'LABEL',
    pairs: Object.entries(labels).map(([key, value]) => ({key: quote(key), value: quote(value)})),
    legacy: false,
    line: stage.from.line,
    col: 1,
    endLine: stage.from.line,
    original: 'LABEL (--label)',
  }
}

function runText(run: RunInstruction): string {
  if (run.command.form === 'exec') return JSON.stringify(run.command.argv)
  const docs = run.heredocs.map((h) => `\n${h.content}${h.name}`).join('')
  return run.command.text + docs
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]
}

/** Adds Dockerfile:line:col to a COPY source problem. */
function atInstruction(error: unknown, dockerfile: Dockerfile, at: Instruction | CopyInstruction): unknown {
  if (error instanceof CopySourceError) {
    return new DockerfileError(error.code, error.message, {file: dockerfile.file, text: dockerfile.text, position: {line: at.line, col: at.col}}, error.hints)
  }
  return error
}

/**
 * Copies a tar stream's entries into `out` under new names (undefined: skip), with owner and mode.
 * A hard link's target is renamed as the entry it names is. The source's PAX records stay behind
 * (its `path` would undo the renaming, its ids the owner).
 */
async function reroot(input: NodeJS.ReadableStream, out: Pack, rename: (name: string) => string | undefined, owner: Ids, chmod: number | undefined): Promise<void> {
  const [{extract}, {entryType, tarHeader}] = await Promise.all([loadTarStream(), import('./context/archive.js')])
  const x = extract()
  await new Promise<void>((resolve, reject) => {
    x.on('entry', (h: Header, stream, next) => {
      const name = rename(h.name.replace(/\/+$/, ''))
      const type = entryType(h.type)
      if (name === undefined || name === '' || type === undefined) {
        stream.resume()
        stream.on('end', () => next())
        return
      }
      const linkname = type === 'link' && h.linkname ? (rename(h.linkname.replace(/\/+$/, '')) ?? h.linkname) : (h.linkname ?? undefined)
      const header = tarHeader({
        name,
        type,
        mode: chmod !== undefined && type !== 'symlink' ? chmod : (h.mode ?? 0o644),
        uid: owner.uid,
        gid: owner.gid,
        mtimeMs: h.mtime?.getTime() ?? 0,
        size: h.size ?? 0,
        linkname,
        devmajor: h.devmajor,
        devminor: h.devminor,
      })
      const sink = out.entry(header, (error) => (error ? reject(error) : next()))
      stream.pipe(sink)
    })
    x.on('finish', resolve)
    x.on('error', reject)
    input.on('error', reject)
    input.pipe(x as unknown as NodeJS.WritableStream)
  })
}
