import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {ProgressMode} from '../cli/progress.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'

export default class Pull extends BaseCommand {
  static override summary = "Pull the images of the project's services."
  static override description =
    'Every service with an `image:`, in parallel, as its pull_policy says (never and build skip it; missing pulls it only when it is not here), or as --policy says for all. A service that can also be built only warns when its pull fails.'
  static override examples = ['<%= config.bin %> pull', '<%= config.bin %> pull --ignore-buildable web', '<%= config.bin %> pull --policy missing', '<%= config.bin %> pull --dry-run']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    'ignore-buildable': Flags.boolean({description: 'Skip services that have a build: section.', default: false}),
    'ignore-pull-failures': Flags.boolean({description: 'Warn instead of failing when a pull fails.', default: false}),
    'include-deps': Flags.boolean({description: 'Also pull the services the named ones depend on.', default: false}),
    policy: Flags.string({description: 'missing: pull only images that are not here; always: every image, whatever the pull_policy (default: each service\'s pull_policy).', options: ['missing', 'always']}),
    quiet: Flags.boolean({char: 'q', description: 'Print no progress.', default: false}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Pull)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, transfer, {createProgress}] = await Promise.all([import('../runtime/session.js'), import('../runtime/pull-push.js'), import('../cli/progress.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, requireProject: true})
    const project = session.ref.project
    if (!project) throw new UserInputError('NO_PROJECT', 'pull needs a Compose file')
    if (flags['dry-run']) {
      try {
        const {formatSteps, readOnlyEngine} = await import('../runtime/dry-run.js')
        const steps = await transfer.planPull(readOnlyEngine(session.engine), project, {
          services,
          ignoreBuildable: flags['ignore-buildable'],
          includeDeps: flags['include-deps'],
          policy: flags.policy as 'missing' | 'always' | undefined,
          signal: session.signal,
        })
        process.stdout.write(formatSteps(steps, 'no image to pull'))
      } finally {
        await session.close()
      }
      return
    }
    const view = createProgress((flags.quiet ? 'quiet' : flags.progress) as ProgressMode)
    try {
      const options = {
        services,
        ignoreBuildable: flags['ignore-buildable'],
        ignoreFailures: flags['ignore-pull-failures'],
        includeDeps: flags['include-deps'],
        policy: flags.policy as 'missing' | 'always' | undefined,
        progress: view.sink,
        warn: (m: string) => view.warn(m),
        signal: session.signal,
      }
      view.begin(transfer.pullJobs(project, options).map((job) => `Image ${job.image}`))
      await transfer.pullServices(session.engine, project, options)
    } finally {
      await view.end()
      await session.close()
    }
  }
}
