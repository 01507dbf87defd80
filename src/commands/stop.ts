import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import type {ProgressMode} from '../cli/progress.js'
import type {ProgressStatus} from '../runtime/progress-events.js'

export default class Stop extends BaseCommand {
  static override summary = "Stop the project's running containers."
  static override description = 'Stops in reverse dependency order (dependents first), independent services in parallel; the containers stay and `start` brings them back.'
  static override examples = ['<%= config.bin %> stop', '<%= config.bin %> stop -t 0 web']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    timeout: Flags.integer({char: 't', description: 'Seconds to wait for a container to stop before killing it (default: its stop_grace_period, else 10).', min: 0}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Stop)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, {runLifecycle}, {createProgress}] = await Promise.all([import('../runtime/session.js'), import('../runtime/lifecycle.js'), import('../cli/progress.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    const view = createProgress(flags.progress as ProgressMode)
    try {
      await runLifecycle(session.engine, session.ref, 'stop', {
        services,
        timeout: flags.timeout,
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
