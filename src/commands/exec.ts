import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Exec extends BaseCommand {
  static override summary = 'Run a command in a running service container.'
  static override description =
    'Interactive with a TTY when stdin and stdout are terminals (-T or --no-tty turns the TTY off); exits with the command\'s exit code. ' +
    'With --dry-run, prints the container the command would run in and runs nothing (docker compose refuses an attached exec there).'
  static override examples = ['<%= config.bin %> exec web sh', '<%= config.bin %> exec -T db pg_dump app > dump.sql', '<%= config.bin %> exec --index 2 -e DEBUG=1 worker env']
  static override strict = false
  static override args = {
    service: Args.string({description: 'The service.', required: true}),
    command: Args.string({description: 'The command and its arguments.', required: true}),
  }
  static override flags = {
    ...projectFlags,
    detach: Flags.boolean({char: 'd', description: 'Run the command in the background.', default: false}),
    'no-TTY': Flags.boolean({char: 'T', aliases: ['no-tty'], description: 'Do not allocate a TTY (also --no-tty; default: a TTY when stdin and stdout are terminals).', default: false}),
    tty: Flags.boolean({char: 't', description: 'Allocate a TTY even when stdin is not a terminal.', default: false, hidden: true, exclusive: ['no-TTY']}),
    interactive: Flags.boolean({char: 'i', description: 'Keep stdin open (always on, as in docker compose).', default: true, allowNo: true}),
    env: Flags.string({char: 'e', description: 'Set an environment variable (KEY=VALUE, repeatable).', multiple: true, multipleNonGreedy: true}),
    user: Flags.string({char: 'u', description: 'Run as this user (name or uid[:gid]).'}),
    workdir: Flags.string({char: 'w', description: 'Working directory for the command.'}),
    index: Flags.integer({description: 'Which container of the service (1-based).', min: 1}),
    privileged: Flags.boolean({description: 'Give the process extended privileges.', default: false}),
  }

  async run(): Promise<void> {
    const {protectCommandArgs} = await import('../runtime/argv.js')
    const {flags, argv} = await this.parse(Exec, protectCommandArgs(this.argv, Exec.flags as never))
    const [service, ...command] = argv as string[]
    const [{openSession}, {execInService}] = await Promise.all([import('../runtime/session.js'), import('../runtime/exec.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services: [service], labelsOnly: true})
    if (flags['dry-run']) {
      try {
        const [{planExec}, {formatSteps, readOnlyEngine}] = await Promise.all([import('../runtime/exec.js'), import('../runtime/dry-run.js')])
        const steps = await planExec(readOnlyEngine(session.engine), session.ref, {service, command, index: flags.index, detach: flags.detach, user: flags.user, workdir: flags.workdir, privileged: flags.privileged, signal: session.signal})
        process.stdout.write(formatSteps(steps, 'no container to run the command in'))
      } finally {
        await session.close()
      }
      return
    }
    let code: number
    try {
      const tty = flags.tty || (!flags['no-TTY'] && process.stdin.isTTY === true && process.stdout.isTTY === true)
      code = await execInService(session.engine, session.ref, {
        service,
        command,
        index: flags.index,
        detach: flags.detach,
        tty,
        interactive: flags.interactive && !flags.detach,
        env: flags.env,
        user: flags.user,
        workdir: flags.workdir,
        privileged: flags.privileged,
        streams: {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr},
        signal: session.signal,
      })
    } finally {
      await session.close()
    }
    process.exitCode = code
  }
}
