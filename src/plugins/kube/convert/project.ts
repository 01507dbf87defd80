/**
 * A loaded Compose Project as Kubernetes objects, in a fixed order: the Namespace (with
 * --namespace), the Services (by Compose service name), the Secrets (by name), then for each
 * Compose service in name order its ConfigMaps, its workload, its PersistentVolumeClaims and (with
 * --generate-network-policies) the NetworkPolicies of its networks — kompose's order, with the
 * Namespace first so that the manifests apply in one pass. An object two services share is kept once.
 *
 * Workloads: a Deployment per service; a DaemonSet for deploy.mode global; a StatefulSet (claims
 * as volumeClaimTemplates, a headless Service) with --controller statefulset or the label
 * kompose.controller.type; a bare Pod for restart: no / on-failure when no controller is asked for,
 * as kompose does.
 *
 * Pure: the contents of secret and config files come in `contents` (../files.ts reads them).
 */
import {UserInputError, type Project, type ServiceConfig} from '../../sdk/index.js'
import type {IConfigMap, INamespace, INetworkPolicy, IPodTemplateSpec, ISecret, IService, KubeObject, Workload} from '../types.js'
import {MANAGED_BY, PART_OF, SERVICE_LABEL} from '../types.js'
import {namespaced, objectLabels, type Context, type Controller, type ConvertOptions, type FileContents} from './context.js'
import {unsupportedWarnings} from './fields.js'
import {checkObjectName, checkServiceName, networkName, objectName, serviceName} from './names.js'
import {podSpec, restartPolicy} from './pod.js'
import {kubeService} from './service.js'
import {configKey, podStorage} from './volumes.js'

export type {ConvertOptions, FileContents, Controller} from './context.js'

export interface Conversion {
  objects: KubeObject[]
  /** One line each, in the order they arose (unsupported fields first). */
  warnings: string[]
}

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/
/** 1 MiB: the most a Secret or ConfigMap holds. */
const OBJECT_LIMIT = 1024 * 1024

/** Service labels (and annotations) as object annotations, kompose's kompose.cmd/version added or every kompose.* left out. */
function annotationsOf(ctx: Context, service: ServiceConfig): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries({...service.labels, ...service.annotations})) {
    if (!QUALIFIED_NAME.test(key)) {
      ctx.warn(`service ${service.name}: label "${key}" is not a valid Kubernetes annotation key - ignoring`)
      continue
    }
    out[key] = String(value)
  }
  if (ctx.options.withKomposeAnnotation === false) {
    for (const key of Object.keys(out)) if (key.startsWith('kompose.')) delete out[key]
  } else {
    out['kompose.cmd'] = ctx.options.command ?? 'berth kube convert'
    out['kompose.version'] = ctx.options.version ?? 'berth'
  }
  return out
}

/** deploy.labels on the workload's metadata, where Kubernetes accepts them. */
function deployLabels(ctx: Context, service: ServiceConfig): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(service.deploy?.labels ?? {})) {
    if (!QUALIFIED_NAME.test(key) || !LABEL_VALUE.test(String(value))) {
      ctx.warn(`service ${service.name}: deploy label "${key}=${value}" is not a valid Kubernetes label - ignoring`)
      continue
    }
    out[key] = String(value)
  }
  return out
}

type WorkloadKind = 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'Pod'

function workloadKind(ctx: Context, service: ServiceConfig, name: string): WorkloadKind {
  const label = service.labels?.['kompose.controller.type']
  let controller: Controller | undefined = ctx.options.controller
  if (label !== undefined) {
    const l = label.toLowerCase()
    if (l !== 'deployment' && l !== 'daemonset' && l !== 'statefulset') {
      throw new UserInputError('KUBE_FIELD_INVALID', `service ${service.name}: label kompose.controller.type "${label}" must be deployment, daemonset or statefulset`)
    }
    if (ctx.options.controller && ctx.options.controller !== l) ctx.warn(`Use label kompose.controller.type type ${label} for service ${name}, ignore ${ctx.options.controller} flags`)
    controller = l
  }
  if (service.deploy?.mode === 'global') {
    if (controller === undefined) return 'DaemonSet'
    if (controller !== 'daemonset') ctx.warn(`Global deploy mode service is best converted to daemonset, now it convert to ${controller}`)
  }
  if (controller === undefined) {
    const restart = restartPolicy({...ctx, warn: () => {}}, service)
    if (restart !== 'Always') return 'Pod'
    return 'Deployment'
  }
  return controller === 'daemonset' ? 'DaemonSet' : controller === 'statefulset' ? 'StatefulSet' : 'Deployment'
}

function replicasOf(ctx: Context, service: ServiceConfig): number {
  if (ctx.options.replicas !== undefined) return ctx.options.replicas
  return service.deploy?.replicas ?? service.scale ?? 1
}

function networkLabels(ctx: Context, service: ServiceConfig): Record<string, string> {
  if (!ctx.options.generateNetworkPolicies) return {}
  const out: Record<string, string> = {}
  for (const net of networksOf(ctx, service)) out[`io.kompose.network/${net}`] = 'true'
  return out
}

function networksOf(ctx: Context, service: ServiceConfig): string[] {
  return Object.keys(service.networks ?? {})
    .map((key) => networkName(ctx.project.networks[key]?.name ?? key))
    .sort()
}

function networkPolicy(ctx: Context, net: string): INetworkPolicy {
  const selector = {matchLabels: {[`io.kompose.network/${net}`]: 'true'}}
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {name: net, ...namespaced(ctx), labels: {[MANAGED_BY]: 'berth', [PART_OF]: ctx.project.name}},
    spec: {ingress: [{from: [{podSelector: selector}]}], podSelector: selector},
  }
}

function workload(ctx: Context, service: ServiceConfig, name: string, kind: WorkloadKind, annotations: Record<string, string>): {workload: Workload; claims: KubeObject[]} {
  const storage = podStorage(ctx, service, name)
  const meta = {name, ...namespaced(ctx), labels: objectLabels(ctx, name, deployLabels(ctx, service)), ...(Object.keys(annotations).length > 0 ? {annotations} : {})}
  const selector = {matchLabels: {[SERVICE_LABEL]: name}}
  const templateMeta = {labels: {...networkLabels(ctx, service), [SERVICE_LABEL]: name}, ...(Object.keys(annotations).length > 0 ? {annotations} : {})}
  let restart = restartPolicy(ctx, service)
  if (kind !== 'Pod' && restart !== 'Always') {
    ctx.warn(`service ${service.name}: a ${kind} always restarts its pods: restart policy ${restart} becomes Always`)
    restart = 'Always'
  }
  if (kind === 'Pod') {
    return {workload: {apiVersion: 'v1', kind: 'Pod', metadata: {...meta, labels: objectLabels(ctx, name, networkLabels(ctx, service))}, spec: podSpec(ctx, service, name, storage, restart)}, claims: storage.claims}
  }
  if (kind === 'StatefulSet') {
    const podVolumes = storage.volumes.filter((v) => !storage.claimVolumes.has(v.name))
    const template: IPodTemplateSpec = {metadata: templateMeta, spec: podSpec(ctx, service, name, storage, restart, podVolumes)}
    const claimTemplates = storage.claims.map((c) => ({metadata: {name: c.metadata!.name!, labels: c.metadata!.labels}, spec: c.spec}))
    return {
      workload: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta,
        spec: {replicas: replicasOf(ctx, service), selector, serviceName: name, template, ...(claimTemplates.length > 0 ? {volumeClaimTemplates: claimTemplates} : {})},
      },
      claims: [],
    }
  }
  const template: IPodTemplateSpec = {metadata: templateMeta, spec: podSpec(ctx, service, name, storage, restart)}
  if (kind === 'DaemonSet') {
    return {workload: {apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta, spec: {selector, template}}, claims: storage.claims}
  }
  const recreate = (service.volumes ?? []).length > 0
  return {
    workload: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {replicas: replicasOf(ctx, service), selector, ...(recreate ? {strategy: {type: 'Recreate'}} : {}), template},
    },
    claims: storage.claims,
  }
}

/** Text stays text (data); anything else goes base64 (binaryData), as kompose splits them. */
function decodeText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(bytes)
  } catch {
    return undefined
  }
}

function configMap(ctx: Context, key: string, owner: string): IConfigMap | undefined {
  const def = ctx.project.configs[key]
  if (!def || def.external) return undefined
  const name = checkObjectName('config', key, objectName(key))
  const bytes = ctx.contents.configs.get(key) ?? Buffer.alloc(0)
  if (bytes.length > OBJECT_LIMIT) throw new UserInputError('KUBE_OBJECT_TOO_LARGE', `config ${key} is ${bytes.length} bytes: a ConfigMap holds at most 1 MiB`)
  const dataKey = configKey(key, def.file)
  const text = decodeText(bytes)
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {name, ...namespaced(ctx), labels: objectLabels(ctx, owner)},
    ...(text === undefined ? {binaryData: {[dataKey]: bytes.toString('base64')}} : {data: {[dataKey]: text.replaceAll('\r\n', '\n')}}),
  }
}

function secret(ctx: Context, key: string): ISecret | undefined {
  const def = ctx.project.secrets[key]
  if (!def) return undefined
  if (def.external) {
    ctx.warn(`External secret ${key} is not created by Berth: a Secret named ${objectName(def.name ?? key)} (key ${objectName(def.name ?? key)}) must exist in the namespace`)
    return undefined
  }
  const name = checkObjectName('secret', key, objectName(key))
  const bytes = ctx.contents.secrets.get(key) ?? Buffer.alloc(0)
  if (bytes.length > OBJECT_LIMIT) throw new UserInputError('KUBE_OBJECT_TOO_LARGE', `secret ${key} is ${bytes.length} bytes: a Secret holds at most 1 MiB`)
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name, ...namespaced(ctx), labels: objectLabels(ctx, name)},
    type: 'Opaque',
    data: {[name]: bytes.toString('base64')},
  }
}

/** The Kubernetes name of each Compose service (kompose.service.name_override, else the normalised name). */
function kubeNames(project: Project): Map<string, string> {
  const names = new Map<string, string>()
  const owners = new Map<string, string>()
  for (const key of Object.keys(project.services).sort()) {
    const service = project.services[key]!
    const override = service.labels?.['kompose.service.name_override']
    const name = checkServiceName(override ?? key, serviceName(override ?? key))
    const other = owners.get(name)
    if (other !== undefined) {
      throw new UserInputError('KUBE_NAME_CLASH', `services "${other}" and "${key}" would both be named "${name}" in Kubernetes`, {hints: ['rename one of them, or set the label kompose.service.name_override']})
    }
    owners.set(name, key)
    names.set(key, name)
  }
  return names
}

export function convertProject(project: Project, options: ConvertOptions = {}, contents: FileContents = {secrets: new Map(), configs: new Map()}): Conversion {
  const warnings: string[] = []
  const ctx: Context = {project, options, contents, warn: (line) => warnings.push(line)}
  if (options.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(options.namespace)) {
    throw new UserInputError('KUBE_NAMESPACE_INVALID', `namespace "${options.namespace}" is not a DNS label (a-z, 0-9 and '-', at most 63 characters)`)
  }
  if (options.replicas !== undefined && (!Number.isInteger(options.replicas) || options.replicas < 0)) {
    throw new UserInputError('KUBE_REPLICAS_INVALID', `--replicas must be a whole number of at least 0, got ${options.replicas}`)
  }
  const keys = Object.keys(project.services).sort()
  warnings.push(...unsupportedWarnings(keys.map((k) => project.services[k]!)))
  const names = kubeNames(project)

  const services: IService[] = []
  const perService: KubeObject[] = []
  const usedSecrets = new Set<string>()
  for (const key of keys) {
    const service = project.services[key]!
    const name = names.get(key)!
    const kind = workloadKind(ctx, service, name)
    const annotations = annotationsOf(ctx, service)
    for (const ref of service.secrets ?? []) usedSecrets.add(ref.source)
    for (const ref of service.configs ?? []) {
      const cm = configMap(ctx, ref.source, name)
      if (cm) perService.push(cm)
    }
    const {workload: w, claims} = workload(ctx, service, name, kind, annotations)
    const svc = kubeService(ctx, service, name, annotations, kind === 'StatefulSet')
    if (svc) services.push(svc)
    perService.push(w, ...claims)
    if (options.generateNetworkPolicies) for (const net of networksOf(ctx, service)) perService.push(networkPolicy(ctx, net))
  }
  const secrets = [...usedSecrets].sort().map((key) => secret(ctx, key)).filter((s): s is ISecret => s !== undefined)

  const namespace: INamespace[] = options.namespace ? [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: options.namespace, labels: {[MANAGED_BY]: 'berth', [PART_OF]: project.name}}}] : []
  const seen = new Set<string>()
  const objects = [...namespace, ...services, ...secrets, ...perService].filter((o) => {
    const id = `${o.apiVersion}/${o.kind}/${o.metadata?.name}`
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
  return {objects, warnings}
}
