import {Args} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {checkFlags, convergeFlags, imageOptions, parseScale} from '../cli/converge-flags.js'
import {projectFlags} from '../cli/project-flags.js'

export default class Create extends BaseCommand {
  static override summary = "Create the project's containers, networks and volumes without starting them."
  static override description =
    'What `up --no-start` does: pulls and builds missing images, creates networks and volumes, and creates (or recreates, when their configuration or image changed) the containers, leaving them stopped. ' +
    'Start them with `start` or `up`.'
  static override examples = ['<%= config.bin %> create', '<%= config.bin %> create --build web', '<%= config.bin %> create --scale web=3 --dry-run']
  static override strict = false
  static override args = {
    service: Args.string({description: 'Only these services (and what they depend on).', required: false}),
  }
  static override flags = {
    ...projectFlags,
    ...convergeFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Create)
    const services = (argv as string[]).filter((s) => s !== '')
    checkFlags(flags)
    const scale = parseScale(flags.scale ?? [])
    const {runConverge} = await import('../cli/converge-command.js')
    await runConverge(this.config, flags, {
      services,
      mentioned: Object.keys(scale),
      progress: flags.progress,
      dryRun: flags['dry-run'],
      options: {
        ...imageOptions(flags),
        forceRecreate: flags['force-recreate'],
        noRecreate: flags['no-recreate'],
        noStart: true,
        removeOrphans: flags['remove-orphans'],
        scale,
        quietPull: flags['quiet-pull'],
      },
    })
  }
}
