/**
 * What `berth kube convert/apply/delete` and the `kube` deploy target share: a loaded project
 * turned into checked objects (files read first, then converted, then every object validated
 * against the Kubernetes schemas), and a client for the cluster kubeconfig names.
 */
import type {Project} from '../sdk/index.js'
import type {KubeClient} from './client.js'
import type {Conversion, ConvertOptions} from './convert/project.js'
import type {ClusterAccess, KubeconfigOptions} from './kubeconfig.js'

/** Converted and validated: nothing reaches stdout, a file or a cluster before this returns. */
export async function convertChecked(project: Project, options: ConvertOptions): Promise<Conversion> {
  const [{readFileContents}, {convertProject}, {validateObjects}] = await Promise.all([import('./files.js'), import('./convert/project.js'), import('./validate.js')])
  const contents = await readFileContents(project)
  const conversion = convertProject(project, options, contents)
  await validateObjects(conversion.objects)
  return conversion
}

export interface ClusterOptions extends KubeconfigOptions {
  signal?: AbortSignal
  debug?: (line: string) => void
}

/** A client for the cluster of the kubeconfig context, closed when `fn` ends. */
export async function withCluster<T>(options: ClusterOptions, fn: (client: KubeClient, access: ClusterAccess) => Promise<T>): Promise<T> {
  const [{loadClusterAccess}, {KubeClient}] = await Promise.all([import('./kubeconfig.js'), import('./client.js')])
  const access = await loadClusterAccess(options)
  const client = new KubeClient(access, {signal: options.signal, debug: options.debug})
  try {
    return await fn(client, access)
  } finally {
    await client.close()
  }
}

/** --namespace, else the context's namespace, else `default` (kubectl's choice). */
export function namespaceFor(flag: string | undefined, access: ClusterAccess): string {
  return flag ?? access.namespace ?? 'default'
}

/** An AbortSignal for Ctrl-C (and SIGTERM): the first stops the work, a second exits at once. */
export {interruptSignal} from '../../runtime/interrupts.js'
