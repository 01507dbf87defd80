import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {ProgressMode} from '../cli/progress.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'

export default class Run extends BaseCommand {
  static override summary = 'Run a one-off command in a new container of a service.'
  static override description =
    'The container is named <project>-<service>-run-<id> and labelled as a one-off; the service\'s dependencies start first (unless --no-deps). ' +
    'Interactive with a TTY when stdin is a terminal (-T turns the TTY off); exits with the container\'s exit code. ' +
    'As in docker compose, `-p PORT` publishes a port (8080:80, 127.0.0.1::80, 53/udp); a -p value that is not a port is the project name.'
  static override examples = ['<%= config.bin %> run --rm web sh', '<%= config.bin %> run --rm -T -e DEBUG=1 worker ./migrate.sh', '<%= config.bin %> run -d --service-ports web', '<%= config.bin %> run --rm -p 8080:80 web']
  static override strict = false
  static override args = {
    service: Args.string({description: 'The service.', required: true}),
    command: Args.string({description: 'The command and its arguments (default: the service\'s command).', required: false}),
  }
  static override flags = {
    ...projectFlags,
    detach: Flags.boolean({char: 'd', description: 'Run in the background and print the container name.', default: false}),
    rm: Flags.boolean({description: 'Remove the container when it exits.', default: false}),
    'no-deps': Flags.boolean({description: 'Do not start the services it depends on.', default: false}),
    entrypoint: Flags.string({description: 'Override the image\'s entrypoint.'}),
    env: Flags.string({char: 'e', description: 'Set an environment variable (KEY=VALUE, repeatable).', multiple: true, multipleNonGreedy: true}),
    label: Flags.string({char: 'l', description: 'Add a label (KEY=VALUE, repeatable).', multiple: true, multipleNonGreedy: true}),
    user: Flags.string({char: 'u', description: 'Run as this user.'}),
    workdir: Flags.string({char: 'w', description: 'Working directory inside the container.'}),
    volume: Flags.string({char: 'v', description: 'Bind mount or volume (SOURCE:TARGET[:ro], repeatable).', multiple: true, multipleNonGreedy: true}),
    publish: Flags.string({description: 'Publish a port (short syntax, repeatable; `-p PORT` too).', multiple: true, multipleNonGreedy: true}),
    'service-ports': Flags.boolean({char: 'P', description: 'Publish the service\'s ports.', default: false}),
    name: Flags.string({description: 'Name of the container.'}),
    'no-TTY': Flags.boolean({char: 'T', description: 'Do not allocate a TTY (default: a TTY when stdin is a terminal).', default: false}),
    interactive: Flags.boolean({char: 'i', description: 'Keep stdin open (default on).', default: true, allowNo: true}),
    progress: Flags.string({description: 'Progress output for dependencies.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {protectCommandArgs, publishShortFlag} = await import('../runtime/argv.js')
    // `-p` is --project-name (shared project flag), except that a port value is --publish, as compose's `run -p`.
    const {flags, argv} = await this.parse(Run, publishShortFlag(protectCommandArgs(this.argv, Run.flags as never)))
    const [service, ...command] = argv as string[]
    const [{openSession}, {runOneOff}, {createProgress}] = await Promise.all([import('../runtime/session.js'), import('../runtime/run.js'), import('../cli/progress.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services: [service], requireProject: true})
    const project = session.ref.project
    if (!project) throw new UserInputError('NO_PROJECT', 'run needs a Compose file')
    const view = createProgress(flags.progress as ProgressMode)
    let code: number
    try {
      const tty = !flags['no-TTY'] && !flags.detach && process.stdin.isTTY === true
      const outcome = await runOneOff(session.engine, project, {
        service,
        command,
        detach: flags.detach,
        rm: flags.rm,
        noDeps: flags['no-deps'],
        entrypoint: flags.entrypoint,
        env: flags.env,
        labels: flags.label,
        user: flags.user,
        workdir: flags.workdir,
        volumes: flags.volume,
        publish: flags.publish,
        servicePorts: flags['service-ports'],
        name: flags.name,
        tty,
        interactive: flags.interactive && !flags.detach,
        streams: {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr},
        progress: view.sink,
        warn: (m) => view.warn(m),
        signal: session.signal,
      })
      code = outcome.exitCode
      if (flags.detach) process.stdout.write(outcome.name + '\n')
    } finally {
      await view.end()
      await session.close()
    }
    process.exitCode = code
  }
}
