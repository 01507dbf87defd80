/**
 * A loaded Compose Project -> everything a stack deploy creates, in the order it is created:
 * overlay networks (only those a service uses; `<stack>_default` among them), secrets and configs
 * (every declared one, as the docker CLI does), then one ServiceSpec per service. External
 * networks, secrets and configs are listed so that they can be checked before anything is made.
 * Pure: the contents of secrets and configs are read later (files.ts), right before the first
 * engine call, and never kept in the plan's printable parts.
 */
import type {Project, ServiceConfig} from '../../sdk/index.js'
import {UserInputError} from '../../sdk/index.js'
import type {NetworkCreate, ServiceSpec} from '../types.js'
import {CONVERTED, DEPRECATED, FORBIDDEN, SILENT} from './fields.js'
import {NAMESPACE_LABEL, scoped, serviceNetworkKeys, serviceSpec, type ConvertContext} from './service.js'

/** Where a secret's or config's content comes from. */
export type FileSource = {file: string} | {environment: string} | {content: string}

export interface FileObjectPlan {
  /** The key in the Compose file. */
  key: string
  /** The engine name: `<stack>_<key>` unless `name:` says otherwise. */
  name: string
  labels: Record<string, string>
  source: FileSource
  templateDriver?: string
}

export interface StackPlan {
  stack: string
  networks: NetworkCreate[]
  /** Names of external networks the services use: they must exist, swarm-scoped. */
  externalNetworks: string[]
  secrets: FileObjectPlan[]
  configs: FileObjectPlan[]
  /** Names of external secrets and configs the services use: they must exist. */
  externalSecrets: string[]
  externalConfigs: string[]
  /** By Compose service name, in name order. */
  services: Array<{service: string; spec: ServiceSpec}>
  /** Lines for the user (unsupported and deprecated options, left-out fields). */
  warnings: string[]
}

const STACK_NAME = /^[a-z0-9][a-z0-9_-]*$/

/** A stack name Berth can deploy: a project name (lowercase, digits, '-', '_') that swarm also takes as a DNS name component. */
export function checkStackName(name: string): void {
  if (!STACK_NAME.test(name) || /[-_]$/.test(name) || name.length > 63) {
    throw new UserInputError('STACK_NAME_INVALID', `invalid stack name "${name}": use lowercase letters, digits, "-" and "_", starting and ending with a letter or digit`)
  }
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (Array.isArray(value)) return value.length > 0
  return true
}

/** The docker CLI's "Ignoring unsupported options" and "Ignoring deprecated options" lines; throws for forbidden ones. */
export function optionWarnings(services: ServiceConfig[]): string[] {
  const unsupported = new Set<string>()
  const deprecated = new Set<string>()
  for (const service of services) {
    for (const [key, value] of Object.entries(service)) {
      if (!isSet(value) || key.startsWith('x-') || CONVERTED.has(key) || SILENT.has(key)) continue
      if (Object.hasOwn(FORBIDDEN, key)) {
        throw new UserInputError('STACK_OPTION_UNSUPPORTED', `service ${service.name}: ${key} is not supported in a stack: ${FORBIDDEN[key]}`)
      }
      if (Object.hasOwn(DEPRECATED, key)) deprecated.add(key)
      else unsupported.add(key)
    }
    if (isSet(service.deploy?.resources?.reservations?.devices)) unsupported.add('deploy.resources.reservations.devices')
  }
  const lines: string[] = []
  if (unsupported.size > 0) lines.push(`Ignoring unsupported options: ${[...unsupported].sort(byText).join(', ')}`)
  for (const key of [...deprecated].sort(byText)) lines.push(`Ignoring deprecated option ${key}: ${DEPRECATED[key]}`)
  return lines
}

function fileObject(kind: 'secret' | 'config', key: string, declared: Project['secrets'][string], stack: string): FileObjectPlan {
  let source: FileSource
  if (declared.file !== undefined) source = {file: declared.file}
  else if (declared.environment !== undefined) source = {environment: declared.environment}
  else if (declared.content !== undefined) source = {content: declared.content}
  else throw new UserInputError('STACK_FILE_OBJECT_INVALID', `${kind} ${key}: give it a file, environment or content (or mark it external)`)
  const templateDriver = declared.template_driver as string | undefined
  return {key, name: declared.name, labels: {...declared.labels, [NAMESPACE_LABEL]: stack}, source, ...(templateDriver && {templateDriver})}
}

function networkCreate(n: Project['networks'][string], stack: string): NetworkCreate {
  const ipamConfig = (n.ipam?.config ?? []).map((c) => {
    const entry = c as {subnet?: string; ip_range?: string; gateway?: string; aux_addresses?: Record<string, string>}
    return Object.fromEntries(
      Object.entries({Subnet: entry.subnet, IPRange: entry.ip_range, Gateway: entry.gateway, AuxiliaryAddresses: entry.aux_addresses}).filter(([, v]) => v !== undefined),
    )
  })
  const ipam = n.ipam && (n.ipam.driver || ipamConfig.length > 0 || n.ipam.options)
    ? {...(n.ipam.driver && {Driver: n.ipam.driver}), ...(ipamConfig.length > 0 && {Config: ipamConfig}), ...(n.ipam.options && {Options: n.ipam.options})}
    : undefined
  return {
    Name: n.name,
    Driver: n.driver ?? 'overlay',
    Labels: {...n.labels, [NAMESPACE_LABEL]: stack},
    ...(n.attachable && {Attachable: true}),
    ...(n.internal && {Internal: true}),
    ...(n.enable_ipv6 && {EnableIPv6: true}),
    ...(n.driver_opts && Object.keys(n.driver_opts).length > 0 && {Options: n.driver_opts}),
    ...(ipam && {IPAM: ipam}),
  }
}

/** Everything a deploy of `project` as stack `stack` creates, checked; throws a UserInputError for what cannot be deployed. */
export function convertStack(project: Project, stack: string): StackPlan {
  checkStackName(stack)
  const names = Object.keys(project.services).sort(byText)
  const warnings = optionWarnings(names.map((n) => project.services[n]!))
  const ctx: ConvertContext = {stack, project, warn: (m) => warnings.push(m)}
  const services = names.map((service) => ({service, spec: serviceSpec(project.services[service]!, ctx)}))

  const usedNetworks = new Set<string>()
  for (const n of names) {
    const s = project.services[n]!
    for (const key of Object.keys(serviceNetworkKeys(s))) usedNetworks.add(key)
  }
  const networks: NetworkCreate[] = []
  const externalNetworks: string[] = []
  for (const key of [...usedNetworks].sort(byText)) {
    const declared = project.networks[key] ?? (key === 'default' ? {name: scoped(stack, 'default')} : undefined)
    if (!declared) throw new UserInputError('STACK_NETWORK_UNDECLARED', `network "${key}" is used but not declared in the top-level networks`)
    if (declared.external) externalNetworks.push(declared.name)
    else networks.push(networkCreate(declared, stack))
  }

  const used = (kind: 'secrets' | 'configs') => new Set(names.flatMap((n) => (project.services[n]![kind] ?? []).map((ref) => ref.source)))
  const objects = (kind: 'secrets' | 'configs') => {
    const plans: FileObjectPlan[] = []
    const external: string[] = []
    const referenced = used(kind)
    for (const key of Object.keys(project[kind]).sort(byText)) {
      const declared = project[kind][key]!
      if (declared.external) {
        if (referenced.has(key)) external.push(declared.name)
      } else {
        plans.push(fileObject(kind === 'secrets' ? 'secret' : 'config', key, declared, stack))
      }
    }
    return {plans, external}
  }
  const secrets = objects('secrets')
  const configs = objects('configs')
  return {
    stack,
    networks,
    externalNetworks,
    secrets: secrets.plans,
    configs: configs.plans,
    externalSecrets: secrets.external,
    externalConfigs: configs.external,
    services,
    warnings,
  }
}
