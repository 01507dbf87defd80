/**
 * Plugin health, checked before any plugin code runs (from the core `init` hook): a third-party
 * plugin (installed or linked) whose SDK range excludes this Berth, whose dependencies are not
 * installed, or which cannot resolve `berth/sdk`, is "broken". Berth warns once naming it, takes
 * it out of the plugin list for this run (its hooks never run, its commands refuse to start), and
 * keeps working; `berth plugins` shows it as broken with the reason.
 *
 * Everything here reads package.json data oclif already loaded plus a few stat calls; semver is
 * loaded only when a plugin declares a range.
 */
import {existsSync, readFileSync} from 'node:fs'
import {lstat, mkdir, readlink, rename, symlink, unlink, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {SDK_VERSION, sdkRangeProblem} from '../sdk/version.js'

/** The parts of an oclif plugin this module reads. */
export interface PluginInfo {
  name: string
  version: string
  type: string
  root: string
  pjson: {dependencies?: Record<string, string>; berth?: {sdk?: unknown}; [key: string]: unknown}
  hooks: Record<string, unknown[]>
}

export interface BrokenPlugin {
  name: string
  version: string
  type: string
  root: string
  /** Completes "plugin NAME VERSION ...". */
  reason: string
  hint?: string
}

/** Whether `name` resolves as a package from `dir` the way Node looks it up (node_modules up the tree). */
export function packageResolvable(dir: string, name: string): boolean {
  let current = dir
  for (;;) {
    if (existsSync(join(current, 'node_modules', name, 'package.json'))) return true
    const parent = dirname(current)
    if (parent === current) return false
    current = parent
  }
}

export function isThirdParty(plugin: {type: string}): boolean {
  return plugin.type === 'user' || plugin.type === 'link'
}

/**
 * Answers for SDK ranges already checked, kept in the cache dir: semver costs more to import than
 * the rest of start-up's plugin checks together, and ranges rarely change.
 */
export class RangeCache {
  #ranges: Record<string, string | null> = {}
  #dirty = false

  constructor(
    readonly file: string | undefined,
    readonly sdkVersion: string = SDK_VERSION,
  ) {
    if (!file) return
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as {sdk?: string; ranges?: Record<string, string | null>}
      if (data.sdk === sdkVersion && data.ranges && typeof data.ranges === 'object') this.#ranges = data.ranges
    } catch {
      // no cache yet, or unreadable: start empty
    }
  }

  async problem(range: unknown): Promise<string | undefined> {
    if (typeof range === 'string' && Object.hasOwn(this.#ranges, range)) return this.#ranges[range] ?? undefined
    const problem = await sdkRangeProblem(range, this.sdkVersion)
    if (typeof range === 'string') {
      this.#ranges[range] = problem ?? null
      this.#dirty = true
    }
    return problem
  }

  async save(): Promise<void> {
    if (!this.file || !this.#dirty) return
    try {
      await mkdir(dirname(this.file), {recursive: true})
      const temp = `${this.file}.${process.pid}.tmp`
      await writeFile(temp, JSON.stringify({sdk: this.sdkVersion, ranges: this.#ranges}) + '\n')
      await rename(temp, this.file)
      this.#dirty = false
    } catch {
      // a read-only cache dir only costs time
    }
  }
}

/** Why a third-party plugin cannot be loaded, or undefined when it can. */
export async function checkPlugin(plugin: PluginInfo, ranges: RangeCache = new RangeCache(undefined)): Promise<BrokenPlugin | undefined> {
  const broken = (reason: string, hint?: string): BrokenPlugin => ({name: plugin.name, version: plugin.version, type: plugin.type, root: plugin.root, reason, hint})
  const range = plugin.pjson.berth?.sdk
  const usesSdk = range !== undefined || (plugin.hooks['berth:register']?.length ?? 0) > 0
  const sdkVersion = ranges.sdkVersion
  if (usesSdk) {
    const problem = await ranges.problem(range)
    if (problem) {
      return broken(problem, range === undefined ? undefined : `install a version of ${plugin.name} made for Berth SDK ${sdkVersion.split('.')[0]}.x, or a Berth whose SDK matches ${String(range)}`)
    }
  }
  const reinstall = plugin.type === 'link' ? `run npm install in ${plugin.root}` : `berth plugins install ${plugin.name} again`
  for (const dep of Object.keys(plugin.pjson.dependencies ?? {})) {
    if (!packageResolvable(plugin.root, dep)) return broken(`cannot load: its dependency ${dep} is not installed`, reinstall)
  }
  if (usesSdk && !packageResolvable(plugin.root, 'berth')) {
    return broken('cannot find berth/sdk from its folder', plugin.type === 'link' ? `run berth plugins link ${plugin.root} again` : reinstall)
  }
  return undefined
}

interface ConfigLike {
  name: string
  plugins: Map<string, object>
}

const brokenByRun = new WeakMap<object, BrokenPlugin[]>()

/**
 * oclif hands a command a fresh Config built from the same Plugin objects as the one the init
 * hook saw, so the record is keyed by the root plugin object, which both share.
 */
function runKey(config: ConfigLike): object {
  return config.plugins.get(config.name) ?? config
}

/** The plugins found broken for this run (recorded by the init hook). */
export function brokenPlugins(config: ConfigLike): BrokenPlugin[] {
  return brokenByRun.get(runKey(config)) ?? []
}

export function recordBroken(config: ConfigLike, broken: BrokenPlugin[]): void {
  brokenByRun.set(runKey(config), broken)
}

export function describeBroken(b: BrokenPlugin): string {
  return `plugin ${b.name} ${b.version} ${b.reason}; Berth runs without it`
}

/**
 * Plugins installed under the data dir import `berth/sdk`; Node finds `berth` through
 * `<dataDir>/node_modules/berth`, which Berth keeps as a symlink to itself (npm removes it as
 * extraneous after every install, and it must follow Berth when Berth moves or is upgraded).
 * Returns true when the link is in place.
 */
export async function ensureBerthLink(dataDir: string, berthRoot: string): Promise<boolean> {
  const modules = join(dataDir, 'node_modules')
  const link = join(modules, 'berth')
  try {
    const stat = await lstat(link)
    if (!stat.isSymbolicLink()) return existsSync(join(link, 'package.json'))
    if ((await readlink(link)) === berthRoot) return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false
  }
  try {
    await mkdir(modules, {recursive: true})
    const temp = `${link}.${process.pid}.tmp`
    await unlink(temp).catch(() => undefined)
    await symlink(berthRoot, temp, 'dir')
    await rename(temp, link)
    return true
  } catch {
    return false
  }
}
