/**
 * Rendered files into `helm template` output: NOTES.txt and partials left out, each file split
 * into YAML documents on `---` lines (helm's separator), empty documents dropped, hooks
 * (helm.sh/hook) after the rest, and the rest ordered by kind as helm installs them (unknown
 * kinds last, alphabetically; otherwise file order kept).
 */
import {parse as parseYaml} from 'yaml'
import {UserInputError} from '../sdk/index.js'

export const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role',
  'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
]

export interface Manifest {
  /** chart/templates/x.yaml */
  source: string
  content: string
  kind: string
  hook?: string
  weight: number
}

const SEPARATOR = /(?:^|\s*\n)---\s*/

export function splitManifests(text: string): string[] {
  return text.trim().split(SEPARATOR).filter((d) => d !== '').map((d) => d.trim())
}

function head(doc: string, source: string): {kind: string; hook?: string; weight: number} {
  let v: unknown
  try {
    v = parseYaml(doc, {version: '1.1', uniqueKeys: false})
  } catch (e) {
    // The rendered text is what does not parse: show its line, with a caret, as context.
    const at = (e as {linePos?: Array<{line: number; col: number}>}).linePos?.[0]
    const lines = doc.split('\n')
    const context = at && lines[at.line - 1] !== undefined ? `${at.line} | ${lines[at.line - 1]}\n${' '.repeat(String(at.line).length)} | ${' '.repeat(Math.max(0, at.col - 1))}^` : undefined
    throw new UserInputError('CHART_MANIFEST_YAML', `YAML parse error on ${source}: ${(e as Error).message.split('\n')[0]}`, {context})
  }
  const m = (typeof v === 'object' && v !== null ? v : {}) as {kind?: unknown; metadata?: {annotations?: Record<string, unknown>}}
  const annotations = m.metadata?.annotations ?? {}
  const hook = typeof annotations['helm.sh/hook'] === 'string' ? annotations['helm.sh/hook'] : undefined
  const weight = Number(annotations['helm.sh/hook-weight'] ?? 0) || 0
  return {kind: typeof m.kind === 'string' ? m.kind : '', hook, weight}
}

export function sortByKind(manifests: Manifest[]): Manifest[] {
  const order = new Map(INSTALL_ORDER.map((k, i) => [k, i]))
  return manifests
    .map((m, i) => ({m, i}))
    .sort((a, b) => {
      const x = order.get(a.m.kind)
      const y = order.get(b.m.kind)
      if (x === undefined && y === undefined) return a.m.kind !== b.m.kind ? (a.m.kind < b.m.kind ? -1 : 1) : a.i - b.i
      if (x === undefined) return 1
      if (y === undefined) return -1
      return x !== y ? x - y : a.i - b.i
    })
    .map((e) => e.m)
}

/** The manifests and hooks of rendered files, each list in helm's order. */
export function collectManifests(files: Map<string, string>): {manifests: Manifest[]; hooks: Manifest[]} {
  const manifests: Manifest[] = []
  const hooks: Manifest[] = []
  for (const source of [...files.keys()].sort()) {
    if (source.endsWith('NOTES.txt')) continue
    if (source.split('/').at(-1)!.startsWith('_')) continue
    const text = files.get(source)!
    if (text.trim() === '') continue
    for (const content of splitManifests(text)) {
      const h = head(content, source)
      const m: Manifest = {source, content, kind: h.kind, hook: h.hook, weight: h.weight}
      if (h.hook) hooks.push(m)
      else manifests.push(m)
    }
  }
  const sortedHooks = hooks.map((m, i) => ({m, i})).sort((a, b) => a.m.weight - b.m.weight || (a.m.kind < b.m.kind ? -1 : a.m.kind > b.m.kind ? 1 : a.i - b.i)).map((e) => e.m)
  return {manifests: sortByKind(manifests), hooks: sortedHooks}
}

export function formatManifest(m: Manifest): string {
  return `---\n# Source: ${m.source}\n${m.content}\n`
}
