import {Args, BerthCommand, Flags} from '../../../sdk/index.js'

export default class ChartLint extends BerthCommand {
  static override summary = 'Check a chart: Chart.yaml, values against values.schema.json, and that every template renders to valid YAML.'
  static override examples = ['<%= config.bin %> chart lint ./charts/web', '<%= config.bin %> chart lint ./charts/web -f prod.yaml']
  static override args = {
    chart: Args.string({description: 'Chart directory.', required: true}),
  }
  static override flags = {
    values: Flags.string({char: 'f', description: 'A values YAML file (repeatable).', multiple: true}),
    set: Flags.string({description: 'Set a value: a.b[0].c=v (repeatable).', multiple: true}),
    'set-string': Flags.string({description: 'Set a value, always as a string.', multiple: true}),
    'set-json': Flags.string({description: 'Set a value from JSON.', multiple: true}),
    namespace: Flags.string({char: 'n', description: 'Namespace for .Release.Namespace.', default: 'default'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ChartLint)
    const {lintChart} = await import('../../run.js')
    const summary = await lintChart({
      releaseName: 'release-name',
      chartDir: args.chart,
      valueFiles: flags.values ?? [],
      sets: [...(flags['set-json'] ?? []).map((s) => ({kind: 'json' as const, arg: s})), ...(flags.set ?? []).map((s) => ({kind: 'set' as const, arg: s})), ...(flags['set-string'] ?? []).map((s) => ({kind: 'string' as const, arg: s}))],
      namespace: flags.namespace,
      showOnly: [],
    })
    this.log(summary)
  }
}
