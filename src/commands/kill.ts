import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import type {ProgressMode} from '../cli/progress.js'
import type {ProgressStatus} from '../runtime/progress-events.js'

export default class Kill extends BaseCommand {
  static override summary = "Send a signal to the project's running containers (SIGKILL by default)."
  static override description = 'All selected containers get the signal at once.'
  static override examples = ['<%= config.bin %> kill', '<%= config.bin %> kill -s SIGHUP web']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    signal: Flags.string({char: 's', description: 'Signal to send, by name or number.', default: 'SIGKILL'}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Kill)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, {runLifecycle}, {createProgress}] = await Promise.all([import('../runtime/session.js'), import('../runtime/lifecycle.js'), import('../cli/progress.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    const view = createProgress(flags.progress as ProgressMode)
    try {
      await runLifecycle(session.engine, session.ref, 'kill', {
        services,
        killSignal: flags.signal,
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
