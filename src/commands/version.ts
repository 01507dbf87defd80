import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'

export default class Version extends BaseCommand {
  static override summary = 'Show the Berth version.'
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --short', '<%= config.bin %> version --format json']
  static override flags = {
    format: Flags.string({char: 'f', description: 'Output format.', options: ['pretty', 'json'], default: 'pretty'}),
    short: Flags.boolean({description: 'Only the version number.', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Version)
    const version = this.config.version
    // As in docker compose, --short wins over --format.
    if (flags.short) this.log(version)
    else if (flags.format === 'json') this.log(JSON.stringify({version}))
    else this.log(`berth ${version} (node ${process.version})`)
  }
}
