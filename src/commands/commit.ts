import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Commit extends BaseCommand {
  static override summary = "Create an image from a service container's changes."
  static override description =
    'The container is paused while the image is made (--no-pause, or --pause=false, leaves it running). -p stays the project name here, as everywhere in Berth. Prints the new image ID on stdout.'
  static override examples = [
    '<%= config.bin %> commit web',
    '<%= config.bin %> commit web myapp/web:snapshot -m "before upgrade" -a "Ann <ann@example.com>"',
    '<%= config.bin %> commit --index 2 -c "ENV DEBUG=1" -c "CMD [\\"sh\\"]" worker debug:1',
  ]
  static override args = {
    service: Args.string({description: 'The service.', required: true}),
    reference: Args.string({description: 'REPOSITORY[:TAG] for the new image (untagged when absent).', required: false}),
  }
  static override flags = {
    ...projectFlags,
    author: Flags.string({char: 'a', description: 'Author ("Ann Smith <ann@example.com>").'}),
    change: Flags.string({char: 'c', description: 'A Dockerfile instruction to apply (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, ...; repeatable).', multiple: true, multipleNonGreedy: true}),
    message: Flags.string({char: 'm', description: 'Commit message.'}),
    pause: Flags.boolean({description: 'Pause the container while committing.', default: true, allowNo: true}),
    index: Flags.integer({description: 'Which container of the service (1-based).', min: 1}),
  }

  async run(): Promise<void> {
    const {normalizeBoolFlags} = await import('../runtime/bool-flags.js')
    // `-p=false` is compose's spelling of --no-pause (a project name cannot contain "=").
    const {flags, args} = await this.parse(Commit, normalizeBoolFlags(this.argv, {pause: 'p'}))
    const [{openSession}, commit] = await Promise.all([import('../runtime/session.js'), import('../runtime/commit.js')])
    if (args.reference !== undefined) commit.parseCommitReference(args.reference)
    commit.checkChanges(flags.change ?? [])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services: [args.service], labelsOnly: true})
    try {
      const options = {service: args.service, index: flags.index, reference: args.reference, author: flags.author, message: flags.message, changes: flags.change, pause: flags.pause, signal: session.signal}
      if (dryRun(flags)) {
        process.stdout.write(await commit.planCommit(session.engine, session.ref, options))
        return
      }
      const result = await commit.commitService(session.engine, session.ref, options)
      process.stderr.write(` Container ${result.container}  Committed${args.reference ? ` as ${args.reference}` : ''}\n`)
      process.stdout.write(result.id + '\n')
    } finally {
      await session.close()
    }
  }
}

/** --dry-run, where the project flags have it: the step on stdout, nothing committed. */
function dryRun(flags: object): boolean {
  return (flags as {'dry-run'?: boolean})['dry-run'] === true
}
