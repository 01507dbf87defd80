/**
 * `berth kube delete`: every object of the project in the namespace, found by Berth's labels
 * (app.kubernetes.io/managed-by=berth, app.kubernetes.io/part-of=<project>) — one list call per
 * kind — and deleted workloads first. PersistentVolumeClaims hold data: like `berth down`, they
 * stay unless asked for (--volumes). The Namespace stays (it may hold other things).
 */
import type {KubeClient} from './client.js'
import {collectionPath, DELETE_ORDER, objectPath, RESOURCES} from './resources.js'
import {objectRef, projectSelector, type Kind} from './types.js'

export interface DeleteRunOptions {
  namespace: string
  volumes?: boolean
  dryRun?: boolean
  report(line: string): void
}

interface Listed {
  apiVersion?: string
  kind?: string
  metadata?: {name?: string}
}

/** Deletes the project's objects; returns how many were found. */
export async function deleteProject(client: KubeClient, project: string, options: DeleteRunOptions): Promise<number> {
  const selector = projectSelector(project)
  const kinds = DELETE_ORDER.filter((k) => options.volumes || k !== 'PersistentVolumeClaim')
  const found = await Promise.all(kinds.map(async (kind) => ({kind, items: await client.list<Listed>(collectionPath(kind, options.namespace), selector)})))
  let count = 0
  for (const {kind, items} of found) {
    const names = items.map((i) => i.metadata?.name).filter((n): n is string => typeof n === 'string').sort()
    for (const name of names) {
      const gone = await client.delete(objectPath(kind, options.namespace, name), {dryRun: options.dryRun})
      count++
      const ref = objectRef({apiVersion: apiVersionOf(kind), kind, metadata: {name}})
      options.report(`${ref.replace(/\/.*/, '')} "${name}" ${gone ? 'deleted' : 'already gone'}${options.dryRun ? ' (server dry run)' : ''}`)
    }
  }
  return count
}

function apiVersionOf(kind: Kind): string {
  const base = RESOURCES[kind].base
  return base === '/api/v1' ? 'v1' : base.replace(/^\/apis\//, '')
}
