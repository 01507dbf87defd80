/**
 * `berth build` for a Compose project: which services have a `build:`, the image each one gets
 * (`image:` or `<project>-<service>`, plus `build.tags`), and one build per distinct build
 * configuration, so services sharing a build are built once and tagged for each.
 */
import type {Project, ServiceConfig} from '../compose/types.js'
import {UnsupportedError, UserInputError} from '../errors.js'
import {parseByteSize} from '../compose/units.js'
import type {BuildImageOptions} from './index.js'

export interface ServiceBuild {
  /** Services this build serves. */
  services: string[]
  options: BuildImageOptions
}

export function imageOf(project: Project, service: ServiceConfig): string {
  return service.image ?? `${project.name}-${service.name}`
}

export function planServiceBuilds(project: Project, selected: string[], overrides: {noCache?: boolean; pull?: boolean; args?: Record<string, string>} = {}, warn: (message: string) => void = () => {}): ServiceBuild[] {
  for (const name of selected) {
    if (!project.services[name]) throw new UserInputError('NO_SUCH_SERVICE', `no such service: ${name}`, {hints: [`services: ${Object.keys(project.services).sort().join(', ')}`]})
  }
  const names = selected.length > 0 ? selected : Object.keys(project.services).sort()
  const byKey = new Map<string, ServiceBuild>()
  for (const name of names) {
    const service = project.services[name]
    const build = service.build
    if (!build) continue
    if (build.network && !['default', 'host', 'none'].includes(build.network)) {
      throw new UnsupportedError(`service "${name}": build.network "${build.network}" is not supported by Berth's builder (default, host or none)`)
    }
    for (const ignored of ['cache_from', 'cache_to', 'secrets', 'ssh', 'additional_contexts', 'platforms']) {
      if (build[ignored] !== undefined) warn(`service "${name}": build.${ignored} is not used by Berth's builder`)
    }
    const args: Record<string, string> = {}
    for (const [k, v] of Object.entries(build.args ?? {})) {
      if (v !== null) args[k] = v
      else if (process.env[k] !== undefined) args[k] = process.env[k]!
    }
    Object.assign(args, overrides.args ?? {})
    const options: BuildImageOptions = {
      context: build.context,
      dockerfile: build.dockerfile,
      dockerfileInline: build.dockerfile_inline,
      args,
      target: build.target,
      labels: build.labels,
      noCache: overrides.noCache || build.no_cache === true,
      pull: overrides.pull || build.pull === true,
      network: build.network,
      extraHosts: extraHostLines(build.extra_hosts),
      shmSize: build.shm_size === undefined ? undefined : sizeOf(build.shm_size, name),
    }
    for (const key of Object.keys(options) as Array<keyof BuildImageOptions>) if (options[key] === undefined) delete options[key]
    const key = JSON.stringify(options)
    const tags = [imageOf(project, service), ...(build.tags ?? [])]
    const existing = byKey.get(key)
    if (existing) {
      existing.services.push(name)
      for (const tag of tags) if (!existing.options.tags!.includes(tag)) existing.options.tags!.push(tag)
    } else {
      byKey.set(key, {services: [name], options: {...options, tags}})
    }
  }
  return [...byKey.values()]
}

function extraHostLines(hosts: string[] | Record<string, string | string[]> | undefined): string[] | undefined {
  if (hosts === undefined) return undefined
  if (Array.isArray(hosts)) return hosts.map((h) => h.replace('=', ':'))
  return Object.entries(hosts).flatMap(([host, ips]) => (Array.isArray(ips) ? ips : [ips]).map((ip) => `${host}:${ip}`))
}

function sizeOf(value: number | string, service: string): number {
  const bytes = parseByteSize(value)
  if (bytes === undefined) throw new UserInputError('BAD_SIZE', `service "${service}": build.shm_size "${value}" is not a size`)
  return bytes
}
