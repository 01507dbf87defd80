import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {dryRunFlag} from '../cli/project-flags.js'

export default class Ls extends BaseCommand {
  static override summary = 'List the Compose projects on this engine.'
  static override description = 'Read from container labels, so projects started by docker compose show up too. By default only projects with running containers; -a adds stopped ones.'
  static override examples = ['<%= config.bin %> ls', '<%= config.bin %> ls -a --format json']
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Show stopped projects too.', default: false}),
    quiet: Flags.boolean({char: 'q', description: 'Only print project names.', default: false}),
    format: Flags.string({description: 'Output format.', options: ['table', 'json'], default: 'table'}),
    filter: Flags.string({description: 'Filter by a property: name=NAME.'}),
    // Read-only: accepted (`berth --dry-run ls`) as docker compose's global flag is, and changes nothing here.
    ...dryRunFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Ls)
    const [{openEngine}, projects] = await Promise.all([import('../runtime/session.js'), import('../runtime/projects.js')])
    const session = openEngine()
    try {
      let list = await projects.listProjects(session.engine, {all: flags.all, signal: session.signal})
      if (flags.filter) {
        const [key, value] = flags.filter.split('=', 2)
        if (key !== 'name' || value === undefined) {
          const {UserInputError} = await import('../errors.js')
          throw new UserInputError('BAD_FILTER', `unknown filter "${flags.filter}" (supported: name=NAME)`)
        }
        list = list.filter((p) => p.Name.includes(value))
      }
      if (flags.quiet) {
        if (list.length > 0) process.stdout.write(list.map((p) => p.Name).join('\n') + '\n')
      } else if (flags.format === 'json') {
        process.stdout.write(JSON.stringify(list) + '\n')
      } else {
        process.stdout.write(projects.formatProjectsTable(list) + '\n')
      }
    } finally {
      await session.close()
    }
  }
}
