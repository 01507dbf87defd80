/** The flags the kube commands share: the project flags (but --dry-run, which apply defines for itself) and the cluster's. */
import {Flags, projectFlags} from '../sdk/index.js'

const {'dry-run': _dryRun, ...composeFlags} = projectFlags

export const kubeProjectFlags = composeFlags

export const conversionFlags = {
  namespace: Flags.string({char: 'n', description: 'Namespace of the objects (convert: also emit the Namespace; default for apply/delete: the context\'s, else "default").'}),
  replicas: Flags.integer({description: 'Replicas of every Deployment and StatefulSet (default: deploy.replicas, else 1).', min: 0}),
  controller: Flags.string({description: 'Workload kind for every service (default: Deployment; DaemonSet for deploy.mode global; a Pod for restart: no/on-failure).', options: ['deployment', 'statefulset', 'daemonset']}),
  'with-kompose-annotation': Flags.boolean({description: 'Add the kompose.cmd and kompose.version annotations (--with-kompose-annotation=false leaves out every kompose.* annotation).', default: true, allowNo: true}),
  'generate-network-policies': Flags.boolean({description: 'A NetworkPolicy per Compose network, so that only services on a common network reach each other (as kompose).', default: false, allowNo: true}),
}

export const clusterFlags = {
  kubeconfig: Flags.string({description: 'kubeconfig file (default: KUBECONFIG, else ~/.kube/config).'}),
  context: Flags.string({description: 'kubeconfig context (default: current-context).'}),
}

/** `--with-kompose-annotation=false` spellings (kompose's) for oclif's booleans. */
export const BOOL_FLAGS = {'with-kompose-annotation': undefined, 'generate-network-policies': undefined}

/** The conversion options `kube convert` and `kube apply` read from their flags. */
export function conversionOptions(
  flags: {namespace?: string; replicas?: number; controller?: string; 'with-kompose-annotation'?: boolean; 'generate-network-policies'?: boolean},
  config: {bin: string; version: string},
  verb: string,
) {
  return {
    namespace: flags.namespace,
    replicas: flags.replicas,
    controller: flags.controller as 'deployment' | 'statefulset' | 'daemonset' | undefined,
    withKomposeAnnotation: flags['with-kompose-annotation'],
    generateNetworkPolicies: flags['generate-network-policies'],
    command: `${config.bin} kube ${verb}`,
    version: `${config.bin} ${config.version}`,
  }
}
