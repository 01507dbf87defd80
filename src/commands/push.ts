import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {ProgressMode} from '../cli/progress.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'

export default class Push extends BaseCommand {
  static override summary = "Push the images of the project's buildable services."
  static override description = 'Every service with both `build:` and `image:`, to the registry its image name says, in parallel.'
  static override examples = ['<%= config.bin %> push', '<%= config.bin %> push --ignore-push-failures api', '<%= config.bin %> push --dry-run']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    'ignore-push-failures': Flags.boolean({description: 'Warn instead of failing when a push fails.', default: false}),
    'include-deps': Flags.boolean({description: 'Also push the services the named ones depend on.', default: false}),
    quiet: Flags.boolean({char: 'q', description: 'Print no progress.', default: false}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Push)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, transfer, {createProgress}] = await Promise.all([import('../runtime/session.js'), import('../runtime/pull-push.js'), import('../cli/progress.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, requireProject: true})
    const project = session.ref.project
    if (!project) throw new UserInputError('NO_PROJECT', 'push needs a Compose file')
    if (flags['dry-run']) {
      try {
        const {formatSteps} = await import('../runtime/dry-run.js')
        process.stdout.write(formatSteps(transfer.planPush(project, {services, includeDeps: flags['include-deps']}), 'no image to push (no service has both build: and image:)'))
      } finally {
        await session.close()
      }
      return
    }
    const view = createProgress((flags.quiet ? 'quiet' : flags.progress) as ProgressMode)
    try {
      const options = {
        services,
        ignoreFailures: flags['ignore-push-failures'],
        includeDeps: flags['include-deps'],
        progress: view.sink,
        warn: (m: string) => view.warn(m),
        signal: session.signal,
      }
      view.begin(transfer.pushJobs(project, options).map((job) => `Image ${job.image}`))
      await transfer.pushServices(session.engine, project, options)
    } finally {
      await view.end()
      await session.close()
    }
  }
}
