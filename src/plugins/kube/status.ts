/** The project's workloads on the cluster as target status rows: ready replicas of desired. */
import type {TargetStatus} from '../sdk/index.js'
import type {KubeClient} from './client.js'
import {collectionPath} from './resources.js'
import {projectSelector, SERVICE_LABEL} from './types.js'

interface Listed {
  kind?: string
  metadata?: {name?: string; labels?: Record<string, string>}
  spec?: {replicas?: number}
  status?: {readyReplicas?: number; numberReady?: number; desiredNumberScheduled?: number; phase?: string}
}

export async function workloadStatus(client: KubeClient, project: string, namespace: string): Promise<TargetStatus> {
  const selector = projectSelector(project)
  const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod'] as const
  const lists = await Promise.all(kinds.map(async (kind) => ({kind, items: await client.list<Listed>(collectionPath(kind, namespace), selector)})))
  const services = lists
    .flatMap(({kind, items}) =>
      items.map((item) => {
        const name = item.metadata?.labels?.[SERVICE_LABEL] ?? item.metadata?.name ?? '?'
        if (kind === 'Pod') return {name, state: (item.status?.phase ?? 'Unknown').toLowerCase(), detail: 'Pod'}
        const desired = kind === 'DaemonSet' ? (item.status?.desiredNumberScheduled ?? 0) : (item.spec?.replicas ?? 1)
        const ready = kind === 'DaemonSet' ? (item.status?.numberReady ?? 0) : (item.status?.readyReplicas ?? 0)
        return {name, state: ready >= desired && desired > 0 ? 'running' : ready > 0 ? 'partial' : 'pending', detail: `${kind} ${ready}/${desired}`}
      }),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return {deployed: services.length > 0, services, message: services.length > 0 ? `namespace ${namespace} of ${client.server}` : undefined}
}
