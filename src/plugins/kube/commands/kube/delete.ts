import {BerthCommand, Flags} from '../../../sdk/index.js'
import {clusterFlags, kubeProjectFlags} from '../../flags.js'

export default class KubeDelete extends BerthCommand {
  static override summary = 'Delete the Compose project\'s objects from a Kubernetes cluster.'
  static override description = `Finds the objects "berth kube apply" (or kubectl apply of "berth kube convert"'s output) made
for this project by their labels (app.kubernetes.io/managed-by=berth, app.kubernetes.io/part-of=<project>)
in the namespace, and deletes them, workloads first. PersistentVolumeClaims hold data and stay unless
--volumes is given; the namespace itself stays.`

  static override aliases = ['kube:down']
  static override examples = ['<%= config.bin %> kube delete', '<%= config.bin %> kube delete -p shop --namespace shop --volumes  # no Compose file needed with -p']

  static override flags = {
    ...kubeProjectFlags,
    namespace: Flags.string({char: 'n', description: 'Namespace (default: the context\'s, else "default").'}),
    volumes: Flags.boolean({char: 'v', description: 'Also delete the PersistentVolumeClaims (the volumes\' data).', default: false}),
    ...clusterFlags,
    'dry-run': Flags.boolean({description: 'Send the deletions with dryRun=All: nothing is deleted.', default: false}),
  }

  /** The project's name: from the Compose file, or -p alone when there is no file (as `docker compose down -p NAME`). */
  private async projectName(flags: {file?: string[]; 'project-name'?: string}, load: (config: KubeDelete['config'], flags: object) => Promise<{name: string}>): Promise<string> {
    try {
      return (await load(this.config, flags)).name
    } catch (error) {
      const code = (error as {code?: string}).code
      if (code === 'COMPOSE_FILE_NOT_FOUND' && flags['project-name'] && !flags.file) return flags['project-name']
      throw error
    }
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(KubeDelete)
    const [{loadProject}, {withCluster, namespaceFor, interruptSignal}, {deleteProject}] = await Promise.all([import('../../../sdk/index.js'), import('../../run.js'), import('../../delete.js')])
    const name = await this.projectName(flags, loadProject)
    const interrupt = interruptSignal()
    try {
      await withCluster({kubeconfig: flags.kubeconfig, context: flags.context, signal: interrupt.signal, debug: this.debugMode ? (line) => process.stderr.write(`debug: ${line}\n`) : undefined}, async (client, access) => {
        const namespace = namespaceFor(flags.namespace, access)
        const count = await deleteProject(client, name, {namespace, volumes: flags.volumes, dryRun: flags['dry-run'], report: (line) => process.stdout.write(line + '\n')})
        if (count === 0) process.stderr.write(`No resources found in ${namespace} namespace.\n`)
      })
    } finally {
      interrupt.dispose()
    }
  }
}
