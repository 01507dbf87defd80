/**
 * Applying a StackPlan to a swarm, in the docker CLI's order: check that the engine is a manager
 * and that every external network, secret and config exists (nothing is made before that), then
 * create the stack's networks, create or update its secrets and configs, create each new service
 * and update each changed one (with the version the engine last reported; an unchanged service is
 * left alone), and with `prune` remove the stack's services that are no longer in the file.
 */
import {IMAGE_LABEL, bindFileIds} from './convert/service.js'
import type {FileObjectPlan, StackPlan} from './convert/stack.js'
import {stackFilter, type SwarmApi} from './api.js'
import {sameSpec, specDifferences} from './compare.js'
import type {FileContents} from './files.js'
import type {FileObject, FileObjectCreate, Service, ServiceSpec} from './types.js'
import {BerthError, UserInputError} from '../sdk/index.js'
import {apiAtLeast} from '../../engine/api-version.js'

export type ResolveImage = 'always' | 'changed' | 'never'

export interface DeployOptions {
  prune?: boolean
  resolveImage?: ResolveImage
  withRegistryAuth?: boolean
  signal?: AbortSignal
  /** One line per action ("Creating service web_app"). */
  report(line: string): void
  warn(message: string): void
  /** Extra detail (which fields changed), for --debug. */
  debug?(message: string): void
  /** The image reference a service runs, pinned to a digest when one is known ('always'/'changed'). */
  resolveDigest?(image: string): Promise<string | undefined>
  /** X-Registry-Auth for an image, for --with-registry-auth. */
  registryAuth?(image: string): Promise<string | undefined>
}

export interface DeployResult {
  created: string[]
  updated: string[]
  unchanged: string[]
  removed: string[]
}

function byName<T>(list: T[], name: (item: T) => string): Map<string, T> {
  return new Map(list.map((item) => [name(item), item]))
}

async function exactFileObjects(api: SwarmApi, kind: 'secrets' | 'configs', names: string[], signal?: AbortSignal): Promise<Map<string, FileObject>> {
  if (names.length === 0) return new Map()
  const found = await api.fileObjects(kind, {name: names}, {signal})
  const wanted = new Set(names)
  return byName(found.filter((o) => wanted.has(o.Spec.Name)), (o) => o.Spec.Name)
}

async function checkExternals(api: SwarmApi, plan: StackPlan, signal?: AbortSignal): Promise<void> {
  for (const name of plan.externalNetworks) {
    const network = await api.network(name, {signal})
    if (!network) {
      throw new UserInputError('STACK_EXTERNAL_MISSING', `network "${name}" is declared as external, but could not be found`, {
        hints: [`create a swarm-scoped network before the stack is deployed: docker network create --driver overlay ${name}`],
      })
    }
    if (network.Scope !== 'swarm') {
      throw new UserInputError('STACK_EXTERNAL_SCOPE', `network "${name}" is declared as external, but it is not in the right scope: "${network.Scope}" instead of "swarm"`)
    }
  }
  for (const [kind, names] of [['secret', plan.externalSecrets], ['config', plan.externalConfigs]] as const) {
    const found = await exactFileObjects(api, `${kind}s`, names, signal)
    const missing = names.filter((n) => !found.has(n))
    if (missing.length > 0) {
      throw new UserInputError('STACK_EXTERNAL_MISSING', `external ${kind} "${missing[0]}" not found`, {hints: [`create it first: docker ${kind} create ${missing[0]} FILE`]})
    }
  }
}

function fileObjectBody(plan: FileObjectPlan, contents: FileContents): FileObjectCreate {
  return {Name: plan.name, Labels: plan.labels, Data: contents.get(plan.name) ?? '', ...(plan.templateDriver && {Templating: {Name: plan.templateDriver}})}
}

function sameLabels(a: Record<string, string> | null | undefined, b: Record<string, string>): boolean {
  const x = a ?? {}
  return Object.keys(x).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => x[k] === v)
}

async function applyFileObjects(api: SwarmApi, kind: 'secret' | 'config', plans: FileObjectPlan[], contents: FileContents, options: DeployOptions): Promise<Map<string, string>> {
  const plural = `${kind}s` as const
  const existing = await exactFileObjects(api, plural, plans.map((p) => p.name), options.signal)
  const ids = new Map<string, string>()
  for (const plan of plans) {
    const body = fileObjectBody(plan, contents)
    const current = existing.get(plan.name)
    if (!current) {
      options.report(`Creating ${kind} ${plan.name}`)
      ids.set(plan.name, (await api.createFileObject(plural, body, {signal: options.signal})).ID)
      continue
    }
    ids.set(plan.name, current.ID)
    // A config's data can be compared; a secret's never leaves the swarm, so the engine compares it.
    const unchanged = kind === 'config' && current.Spec.Data === body.Data && sameLabels(current.Spec.Labels, body.Labels) && (current.Spec.Templating?.Name ?? '') === (body.Templating?.Name ?? '')
    if (unchanged) continue
    try {
      await api.updateFileObject(plural, current.ID, current.Version.Index, body, {signal: options.signal})
    } catch (error) {
      if (error instanceof BerthError && /only updates to Labels are allowed/i.test(error.message)) {
        throw new UserInputError('STACK_FILE_OBJECT_CHANGED', `${kind} ${plan.name} already exists with different content, and a ${kind}'s content cannot change`, {
          hints: [`give the changed ${kind} a new name (name: ${plan.name}_v2 in the Compose file), or remove the stack first`],
          cause: error,
        })
      }
      throw error
    }
  }
  return ids
}

async function resolvedImage(service: {spec: ServiceSpec}, current: Service | undefined, options: DeployOptions, warned: Set<string>): Promise<string> {
  const image = service.spec.TaskTemplate.ContainerSpec.Image
  const mode = options.resolveImage ?? 'always'
  if (mode === 'never' || image.includes('@')) return image
  if (mode === 'changed' && current && current.Spec.Labels?.[IMAGE_LABEL] === image) return current.Spec.TaskTemplate.ContainerSpec.Image
  const pinned = await options.resolveDigest?.(image)
  if (pinned) return pinned
  if (!warned.has(image)) {
    warned.add(image)
    options.warn(`image ${image} has no registry digest on this engine to record; each node will use ${image} as it has it, possibly leading to different nodes running different versions of the image`)
  }
  return image
}

/** Leaves out what the engine's API version does not know, saying so once per field. */
export function fitToApi(plan: StackPlan, apiVersion: string, warn: (message: string) => void): StackPlan {
  if (apiAtLeast(apiVersion, '1.44')) return plan
  const dropped: string[] = []
  const services = plan.services.map((s) => {
    const health = s.spec.TaskTemplate.ContainerSpec.Healthcheck
    if (health?.StartInterval === undefined) return s
    dropped.push(s.service)
    const spec = structuredClone(s.spec)
    delete spec.TaskTemplate.ContainerSpec.Healthcheck!.StartInterval
    return {...s, spec}
  })
  if (dropped.length > 0) warn(`healthcheck.start_interval needs Docker Engine API 1.44, this engine speaks ${apiVersion}: left out for ${dropped.join(', ')}`)
  return {...plan, services}
}

/** Deploys the plan; returns the services by what happened to them. */
export async function deployStack(api: SwarmApi, stackPlan: StackPlan, contents: {secrets: FileContents; configs: FileContents}, options: DeployOptions): Promise<DeployResult> {
  const {signal} = options
  await api.checkManager({signal})
  const plan = fitToApi(stackPlan, await api.engine.apiVersion(signal), options.warn)
  await checkExternals(api, plan, signal)
  const [current, allNetworks] = await Promise.all([api.services(stackFilter(plan.stack), {signal}), api.networks({}, {signal})])
  const currentByName = byName(current, (s) => s.Spec.Name)

  const stackNetworks = new Set(allNetworks.filter((n) => n.Labels?.['com.docker.stack.namespace'] === plan.stack).map((n) => n.Name))
  const networkNames = new Map(allNetworks.map((n) => [n.Id, n.Name]))
  for (const network of plan.networks) {
    if (stackNetworks.has(network.Name)) continue
    options.report(`Creating network ${network.Name}`)
    const {Id} = await api.createNetwork(network, {signal})
    networkNames.set(Id, network.Name)
  }

  const secretIds = await applyFileObjects(api, 'secret', plan.secrets, contents.secrets, options)
  const configIds = await applyFileObjects(api, 'config', plan.configs, contents.configs, options)
  if (plan.externalSecrets.length > 0) for (const [name, o] of await exactFileObjects(api, 'secrets', plan.externalSecrets, signal)) secretIds.set(name, o.ID)
  if (plan.externalConfigs.length > 0) for (const [name, o] of await exactFileObjects(api, 'configs', plan.externalConfigs, signal)) configIds.set(name, o.ID)

  const result: DeployResult = {created: [], updated: [], unchanged: [], removed: []}
  const warned = new Set<string>()
  const engineWarnings = (warnings: string[] | null | undefined) => {
    for (const w of warnings ?? []) options.warn(w)
  }
  for (const service of plan.services) {
    const existing = currentByName.get(service.spec.Name)
    const spec = bindFileIds(service.spec, secretIds, configIds)
    spec.TaskTemplate.ContainerSpec.Image = await resolvedImage(service, existing, options, warned)
    const auth = options.withRegistryAuth ? await options.registryAuth?.(service.spec.TaskTemplate.ContainerSpec.Image) : undefined
    if (!existing) {
      options.report(`Creating service ${spec.Name}`)
      const answer = await api.createService(spec, {auth, signal})
      engineWarnings(answer.Warnings)
      result.created.push(spec.Name)
      continue
    }
    // A forced update (`docker service update --force`) is kept, so that it does not restart tasks again.
    if (existing.Spec.TaskTemplate.ForceUpdate !== undefined) spec.TaskTemplate.ForceUpdate = existing.Spec.TaskTemplate.ForceUpdate
    const networkName = (id: string) => networkNames.get(id) ?? id
    if (sameSpec(spec, existing.Spec, networkName)) {
      options.report(`Unchanged service ${spec.Name}`)
      result.unchanged.push(spec.Name)
      continue
    }
    options.debug?.(`service ${spec.Name} differs in ${specDifferences(spec, existing.Spec, networkName).join(', ')}`)
    options.report(`Updating service ${spec.Name} (id: ${existing.ID})`)
    const answer = await api.updateService(existing.ID, existing.Version.Index, spec, {auth, signal})
    engineWarnings(answer.Warnings)
    result.updated.push(spec.Name)
  }

  if (options.prune) {
    const wanted = new Set(plan.services.map((s) => s.spec.Name))
    for (const service of current.filter((s) => !wanted.has(s.Spec.Name)).sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : 1))) {
      options.report(`Removing service ${service.Spec.Name}`)
      await api.removeService(service.ID, {signal})
      result.removed.push(service.Spec.Name)
    }
  }
  return result
}
