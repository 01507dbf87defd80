import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, refuseDryRun} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'

export default class Watch extends BaseCommand {
  static override summary = 'Watch the services\' develop.watch paths and sync, restart or rebuild them when files change.'
  static override description =
    'Brings the project up first (building the watched services that have a build: section), then watches every develop.watch path. ' +
    'Changes are grouped into batches (500 ms without a new one); per batch each service is synced (files copied into its containers, deletions removed), ' +
    'restarted, has its exec hook run, or is rebuilt and recreated, as its rules say. Ctrl-C stops watching; the containers keep running.'
  static override examples = ['<%= config.bin %> watch', '<%= config.bin %> watch web', '<%= config.bin %> watch --no-up']
  static override strict = false
  static override args = {
    service: Args.string({description: 'Only these services.', required: false}),
  }
  static override flags = {
    ...projectFlags,
    'no-up': Flags.boolean({description: 'Do not build and start the services before watching.', default: false}),
    prune: Flags.boolean({description: 'Remove the image a rebuild replaced (--no-prune keeps it).', default: true, allowNo: true}),
    quiet: Flags.boolean({description: 'Hide build and progress output.', default: false}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Watch)
    await refuseDryRun(flags, 'watch', ['`berth up --dry-run` shows what watch would bring up first'])
    const services = (argv as string[]).filter((s) => s !== '')
    const {loadProjectFromFlags} = await import('../cli/project-flags.js')
    const project = (await loadProjectFromFlags(flags, this.config, {explicitServices: services.length > 0 ? services : undefined})).project
    if (!project) throw new UserInputError('NO_PROJECT', 'the Compose file did not produce a project')

    const [{EngineClient}, watch, {converge}, {runtimeEngine}, {createProgress, rowsOf}, {Interrupts}] = await Promise.all([
      import('../engine/index.js'),
      import('../runtime/watch/index.js'),
      import('../runtime/converge.js'),
      import('../runtime/engine-adapter.js'),
      import('../cli/progress.js'),
      import('../runtime/interrupts.js'),
    ])
    const mode = (flags.quiet ? 'quiet' : flags.progress) as 'auto'
    const warnView = createProgress(mode)
    const warn = (m: string) => warnView.warn(m)
    // Every rule is checked before the first engine call: a bad develop section changes nothing.
    const rules = watch.rulesFor(project, services, warn)
    const watched = [...new Set(rules.map((r) => r.service))]

    const client = EngineClient.fromEnvironment()
    const engine = runtimeEngine(client, warn)
    const interrupts = new Interrupts().install()
    interrupts.onInterrupt((count) => {
      if (count >= 2) process.exit(130)
    })
    try {
      if (!flags['no-up']) {
        const view = createProgress(mode)
        const withDevelop = watched.filter((s) => project.services[s].build)
        await converge(engine, watch.withBuildPolicy(project, withDevelop), {
          services,
          signal: interrupts.signal,
          progress: view.sink,
          warn,
          onPlan: (plan, _phase, untouched) => view.begin([...rowsOf(plan), ...untouched]),
        })
        await view.end()
      }
      if (interrupts.signal.aborted) return
      const {watchOnTerminal} = await import('../cli/watch-terminal.js')
      await watchOnTerminal({client, engine, project, services, progress: mode, prune: flags.prune, warn, signal: interrupts.signal})
    } finally {
      interrupts.dispose()
      await client.close().catch(() => {})
    }
  }
}
