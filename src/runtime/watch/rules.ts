/**
 * develop.watch rules: which service acts on which changed host path, and how. Pure: the project
 * and the text of each build context's .dockerignore go in; rules and batch plans come out.
 *
 * A changed path matches a rule when it is the rule's path or below it, is included (`include:`,
 * everything when absent) and is not ignored. Ignored are: the `ignore:` patterns (relative to the
 * rule's path), the service's .dockerignore (relative to its build context), editors' temporary
 * files, and anything in a `.git` directory.
 */
import path from 'node:path'
import {IgnoreMatcher} from '../../build/context/dockerignore.js'
import type {Project, ServiceConfig} from '../../compose/types.js'
import {UserInputError} from '../../errors.js'

export type WatchAction = 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec'

/** A command run in each of the service's containers after a sync (`sync+exec`). */
export interface WatchHook {
  command: string | string[]
  user?: string
  privileged?: boolean
  working_dir?: string
  environment?: Record<string, string | number | boolean | null> | string[]
}

interface WatchTrigger {
  path: string
  action: WatchAction
  target?: string
  ignore?: string | string[]
  include?: string | string[]
  initial_sync?: boolean
  exec?: WatchHook
}

export interface WatchRule {
  service: string
  /** Position in the service's develop.watch list (exec hooks run once per rule, in this order). */
  index: number
  action: WatchAction
  /** Absolute host path. */
  path: string
  /** Path in the container that `path` maps to (sync actions). */
  target?: string
  initialSync: boolean
  exec?: WatchHook
  include?: IgnoreMatcher
  ignore: IgnoreMatcher
  /** The service's .dockerignore and the directory its patterns are relative to. */
  dockerignore?: {base: string; matcher: IgnoreMatcher}
}

/** A changed host path and where it lands in the container. */
export interface PathMapping {
  hostPath: string
  /** Absent for rules without a target (restart, rebuild). */
  containerPath?: string
}

/** What one batch of changes asks for. */
export interface BatchPlan {
  rebuild: string[]
  sync: Map<string, PathMapping[]>
  restart: string[]
  /** Rules whose exec hook runs after the service's sync, once each. */
  exec: Map<string, WatchRule[]>
}

/** Temporary files editors write next to the real one: never worth a sync. */
const EPHEMERAL = IgnoreMatcher.fromText(
  ['**/*___jb_old___', '**/*___jb_tmp___', '**/.idea', '**/.#*', '**/#*#', '**/4913', '**/*~', '**/.*.swp', '**/.*.swx', '**/.*.swo', '**/.*.swn', '**/.*.kate-swp', '**/*-go-tmp-umask', '**/.DS_Store'].join('\n'),
)

export class WatchConfigError extends UserInputError {}

function developOf(service: ServiceConfig): WatchTrigger[] {
  const develop = service.develop as {watch?: WatchTrigger[]} | null | undefined
  return develop?.watch ?? []
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v]
}

/**
 * The rules of the selected services. `dockerignoreOf(service)` gives the text of the service's
 * .dockerignore when it has a build context (undefined otherwise). Throws when no selected service
 * has a develop.watch section, or when a rebuild rule has nothing to build.
 */
export function watchRules(project: Project, services: readonly string[], dockerignoreOf: (service: ServiceConfig) => {base: string; text: string} | undefined, warn: (m: string) => void = () => {}): WatchRule[] {
  const rules: WatchRule[] = []
  for (const name of services) {
    const service = project.services[name]
    if (!service) continue
    const triggers = developOf(service)
    if (triggers.length === 0) continue
    const ignoreFile = dockerignoreOf(service)
    const dockerignore = ignoreFile ? {base: ignoreFile.base, matcher: IgnoreMatcher.fromText(ignoreFile.text)} : undefined
    triggers.forEach((t, index) => {
      if (t.action === 'rebuild' && !service.build) {
        throw new WatchConfigError('WATCH_NO_BUILD', `can't watch service "${name}" with action rebuild without a build context`, {hints: ['add a build: section to the service, or use action sync or restart']})
      }
      const hostPath = path.resolve(project.workingDir ?? '.', t.path)
      const isSync = t.action === 'sync' || t.action === 'sync+restart' || t.action === 'sync+exec'
      if (isSync && boundByVolume(service, hostPath)) {
        warn(`path '${hostPath}' also declared by a bind mount volume, this path won't be monitored!`)
        return
      }
      const include = list(t.include)
      rules.push({
        service: name,
        index,
        action: t.action,
        path: hostPath,
        target: t.target,
        initialSync: t.initial_sync === true || (t as {'x-initialSync'?: boolean})['x-initialSync'] === true,
        exec: t.exec,
        include: include.length > 0 ? IgnoreMatcher.fromText(include.join('\n')) : undefined,
        ignore: IgnoreMatcher.fromText(list(t.ignore).join('\n')),
        dockerignore,
      })
    })
  }
  if (rules.length === 0) {
    throw new WatchConfigError('WATCH_NOTHING', 'none of the selected services is configured for watch, consider setting a \'develop\' section', {
      hints: ['see https://docs.docker.com/compose/how-tos/file-watch/'],
    })
  }
  return rules
}

function boundByVolume(service: ServiceConfig, hostPath: string): boolean {
  return (service.volumes ?? []).some((v) => v.type === 'bind' && typeof v.source === 'string' && isAtOrBelow(hostPath, v.source))
}

function isAtOrBelow(p: string, dir: string): boolean {
  const rel = path.relative(dir, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

function relSlash(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/')
}

/** The mapping of `hostPath` under `rule`, or undefined when the rule does not take it. */
export function matchRule(rule: WatchRule, hostPath: string): PathMapping | undefined {
  if (!isAtOrBelow(hostPath, rule.path)) return undefined
  const rel = relSlash(rule.path, hostPath)
  if (rule.include && (rel === '' || !rule.include.ignores(rel))) return undefined
  if (rel !== '' && rule.ignore.ignores(rel)) return undefined
  if (isIgnoredAnywhere(hostPath)) return undefined
  if (rule.dockerignore && isAtOrBelow(hostPath, rule.dockerignore.base)) {
    const fromContext = relSlash(rule.dockerignore.base, hostPath)
    if (fromContext !== '' && rule.dockerignore.matcher.ignores(fromContext)) return undefined
  }
  return {hostPath, containerPath: rule.target === undefined ? undefined : path.posix.join(rule.target, rel)}
}

/** `.git` directories and editors' temporary files, wherever they are. */
export function isIgnoredAnywhere(hostPath: string): boolean {
  const parts = hostPath.split(path.sep).filter((s) => s !== '')
  if (parts.includes('.git')) return true
  return EPHEMERAL.ignores(parts.join('/'))
}

/**
 * What a batch of changed paths asks for. A service that is rebuilt is neither synced nor
 * restarted: the rebuild takes the new files and recreates its containers.
 */
export function planBatch(rules: readonly WatchRule[], changed: Iterable<string>): BatchPlan {
  const rebuild = new Set<string>()
  const restart = new Set<string>()
  const sync = new Map<string, Map<string, PathMapping>>()
  const exec = new Map<string, Map<number, WatchRule>>()
  for (const hostPath of changed) {
    for (const rule of rules) {
      const mapping = matchRule(rule, hostPath)
      if (!mapping) continue
      if (rule.action === 'rebuild') rebuild.add(rule.service)
      if (rule.action === 'restart' || rule.action === 'sync+restart') restart.add(rule.service)
      if (rule.action.startsWith('sync') && mapping.containerPath !== undefined) {
        const forService = sync.get(rule.service) ?? new Map<string, PathMapping>()
        forService.set(mapping.containerPath, mapping)
        sync.set(rule.service, forService)
      }
      if (rule.action === 'sync+exec' && rule.exec) {
        const hooks = exec.get(rule.service) ?? new Map<number, WatchRule>()
        hooks.set(rule.index, rule)
        exec.set(rule.service, hooks)
      }
    }
  }
  for (const service of rebuild) {
    restart.delete(service)
    sync.delete(service)
    exec.delete(service)
  }
  return {
    rebuild: [...rebuild].sort(),
    restart: [...restart].sort(),
    sync: new Map([...sync].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, m]) => [s, [...m.values()].sort((x, y) => (x.hostPath < y.hostPath ? -1 : 1))])),
    exec: new Map([...exec].map(([s, m]) => [s, [...m.values()].sort((x, y) => x.index - y.index)])),
  }
}
