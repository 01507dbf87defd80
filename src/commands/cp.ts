import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Cp extends BaseCommand {
  static override summary = 'Copy files between a service container and the host.'
  static override description =
    'SERVICE:SRC DEST copies out of the service\'s first container (or --index), SRC SERVICE:DEST into every container of the service (or --index); ' +
    'stopped containers too. `DIR/.` copies the contents of DIR. `-` streams a tar archive to stdout or from stdin. Copying between containers is not supported. ' +
    'With --dry-run, both paths are checked and the copies printed; nothing is written.'
  static override examples = [
    '<%= config.bin %> cp web:/etc/nginx/nginx.conf .',
    '<%= config.bin %> cp ./public/. web:/srv/www',
    '<%= config.bin %> cp --index 2 web:/var/log/. ./logs-2',
    '<%= config.bin %> cp web:/var/log - > logs.tar',
    '<%= config.bin %> cp --dry-run ./site/. web:/srv/www',
  ]
  static override args = {
    source: Args.string({description: 'SERVICE:SRC_PATH or a host path (- for stdin).', required: true}),
    destination: Args.string({description: 'A host path (- for stdout) or SERVICE:DEST_PATH.', required: true}),
  }
  static override flags = {
    ...projectFlags,
    index: Flags.integer({description: 'Only the container of the service with this number (default: into all of them, out of the first).', min: 1}),
    all: Flags.boolean({description: 'Into a service: its one-off containers (from `run`) too.', default: false}),
    archive: Flags.boolean({char: 'a', description: 'Archive mode: keep uid/gid.', default: false}),
    'follow-link': Flags.boolean({char: 'L', description: 'Follow a symbolic link at the source (copy its target under its name).', default: false}),
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parse(Cp)
    const [{openSession}, {copy, parseCopyArgs}] = await Promise.all([import('../runtime/session.js'), import('../runtime/copy.js')])
    const {service} = parseCopyArgs(args.source, args.destination)
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services: [service], labelsOnly: true})
    try {
      const dryRun = flags['dry-run'] ? await import('../runtime/dry-run.js') : undefined
      const engine = dryRun ? dryRun.readOnlyEngine(session.engine) : session.engine
      const result = await copy(engine, session.ref, {
        source: args.source,
        destination: args.destination,
        index: flags.index,
        all: flags.all,
        archive: flags.archive,
        followLink: flags['follow-link'],
        signal: session.signal,
        dryRun: dryRun !== undefined,
      })
      if (dryRun) process.stdout.write(dryRun.formatSteps(result.steps, 'no container to copy to'))
    } finally {
      await session.close()
    }
  }
}
