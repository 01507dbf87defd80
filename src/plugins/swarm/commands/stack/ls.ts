import {BerthCommand, Flags} from '../../../sdk/index.js'

export default class StackLs extends BerthCommand {
  static override summary = 'List stacks (docker stack ls).'
  static override aliases = ['stack:list']
  static override examples = ['<%= config.bin %> stack ls', '<%= config.bin %> stack ls --format json']
  static override flags = {
    format: Flags.string({description: 'table (default), json (one object per line), or a template such as "{{.Name}}".'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StackLs)
    const [{parseFormat, renderTemplate}, {formatStacks, stackRows}, {withSwarm, interruptSignal}] = await Promise.all([
      import('../../format.js'),
      import('../../list.js'),
      import('../../session.js'),
    ])
    const format = parseFormat(flags.format, ['Name', 'Services'])
    const interrupt = interruptSignal()
    try {
      const services = await withSwarm((api) => api.services({label: ['com.docker.stack.namespace']}, {signal: interrupt.signal}), {signal: interrupt.signal})
      const rows = stackRows(services)
      const text = format.kind === 'template' ? rows.map((r) => renderTemplate(format.template, {...r})).join('\n') : formatStacks(rows, format.kind)
      if (text !== '') process.stdout.write(text + '\n')
    } finally {
      interrupt.dispose()
    }
  }
}
