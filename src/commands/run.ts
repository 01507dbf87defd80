import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {ProgressMode} from '../cli/progress.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'

export default class Run extends BaseCommand {
  static override summary = 'Run a one-off command in a new container of a service.'
  static override description =
    'The container is named <project>-<service>-run-<id> and labelled as a one-off; the service\'s dependencies start first (unless --no-deps). ' +
    'Interactive with a TTY when stdin and stdout are terminals (-T/--no-tty turns the TTY off); exits with the container\'s exit code; with -d prints the container ID. ' +
    'As in docker compose, `-p PORT` publishes a port (8080:80, 127.0.0.1::80, 53/udp); a -p value that is not a port is the project name.'
  static override examples = ['<%= config.bin %> run --rm web sh', '<%= config.bin %> run --rm -T -e DEBUG=1 worker ./migrate.sh', '<%= config.bin %> run -d --service-ports web', '<%= config.bin %> run --rm -p 8080:80 web']
  static override strict = false
  static override args = {
    service: Args.string({description: 'The service.', required: true}),
    command: Args.string({description: 'The command and its arguments (default: the service\'s command).', required: false}),
  }
  static override flags = {
    ...projectFlags,
    detach: Flags.boolean({char: 'd', description: 'Run in the background and print the container ID.', default: false}),
    rm: Flags.boolean({description: 'Remove the container when it exits.', default: false}),
    'no-deps': Flags.boolean({description: 'Do not start the services it depends on.', default: false}),
    entrypoint: Flags.string({description: 'Override the image\'s entrypoint.'}),
    env: Flags.string({char: 'e', description: 'Set an environment variable (KEY=VALUE, repeatable).', multiple: true, multipleNonGreedy: true}),
    'env-from-file': Flags.string({description: 'Set environment variables from a file (KEY=VALUE lines, repeatable; -e wins).', multiple: true, multipleNonGreedy: true}),
    'cap-add': Flags.string({description: 'Add a Linux capability (repeatable).', multiple: true, multipleNonGreedy: true}),
    'cap-drop': Flags.string({description: 'Drop a Linux capability (repeatable).', multiple: true, multipleNonGreedy: true}),
    label: Flags.string({char: 'l', description: 'Add a label (KEY=VALUE, repeatable).', multiple: true, multipleNonGreedy: true}),
    user: Flags.string({char: 'u', description: 'Run as this user.'}),
    workdir: Flags.string({char: 'w', description: 'Working directory inside the container.'}),
    volume: Flags.string({char: 'v', description: 'Bind mount or volume (SOURCE:TARGET[:ro], repeatable).', multiple: true, multipleNonGreedy: true}),
    publish: Flags.string({description: 'Publish a port (short syntax, repeatable; `-p PORT` too).', multiple: true, multipleNonGreedy: true}),
    'service-ports': Flags.boolean({char: 'P', description: 'Publish the service\'s ports.', default: false}),
    name: Flags.string({description: 'Name of the container.'}),
    'no-TTY': Flags.boolean({char: 'T', aliases: ['no-tty'], description: 'Do not allocate a TTY (also --no-tty; default: a TTY when stdin and stdout are terminals).', default: false}),
    tty: Flags.boolean({char: 't', description: 'Allocate a TTY even when stdin is not a terminal.', default: false, hidden: true, exclusive: ['no-TTY']}),
    interactive: Flags.boolean({char: 'i', description: 'Keep stdin open (default on).', default: true, allowNo: true}),
    'use-aliases': Flags.boolean({description: 'Give the container the service\'s name and network aliases on its networks.', default: false}),
    build: Flags.boolean({description: 'Build the images before starting the container.', default: false}),
    pull: Flags.string({description: 'Pull the image before running (default: the service\'s pull_policy).', options: ['always', 'missing', 'never', 'policy']}),
    'remove-orphans': Flags.boolean({description: 'Remove containers of services that are not in the Compose file.', default: false}),
    quiet: Flags.boolean({char: 'q', description: 'Print nothing but the command\'s output (and the container ID with -d).', default: false}),
    'quiet-pull': Flags.boolean({description: 'Pull without printing progress.', default: false}),
    'quiet-build': Flags.boolean({description: 'Build without printing progress.', default: false}),
    progress: Flags.string({description: 'Progress output for dependencies.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {protectCommandArgs, publishShortFlag} = await import('../runtime/argv.js')
    // `-p` is --project-name (shared project flag), except that a port value is --publish, as compose's `run -p`.
    const {flags, argv} = await this.parse(Run, publishShortFlag(protectCommandArgs(this.argv, Run.flags as never)))
    const [service, ...command] = argv as string[]
    const [{openSession}, {runOneOff, readEnvFromFiles}, {createProgress}] = await Promise.all([import('../runtime/session.js'), import('../runtime/run.js'), import('../cli/progress.js')])
    // Read before anything else, so that a missing file stops the run before the first engine call.
    const fromFiles = await readEnvFromFiles(flags['env-from-file'] ?? [])
    const tty = flags.tty || (!flags['no-TTY'] && !flags.detach && process.stdin.isTTY === true && process.stdout.isTTY === true)
    if (flags.tty && flags.interactive && !flags.detach && process.stdin.isTTY !== true) {
      throw new UserInputError('NOT_A_TERMINAL', 'cannot attach stdin to a TTY-enabled container because stdin is not a terminal', {hints: ['drop -t, or add -T or --no-interactive']})
    }
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services: [service], requireProject: true})
    const project = session.ref.project
    if (!project) throw new UserInputError('NO_PROJECT', 'run needs a Compose file')
    const options = {
      service,
      command,
      detach: flags.detach,
      rm: flags.rm,
      noDeps: flags['no-deps'],
      entrypoint: flags.entrypoint,
      env: [...fromFiles, ...(flags.env ?? [])],
      capAdd: flags['cap-add'],
      capDrop: flags['cap-drop'],
      pull: flags.pull === 'policy' ? undefined : (flags.pull as 'always' | 'missing' | 'never' | undefined),
      build: flags.build,
      removeOrphans: flags['remove-orphans'],
      useAliases: flags['use-aliases'],
      labels: flags.label,
      user: flags.user,
      workdir: flags.workdir,
      volumes: flags.volume,
      publish: flags.publish,
      servicePorts: flags['service-ports'],
      name: flags.name,
      tty,
      interactive: flags.interactive && !flags.detach,
      signal: session.signal,
    }
    if (flags['dry-run']) {
      try {
        const [{planRun}, {formatPlan}, {readOnlyEngine}] = await Promise.all([import('../runtime/run.js'), import('../runtime/plan.js'), import('../runtime/dry-run.js')])
        process.stdout.write(formatPlan(await planRun(readOnlyEngine(session.engine), project, {...options, warn: (m) => process.stderr.write(`warning: ${m}\n`)})))
      } finally {
        await session.close()
      }
      return
    }
    const view = createProgress((flags.quiet ? 'quiet' : flags.progress) as ProgressMode)
    // --quiet-pull / --quiet-build: the image rows of that kind are left out.
    const hidden = new Set([...(flags['quiet-pull'] ? ['Pulling', 'Pulled'] : []), ...(flags['quiet-build'] ? ['Building', 'Built'] : [])])
    const progress: typeof view.sink = (event) => {
      if (!(event.resource.startsWith('Image ') && hidden.has(event.status))) view.sink(event)
    }
    let code: number
    try {
      const outcome = await runOneOff(session.engine, project, {
        ...options,
        streams: {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr},
        progress,
        warn: (m) => view.warn(m),
      })
      code = outcome.exitCode
      // As docker compose does: the container's full ID.
      if (flags.detach) process.stdout.write(outcome.id + '\n')
    } finally {
      await view.end()
      await session.close()
    }
    process.exitCode = code
  }
}
