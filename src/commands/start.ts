import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import type {ProgressMode} from '../cli/progress.js'
import type {ProgressStatus} from '../runtime/progress-events.js'

export default class Start extends BaseCommand {
  static override summary = "Start the project's existing containers."
  static override description = 'Starts stopped containers in dependency order, independent services in parallel. Create them first with `up`.'
  static override examples = ['<%= config.bin %> start', '<%= config.bin %> start web']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Start)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, {runLifecycle}, {createProgress}] = await Promise.all([import('../runtime/session.js'), import('../runtime/lifecycle.js'), import('../cli/progress.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    const view = createProgress(flags.progress as ProgressMode)
    try {
      await runLifecycle(session.engine, session.ref, 'start', {
        services,
        signal: session.signal,
        onTargets: (names) => view.begin(names.map((n) => `Container ${n}`)),
        report: (e) => view.sink({resource: `Container ${e.container}`, status: e.status as ProgressStatus}),
      })
    } finally {
      await view.end()
      await session.close()
    }
  }
}
