import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {parseScale} from '../cli/converge-flags.js'
import {projectFlags} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'

export default class Scale extends BaseCommand {
  static override summary = 'Set the number of containers of services.'
  static override description =
    'What `up -d --scale SERVICE=NUM SERVICE` does for each service named: creates the containers that are missing (and what the services depend on, unless --no-deps), ' +
    'removes the highest-numbered ones beyond the count, starts stopped ones, and recreates those whose configuration or image changed.'
  static override examples = ['<%= config.bin %> scale web=3', '<%= config.bin %> scale web=3 worker=0 --no-deps', '<%= config.bin %> scale web=1 --dry-run']
  static override strict = false
  static override args = {
    'service=replicas': Args.string({description: 'How many containers a service should have (one or more).', required: false}),
  }
  static override flags = {
    ...projectFlags,
    'no-deps': Flags.boolean({description: "Don't create or start the services the named ones depend on.", default: false}),
    timeout: Flags.integer({char: 't', description: 'Seconds to wait for a container to stop before killing it (scale down, recreate).', min: 0}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Scale)
    const specs = (argv as string[]).filter((s) => s !== '')
    if (specs.length === 0) throw new UserInputError('BAD_SCALE', 'scale needs at least one SERVICE=REPLICAS', {hints: [`for example \`${this.config.bin} scale web=3\``]})
    const scale = parseScale(specs, 'scale argument', `\`${this.config.bin} scale web=3\``)
    const services = Object.keys(scale)
    const {runConverge} = await import('../cli/converge-command.js')
    await runConverge(this.config, flags, {
      services,
      mentioned: services,
      progress: flags.progress,
      dryRun: flags['dry-run'],
      options: {noDeps: flags['no-deps'], scale, timeout: flags.timeout},
    })
  }
}
