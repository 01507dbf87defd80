import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Cp extends BaseCommand {
  static override summary = 'Copy files between a service container and the host.'
  static override description = 'SERVICE:SRC DEST copies out of the container, SRC SERVICE:DEST into it; `-` streams a tar archive to stdout or from stdin.'
  static override examples = ['<%= config.bin %> cp web:/etc/nginx/nginx.conf .', '<%= config.bin %> cp ./public web:/srv/', '<%= config.bin %> cp web:/var/log - > logs.tar']
  static override args = {
    source: Args.string({description: 'SERVICE:SRC_PATH or a host path (- for stdin).', required: true}),
    destination: Args.string({description: 'A host path (- for stdout) or SERVICE:DEST_PATH.', required: true}),
  }
  static override flags = {
    ...projectFlags,
    index: Flags.integer({description: 'Which container of the service (1-based).', min: 1}),
    archive: Flags.boolean({char: 'a', description: 'Keep uid/gid.', default: false}),
    'follow-link': Flags.boolean({char: 'L', description: 'Follow a symbolic link at the source.', default: false}),
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parse(Cp)
    const [{openSession}, {copy, parseCopyArg}] = await Promise.all([import('../runtime/session.js'), import('../runtime/copy.js')])
    const service = parseCopyArg(args.source).service ?? parseCopyArg(args.destination).service
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services: service ? [service] : [], labelsOnly: true})
    try {
      await copy(session.engine, session.ref, {
        source: args.source,
        destination: args.destination,
        index: flags.index,
        archive: flags.archive,
        followLink: flags['follow-link'],
        signal: session.signal,
      })
    } finally {
      await session.close()
    }
  }
}
