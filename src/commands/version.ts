import {BaseCommand} from '../cli/base-command.js'

export default class Version extends BaseCommand {
  static override summary = 'Show the Berth version.'

  async run(): Promise<void> {
    this.log(`berth ${this.config.version} (node ${process.version})`)
  }
}
