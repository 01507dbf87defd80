/**
 * `berth kube apply`: the converted objects sent with server-side apply, in dependency order
 * (namespace, policies, secrets, configs, claims, services, workloads), each into the namespace of
 * --namespace, else the context's, else `default`. One line per object as kubectl prints it
 * (`deployment.apps/web serverside-applied`); the first failure stops the run, naming the object.
 */
import {BerthError} from '../sdk/index.js'
import type {KubeClient} from './client.js'
import {inApplyOrder, objectPath, RESOURCES} from './resources.js'
import {objectRef, type KubeObject} from './types.js'

export interface ApplyRunOptions {
  namespace: string
  dryRun?: boolean
  report(line: string): void
}

/** The object as sent: namespaced kinds carry the namespace they are applied to. */
export function withNamespace(object: KubeObject, namespace: string): KubeObject {
  if (!RESOURCES[object.kind].namespaced) return object
  return {...object, metadata: {...object.metadata, namespace}} as KubeObject
}

export async function applyObjects(client: KubeClient, objects: readonly KubeObject[], options: ApplyRunOptions): Promise<void> {
  for (const object of inApplyOrder(objects)) {
    const name = object.metadata!.name!
    const ns = RESOURCES[object.kind].namespaced ? (object.metadata?.namespace ?? options.namespace) : ''
    try {
      await client.apply(objectPath(object.kind, ns, name), withNamespace(object, ns), {dryRun: options.dryRun})
    } catch (error) {
      if (error instanceof BerthError && error.code === 'KUBE_API_ERROR') {
        const hints = [...error.hints]
        if (object.kind === 'Pod' && /may not change fields|Forbidden: pod updates/i.test(error.message)) hints.push(`a bare Pod cannot change: remove it first (berth kube delete), or give the service restart: always to make it a Deployment`)
        throw new BerthError('KUBE_APPLY_FAILED', `${objectRef(object)}: ${error.message}`, {hints, cause: error})
      }
      throw error
    }
    options.report(`${objectRef(object)} serverside-applied${options.dryRun ? ' (server dry run)' : ''}`)
  }
}
