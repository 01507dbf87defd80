import {BerthCommand, Flags} from '../../../sdk/index.js'
import {conversionFlags, kubeProjectFlags, BOOL_FLAGS, conversionOptions} from '../../flags.js'

export default class KubeConvert extends BerthCommand {
  static override summary = 'Convert the Compose project to Kubernetes manifests (as kompose convert).'
  static override description = `Loads the Compose files (the same interpolation and checks as every Berth command) and writes
one Kubernetes object per document: a Deployment (DaemonSet for deploy.mode global, a Pod for restart:
no/on-failure) per service, a Service for its ports, PersistentVolumeClaims for named volumes,
Secrets and ConfigMaps for secrets and configs. Every object is checked against the Kubernetes
schemas before it is written. Fields Kubernetes cannot express get one warning line each.`

  static override examples = [
    '<%= config.bin %> kube convert',
    '<%= config.bin %> kube convert -f compose.yaml -o k8s/',
    '<%= config.bin %> kube convert --namespace shop --replicas 2 --controller statefulset',
    '<%= config.bin %> kube convert --with-kompose-annotation=false | kubectl apply -f -',
  ]

  static override flags = {
    ...kubeProjectFlags,
    out: Flags.string({char: 'o', description: 'Where to write: "-" (stdout, the default), a directory (one <name>-<kind>.yaml per object; made if missing) or a .yaml/.yml file.'}),
    ...conversionFlags,
  }

  async run(): Promise<void> {
    const {normalizeBoolFlags} = await import('../../../../runtime/bool-flags.js')
    const {flags} = await this.parse(KubeConvert, normalizeBoolFlags(this.argv, BOOL_FLAGS))
    const [{loadProject}, {convertChecked}, output] = await Promise.all([import('../../../sdk/index.js'), import('../../run.js'), import('../../output.js')])
    const project = await loadProject(this.config, flags)
    const {objects, warnings} = await convertChecked(project, conversionOptions(flags, this.config, 'convert'))
    for (const line of warnings) process.stderr.write(`warning: ${line}\n`)
    const out = flags.out
    if (out === undefined || out === '-') {
      process.stdout.write(await output.toYamlStream(objects))
      return
    }
    const {stat} = await import('node:fs/promises')
    const isDir = await stat(out).then((s) => s.isDirectory(), () => false)
    if (!isDir && /\.ya?ml$/i.test(out)) {
      await output.writeManifestFile(out, objects)
      process.stderr.write(`Kubernetes file "${out}" created\n`)
      return
    }
    for (const file of await output.writeManifestFiles(out, objects)) process.stderr.write(`Kubernetes file "${file}" created\n`)
  }
}
