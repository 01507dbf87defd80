import {Args, BerthCommand, Flags} from '../../../sdk/index.js'
import {requireStack} from '../../args.js'

export default class StackServices extends BerthCommand {
  static override summary = 'List the services in the stack (docker stack services).'
  static override examples = ['<%= config.bin %> stack services web', '<%= config.bin %> stack services -f mode=global --format json web']
  static override args = {stack: Args.string({description: 'Stack name.'})}
  static override flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter: id=, label=, mode=replicated|global, name= (the stack prefix may be left out).'}),
    format: Flags.string({description: 'table (default), json (one object per line), or a template such as "{{.Name}} {{.Replicas}}".'}),
    quiet: Flags.boolean({char: 'q', description: 'Only display IDs.', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(StackServices)
    const stack = await requireStack(args.stack, 'berth stack services STACK')
    const [{parseFilters, parseFormat, renderTemplate}, {formatServices, serviceRows}, {withSwarm, interruptSignal}] = await Promise.all([
      import('../../format.js'),
      import('../../list.js'),
      import('../../session.js'),
    ])
    const format = parseFormat(flags.format, ['ID', 'Name', 'Mode', 'Replicas', 'Image', 'Ports'])
    const filters = parseFilters(flags.filter, ['id', 'label', 'mode', 'name'])
    if (filters.name) filters.name = filters.name.map((n) => (n.startsWith(`${stack}_`) ? n : `${stack}_${n}`))
    filters.label = [...(filters.label ?? []), `com.docker.stack.namespace=${stack}`]
    const interrupt = interruptSignal()
    try {
      const services = await withSwarm((api) => api.services(filters, {status: true, signal: interrupt.signal}), {signal: interrupt.signal})
      if (services.length === 0) {
        process.stderr.write(`Nothing found in stack: ${stack}\n`)
        return
      }
      const rows = serviceRows(services)
      const text = format.kind === 'template' && !flags.quiet ? rows.map((r) => renderTemplate(format.template, {...r})).join('\n') : formatServices(rows, format.kind === 'json' ? 'json' : 'table', flags.quiet)
      process.stdout.write(text + '\n')
    } finally {
      interrupt.dispose()
    }
  }
}
