import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import type {ProgressMode} from '../cli/progress.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'
import type {ProgressStatus} from '../runtime/progress-events.js'

export default class Rm extends BaseCommand {
  static override summary = "Remove the project's stopped containers."
  static override description =
    'Asks first unless -f. Running containers are left alone unless -s stops them first; -v also removes their anonymous volumes. ' +
    'With --dry-run, prints what would be removed and does not ask.'
  static override examples = ['<%= config.bin %> rm', '<%= config.bin %> rm -f -s web', '<%= config.bin %> rm -fv', '<%= config.bin %> rm -s --dry-run']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {
    ...projectFlags,
    // `rm -f` is --force, as in docker compose; the Compose file is --file here.
    file: Flags.string({multiple: true, multipleNonGreedy: true, helpGroup: 'PROJECT', description: 'Compose configuration file (repeatable).'}),
    force: Flags.boolean({char: 'f', description: 'Do not ask for confirmation.', default: false}),
    stop: Flags.boolean({char: 's', description: 'Stop the containers first if they are running.', default: false}),
    volumes: Flags.boolean({char: 'v', description: 'Also remove anonymous volumes attached to the containers.', default: false}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Rm)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, {runLifecycle, removableContainers}, {createProgress}, {nameOf}] = await Promise.all([
      import('../runtime/session.js'),
      import('../runtime/lifecycle.js'),
      import('../cli/progress.js'),
      import('../runtime/select.js'),
    ])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    try {
      const options = {services, stopFirst: flags.stop, volumes: flags.volumes, signal: session.signal}
      if (flags['dry-run']) {
        // Nothing is removed, so nothing is asked.
        const {printLifecyclePlan} = await import('../cli/lifecycle-command.js')
        await printLifecyclePlan(session, 'rm', options)
        return
      }
      const candidates = await removableContainers(session.engine, session.ref, options)
      if (candidates.length === 0) {
        process.stderr.write('No stopped containers\n')
        return
      }
      if (!flags.force) {
        const names = candidates.map(nameOf)
        if (!process.stdin.isTTY) throw new UserInputError('CONFIRMATION_REQUIRED', `would remove ${names.join(', ')}: pass -f to remove without asking`)
        process.stderr.write(`Going to remove ${names.join(', ')}\n`)
        if (!(await confirm('Are you sure? [yN] '))) return
      }
      const view = createProgress(flags.progress as ProgressMode)
      try {
        await runLifecycle(session.engine, session.ref, 'rm', {
          ...options,
          onTargets: (names) => view.begin(names.map((n) => `Container ${n}`)),
          report: (e) => view.sink({resource: `Container ${e.container}`, status: e.status as ProgressStatus}),
        })
      } finally {
        await view.end()
      }
    } finally {
      await session.close()
    }
  }
}

async function confirm(question: string): Promise<boolean> {
  const {createInterface} = await import('node:readline/promises')
  const rl = createInterface({input: process.stdin, output: process.stderr})
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim())
  } finally {
    rl.close()
  }
}
