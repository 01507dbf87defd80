import {Args, BerthCommand, Flags} from '../../../sdk/index.js'

export default class ChartTemplate extends BerthCommand {
  static override summary = 'Render a chart\'s templates locally and print the manifests (helm template).'
  static override examples = [
    '<%= config.bin %> chart template web ./charts/web',
    '<%= config.bin %> chart template web ./charts/web -f prod.yaml --set image.tag=1.2.3 --namespace shop',
    '<%= config.bin %> chart template web ./charts/web --show-only templates/service.yaml',
  ]
  static override args = {
    name: Args.string({description: 'Release name.', required: true}),
    chart: Args.string({description: 'Chart directory.', required: true}),
  }
  static override flags = {
    values: Flags.string({char: 'f', description: 'A values YAML file (repeatable; later files win).', multiple: true}),
    set: Flags.string({description: 'Set a value: a.b[0].c=v (repeatable; comma-separated pairs).', multiple: true}),
    'set-string': Flags.string({description: 'Set a value, always as a string.', multiple: true}),
    'set-json': Flags.string({description: 'Set a value from JSON: a.b={"x":1}.', multiple: true}),
    namespace: Flags.string({char: 'n', description: 'Namespace for .Release.Namespace.', default: 'default'}),
    'show-only': Flags.string({char: 's', description: 'Only print manifests from this template (templates/x.yaml; repeatable).', multiple: true}),
    'output-dir': Flags.string({description: 'Write each template\'s manifests to a file under DIR instead of printing.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ChartTemplate)
    const {templateChart} = await import('../../run.js')
    const text = await templateChart({
      releaseName: args.name,
      chartDir: args.chart,
      valueFiles: flags.values ?? [],
      sets: [...(flags['set-json'] ?? []).map((s) => ({kind: 'json' as const, arg: s})), ...(flags.set ?? []).map((s) => ({kind: 'set' as const, arg: s})), ...(flags['set-string'] ?? []).map((s) => ({kind: 'string' as const, arg: s}))],
      namespace: flags.namespace,
      showOnly: flags['show-only'] ?? [],
      outputDir: flags['output-dir'],
    })
    if (text !== '') process.stdout.write(text)
  }
}
