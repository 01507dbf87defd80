import {Args} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Top extends BaseCommand {
  static override summary = 'Show the processes running in the project\'s containers.'
  static override examples = ['<%= config.bin %> top', '<%= config.bin %> top web']
  static override strict = false
  static override args = {service: Args.string({description: 'Only these services.', required: false})}
  static override flags = {...projectFlags}

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Top)
    const services = (argv as string[]).filter((s) => s !== '')
    const [{openSession}, top] = await Promise.all([import('../runtime/session.js'), import('../runtime/top.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services, labelsOnly: true})
    try {
      const tops = await top.projectTop(session.engine, session.ref, {services, signal: session.signal})
      if (tops.length > 0) process.stdout.write(top.formatTop(tops))
    } finally {
      await session.close()
    }
  }
}
