/**
 * The `kube` target of `berth deploy`: the project applied to the cluster of the kubeconfig
 * context, as `berth kube apply` / `kube delete` do, offered through the same SDK a third party
 * uses (registered by ./register.ts).
 */
import {defineTarget, option} from '../sdk/index.js'

export const kubeTarget = defineTarget({
  name: 'kube',
  description: 'A Kubernetes cluster from kubeconfig: the project converted as kompose does and server-side applied (what berth kube apply / kube delete do).',
  options: {
    namespace: option.string({description: 'Namespace (default: the context\'s, else "default").'}),
    context: option.string({description: 'kubeconfig context (default: current-context).'}),
    kubeconfig: option.string({description: 'kubeconfig file (default: KUBECONFIG, else ~/.kube/config).'}),
    controller: option.string({description: 'Workload kind for every service.', choices: ['deployment', 'statefulset', 'daemonset']}),
    volumes: option.boolean({description: 'On remove, also delete the PersistentVolumeClaims.'}),
  },
  async deploy(project, options, ctx) {
    const [{convertChecked, withCluster, namespaceFor}, {applyObjects}] = await Promise.all([import('./run.js'), import('./apply.js')])
    const {objects, warnings} = await convertChecked(project, {namespace: options.namespace, controller: options.controller as 'deployment' | undefined, command: 'berth deploy --target kube'})
    for (const line of warnings) ctx.warn(line)
    const lines: string[] = []
    await withCluster({kubeconfig: options.kubeconfig, context: options.context, signal: ctx.signal}, (client, access) =>
      applyObjects(client, objects, {
        namespace: namespaceFor(options.namespace, access),
        report: (line) => {
          lines.push(line)
          ctx.progress.output(lines.slice(-8).join('\n'))
        },
      }),
    )
  },
  async remove(project, options, ctx) {
    const [{withCluster, namespaceFor}, {deleteProject}] = await Promise.all([import('./run.js'), import('./delete.js')])
    const lines: string[] = []
    await withCluster({kubeconfig: options.kubeconfig, context: options.context, signal: ctx.signal}, async (client, access) => {
      const namespace = namespaceFor(options.namespace, access)
      const count = await deleteProject(client, project.name, {
        namespace,
        volumes: options.volumes,
        report: (line) => {
          lines.push(line)
          ctx.progress.output(lines.slice(-8).join('\n'))
        },
      })
      if (count === 0) ctx.warn(`No resources found in ${namespace} namespace.`)
    })
  },
  async status(project, ctx) {
    const [{withCluster, namespaceFor}, {workloadStatus}] = await Promise.all([import('./run.js'), import('./status.js')])
    return withCluster({signal: ctx.signal}, async (client, access) => workloadStatus(client, project.name, namespaceFor(undefined, access)))
  },
})
