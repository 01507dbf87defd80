import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Stats extends BaseCommand {
  static override summary = "Show the resource use of the project's containers (CPU, memory, network and block I/O, PIDs)."
  static override description =
    'A live table, redrawn on a terminal and one block per sample otherwise, until Ctrl-C; --no-stream prints one sample. CPU % is computed from two samples, as the docker CLI does. --format takes table, json, "table TEMPLATE" or a TEMPLATE such as "{{.Name}}: {{.CPUPerc}}".'
  static override examples = ['<%= config.bin %> stats', '<%= config.bin %> stats --no-stream web', '<%= config.bin %> stats -a --no-stream --format json', '<%= config.bin %> stats --no-stream --format "table {{.Name}}\\t{{.MemUsage}}"']
  static override args = {service: Args.string({description: 'Only this service.', required: false})}
  static override flags = {
    ...projectFlags,
    all: Flags.boolean({char: 'a', description: 'Show stopped containers too (default: running ones).', default: false}),
    'no-stream': Flags.boolean({description: 'Print one sample and exit.', default: false}),
    'no-trunc': Flags.boolean({description: 'Do not truncate container IDs.', default: false}),
    format: Flags.string({description: 'table, json, "table TEMPLATE" or a TEMPLATE ({{.Name}}, {{.CPUPerc}}, {{.MemUsage}}, ...).', default: 'table'}),
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parse(Stats)
    const services = args.service ? [args.service] : []
    const [{openSession}, stats, {parseFormat, renderItems}] = await Promise.all([import('../runtime/session.js'), import('../runtime/stats.js'), import('../runtime/template-format.js')])
    const format = parseFormat(flags.format, stats.STATS_SCHEMA)
    const render = (rows: import('../runtime/stats.js').StatsRow[]) => renderItems(format, rows.map((r) => stats.statsItem(r, {noTrunc: flags['no-trunc']})), stats.STATS_SCHEMA)
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    if (flags['no-stream']) {
      try {
        const containers = await stats.statsContainers(session.engine, session.ref, {services, all: flags.all, signal: session.signal})
        const rows = await stats.sampleStats(session.engine, containers, session.signal)
        // Like docker compose: nothing at all (no header) when no container matches.
        if (rows.length > 0) process.stdout.write(render(rows))
      } finally {
        await session.close()
      }
      return
    }
    const write = stats.roundWriter(process.stdout, format.kind === 'table')
    try {
      await stats.watchStats(session.engine, session.ref, {services, all: flags.all, signal: session.signal, onRound: (rows) => write(render(rows))})
    } finally {
      // Ctrl-C is how a live view ends: not an error.
      await session.close().catch(() => undefined)
    }
  }
}
