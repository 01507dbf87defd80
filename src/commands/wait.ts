import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Wait extends BaseCommand {
  static override summary = 'Wait until the services\' containers stop; exit with the code of the first one.'
  static override description = 'With --dry-run it still waits (waiting changes nothing); --down-project then prints the plan of the down instead of taking the project down.'
  static override examples = ['<%= config.bin %> wait migrate', '<%= config.bin %> wait --down-project tests', '<%= config.bin %> wait --down-project --dry-run tests']
  static override strict = false
  static override args = {service: Args.string({description: 'The services to wait for (default: all).', required: false})}
  static override flags = {
    ...projectFlags,
    'down-project': Flags.boolean({description: 'Take the project down once the containers have stopped.', default: false}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Wait)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, {waitForServices}] = await Promise.all([import('../runtime/session.js'), import('../runtime/wait.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    let code: number
    try {
      code = await waitForServices(session.engine, session.ref, {services, report: (line) => process.stdout.write(line + '\n'), signal: session.signal})
      if (flags['down-project'] && flags['dry-run']) {
        // Waiting changes nothing; the down that follows is only printed.
        const [runtime, {readOnlyEngine}] = await Promise.all([import('../runtime/index.js'), import('../runtime/dry-run.js')])
        const plan = await runtime.down(runtime.runtimeEngine(readOnlyEngine(session.engine)), session.ref.name, session.ref.project, {removeOrphans: true, dryRun: true, signal: session.signal})
        process.stdout.write(runtime.formatPlan(plan))
      } else if (flags['down-project']) {
        const runtime = await import('../runtime/index.js')
        await runtime.down(runtime.runtimeEngine(session.engine), session.ref.name, session.ref.project, {removeOrphans: true, signal: session.signal})
      }
    } finally {
      await session.close()
    }
    process.exitCode = code
  }
}
