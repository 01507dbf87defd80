import {BerthCommand, Flags} from '../../../sdk/index.js'
import {BOOL_FLAGS, clusterFlags, conversionFlags, kubeProjectFlags, conversionOptions} from '../../flags.js'

export default class KubeApply extends BerthCommand {
  static override summary = 'Convert the Compose project and apply it to a Kubernetes cluster (server-side apply).'
  static override description = `Converts the project as "berth kube convert" does, checks every object against the Kubernetes
schemas, then sends each with server-side apply (field manager "berth", conflicts forced, as kubectl
apply --server-side --force-conflicts) to the cluster of the kubeconfig context: namespace first, then
secrets, configs, claims, services and workloads. Objects are labelled app.kubernetes.io/managed-by=berth
and app.kubernetes.io/part-of=<project>, which "berth kube delete" removes by.`

  static override examples = [
    '<%= config.bin %> kube apply',
    '<%= config.bin %> kube apply -f compose.yaml --namespace shop',
    '<%= config.bin %> kube apply --context staging --dry-run',
  ]

  static override flags = {
    ...kubeProjectFlags,
    ...conversionFlags,
    ...clusterFlags,
    'dry-run': Flags.boolean({description: 'Send every object with dryRun=All: the API server checks and admits it, and keeps nothing.', default: false}),
  }

  async run(): Promise<void> {
    const {normalizeBoolFlags} = await import('../../../../runtime/bool-flags.js')
    const {flags} = await this.parse(KubeApply, normalizeBoolFlags(this.argv, BOOL_FLAGS))
    const [{loadProject}, {convertChecked, withCluster, namespaceFor, interruptSignal}, {applyObjects}] = await Promise.all([
      import('../../../sdk/index.js'),
      import('../../run.js'),
      import('../../apply.js'),
    ])
    const project = await loadProject(this.config, flags)
    const {objects, warnings} = await convertChecked(project, conversionOptions(flags, this.config, 'apply'))
    for (const line of warnings) process.stderr.write(`warning: ${line}\n`)
    const interrupt = interruptSignal()
    try {
      await withCluster({kubeconfig: flags.kubeconfig, context: flags.context, signal: interrupt.signal, debug: this.debugMode ? (line) => process.stderr.write(`debug: ${line}\n`) : undefined}, (client, access) =>
        applyObjects(client, objects, {namespace: namespaceFor(flags.namespace, access), dryRun: flags['dry-run'], report: (line) => process.stdout.write(line + '\n')}),
      )
    } finally {
      interrupt.dispose()
    }
  }
}
