/** Where each kind the plugin makes lives in the API, and the order objects are applied and deleted in. */
import type {Kind, KubeObject} from './types.js'

interface Resource {
  /** `/api/v1` or `/apis/<group>/<version>` */
  base: string
  plural: string
  namespaced: boolean
}

export const RESOURCES: Record<Kind, Resource> = {
  Namespace: {base: '/api/v1', plural: 'namespaces', namespaced: false},
  Service: {base: '/api/v1', plural: 'services', namespaced: true},
  Secret: {base: '/api/v1', plural: 'secrets', namespaced: true},
  ConfigMap: {base: '/api/v1', plural: 'configmaps', namespaced: true},
  PersistentVolumeClaim: {base: '/api/v1', plural: 'persistentvolumeclaims', namespaced: true},
  Pod: {base: '/api/v1', plural: 'pods', namespaced: true},
  Deployment: {base: '/apis/apps/v1', plural: 'deployments', namespaced: true},
  DaemonSet: {base: '/apis/apps/v1', plural: 'daemonsets', namespaced: true},
  StatefulSet: {base: '/apis/apps/v1', plural: 'statefulsets', namespaced: true},
  NetworkPolicy: {base: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true},
}

/** What a pod needs first: namespace, then the objects pods mount or are reached through, then the workloads. */
export const APPLY_ORDER: readonly Kind[] = ['Namespace', 'NetworkPolicy', 'Secret', 'ConfigMap', 'PersistentVolumeClaim', 'Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod']

/** Workloads first, so that nothing is left running on a removed Service or Secret; claims (data) only when asked; never the Namespace. */
export const DELETE_ORDER: readonly Kind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'Service', 'NetworkPolicy', 'ConfigMap', 'Secret', 'PersistentVolumeClaim']

/** The collection path of a kind in a namespace. */
export function collectionPath(kind: Kind, namespace: string): string {
  const r = RESOURCES[kind]
  return r.namespaced ? `${r.base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${r.base}/${r.plural}`
}

/** The path of one object. */
export function objectPath(kind: Kind, namespace: string, name: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`
}

/** Objects sorted for applying (stable within a kind). */
export function inApplyOrder(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort((a, b) => APPLY_ORDER.indexOf(a.kind) - APPLY_ORDER.indexOf(b.kind))
}
