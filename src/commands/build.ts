import {Args, Flags, type Interfaces} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags} from '../cli/project-flags.js'
import type {EngineClient} from '../engine/index.js'
import {UserInputError} from '../errors.js'

type BuildFlags = Interfaces.InferredFlags<typeof Build.flags>

export default class Build extends BaseCommand {
  static override summary = 'Build the images of the project\'s services that have a build: section.'
  static override description =
    'Each image is built with Berth\'s own builder and layer cache and tagged with the service\'s image name ' +
    '(`image:`, else <project>-<service>) and build.tags. Services sharing one build configuration are built once.'
  static override examples = ['<%= config.bin %> build', '<%= config.bin %> build --no-cache web', '<%= config.bin %> build -q --build-arg VERSION=2', '<%= config.bin %> build --dry-run']
  static override strict = false
  static override args = {
    service: Args.string({description: 'Only these services.', required: false}),
  }
  static override flags = {
    ...projectFlags,
    'no-cache': Flags.boolean({description: 'Run every step; do not use cached layers.', default: false}),
    pull: Flags.boolean({description: 'Always try to pull newer base images.', default: false}),
    quiet: Flags.boolean({char: 'q', description: 'Print nothing but errors.', default: false}),
    parallel: Flags.boolean({description: 'Build images in parallel (default; --no-parallel builds one at a time).', default: true, allowNo: true}),
    'build-arg': Flags.string({description: 'A build arg for every service: KEY=VALUE; repeatable.', multiple: true, multipleNonGreedy: true}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Build)
    const services = (argv as string[]).filter((s) => s !== '')
    const args: Record<string, string> = {}
    for (const pair of flags['build-arg'] ?? []) {
      const eq = pair.indexOf('=')
      if (eq <= 0) throw new UserInputError('BAD_FLAG', `--build-arg "${pair}": expected KEY=VALUE`)
      args[pair.slice(0, eq)] = pair.slice(eq + 1)
    }
    if (flags['dry-run']) {
      await this.printPlan(flags, services, args)
      return
    }
    // The engine's API negotiation (a round trip; its failure is reported by the first real call,
    // after the Compose file is validated) overlaps loading the project.
    const connected = import('../engine/index.js').then(({EngineClient}) => {
      const client = EngineClient.fromEnvironment()
      client.apiVersion().catch(() => undefined)
      return client
    })
    connected.catch(() => undefined)
    try {
      await this.build(flags, services, args, connected)
    } finally {
      await connected.then((client) => client.close()).catch(() => {})
    }
  }

  /** --dry-run: the builds, planned from the Compose file alone; no engine call. */
  private async printPlan(flags: BuildFlags, services: string[], args: Record<string, string>): Promise<void> {
    const {loadProjectFromFlags} = await import('../cli/project-flags.js')
    const {project} = await loadProjectFromFlags(flags, this.config, {explicitServices: services.length > 0 ? services : undefined})
    if (!project) throw new UserInputError('NO_PROJECT', 'the Compose file did not produce a project')
    const [{planServiceBuilds}, {buildSteps, formatSteps}] = await Promise.all([import('../build/compose.js'), import('../runtime/dry-run.js')])
    const builds = planServiceBuilds(project, services, {noCache: flags['no-cache'], pull: flags.pull, args}, (m) => process.stderr.write(`warning: ${m}\n`))
    process.stdout.write(formatSteps(buildSteps(builds), 'no service to build (none has a build: section)'))
  }

  private async build(flags: BuildFlags, services: string[], args: Record<string, string>, connected: Promise<EngineClient>): Promise<void> {
    const {loadProjectFromFlags} = await import('../cli/project-flags.js')
    const {project} = await loadProjectFromFlags(flags, this.config, {explicitServices: services.length > 0 ? services : undefined})
    if (!project) throw new UserInputError('NO_PROJECT', 'the Compose file did not produce a project')
    const {planServiceBuilds} = await import('../build/compose.js')
    const warn = (m: string) => process.stderr.write(`warning: ${m}\n`)
    const builds = planServiceBuilds(project, services, {noCache: flags['no-cache'], pull: flags.pull, args}, warn)
    if (builds.length === 0) {
      if (!flags.quiet) process.stderr.write('no service to build (none has a build: section)\n')
      return
    }
    const [engine, {buildImage, plainProgress}, {buildView}, {Interrupts}] = await Promise.all([
      connected,
      import('../build/index.js'),
      import('../build/cli-progress.js'),
      import('../runtime/interrupts.js'),
    ])
    const interrupts = new Interrupts().install()
    const mode = (flags.quiet ? 'quiet' : flags.progress) as 'auto' | 'tty' | 'plain' | 'quiet'
    try {
      const tty = mode !== 'quiet' && mode !== 'plain' && (mode === 'tty' || Boolean(process.stderr.isTTY))
      if (tty || !flags.parallel || builds.length === 1) {
        // One build at a time, each with its own view.
        for (const build of builds) {
          const view = await buildView(mode, `Building ${build.services.join(', ')} -> ${build.options.tags![0]}`)
          await view.run(() => buildImage(engine, {...build.options, signal: interrupts.signal}, view.progress))
        }
      } else {
        await Promise.all(builds.map((build) => {
          const prefix = build.services.join(',')
          const progress = mode === 'quiet' ? {warning: warn} : plainProgress((line) => process.stderr.write(`${prefix} | ${line}\n`))
          return buildImage(engine, {...build.options, signal: interrupts.signal}, progress)
        }))
      }
      if (!flags.quiet) for (const build of builds) process.stderr.write(`Built ${build.options.tags!.join(', ')}\n`)
    } finally {
      interrupts.dispose()
    }
  }
}
