import {Args, BerthCommand, Flags} from '../../../sdk/index.js'
import {requireStack} from '../../args.js'

export default class StackPs extends BerthCommand {
  static override summary = 'List the tasks in the stack (docker stack ps).'
  static override examples = ['<%= config.bin %> stack ps web', '<%= config.bin %> stack ps -f desired-state=running --no-trunc web']
  static override args = {stack: Args.string({description: 'Stack name.'})}
  static override flags = {
    filter: Flags.string({char: 'f', multiple: true, multipleNonGreedy: true, description: 'Filter: desired-state=running|shutdown|accepted, id=, name=, node=.'}),
    format: Flags.string({description: 'table (default), json (one object per line), or a template such as "{{.Name}} {{.Node}}".'}),
    'no-resolve': Flags.boolean({description: 'Do not map IDs to names.', default: false}),
    'no-trunc': Flags.boolean({description: 'Do not truncate output.', default: false}),
    quiet: Flags.boolean({char: 'q', description: 'Only display task IDs.', default: false}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(StackPs)
    const stack = await requireStack(args.stack, 'berth stack ps STACK')
    const [{parseFilters, parseFormat, renderTemplate}, {formatTasks, taskRows}, {withSwarm, interruptSignal}, {UserInputError}] = await Promise.all([
      import('../../format.js'),
      import('../../list.js'),
      import('../../session.js'),
      import('../../../sdk/index.js'),
    ])
    const format = parseFormat(flags.format, ['ID', 'Name', 'Image', 'Node', 'DesiredState', 'CurrentState', 'Error', 'Ports'])
    const filters = parseFilters(flags.filter, ['desired-state', 'id', 'name', 'node'])
    const interrupt = interruptSignal()
    try {
      const rows = await withSwarm(async (api) => {
        const services = await api.services({label: [`com.docker.stack.namespace=${stack}`]}, {signal: interrupt.signal})
        if (services.length === 0) return []
        const [tasks, nodes] = await Promise.all([
          api.tasks({...filters, service: services.map((s) => s.ID)}, {signal: interrupt.signal}),
          flags['no-resolve'] ? Promise.resolve([]) : api.nodes({signal: interrupt.signal}),
        ])
        return taskRows(tasks, services, nodes, {noTrunc: flags['no-trunc'], noResolve: flags['no-resolve']})
      }, {signal: interrupt.signal})
      if (rows.length === 0) throw new UserInputError('STACK_NOT_FOUND', `nothing found in stack: ${stack}`)
      const text = format.kind === 'template' && !flags.quiet ? rows.map((r) => renderTemplate(format.template, {...r})).join('\n') : formatTasks(rows, format.kind === 'json' ? 'json' : 'table', flags.quiet)
      process.stdout.write(text + '\n')
    } finally {
      interrupt.dispose()
    }
  }
}
