import {BerthCommand, Flags} from '../../../sdk/index.js'
import {requireStack} from '../../args.js'

export default class StackRm extends BerthCommand {
  static override summary = 'Remove one or more stacks (docker stack rm).'
  static override description = "Removes the stack's services, then its secrets, configs and networks. Named volumes stay, as with docker stack rm."
  static override aliases = ['stack:remove', 'stack:down']
  static override examples = ['<%= config.bin %> stack rm web', '<%= config.bin %> stack rm web api']
  static override strict = false
  static override usage = 'stack rm STACK [STACK...]'
  static override flags = {
    detach: Flags.boolean({char: 'd', description: 'Do not wait for the removal (the default; accepted for docker stack rm).', default: true, allowNo: true}),
  }

  async run(): Promise<void> {
    const {argv} = await this.parse(StackRm)
    const stacks = argv.map(String)
    await requireStack(stacks[0], 'berth stack rm STACK [STACK...]')
    const [{runStackRemove}, {interruptSignal}] = await Promise.all([import('../../run.js'), import('../../session.js')])
    const interrupt = interruptSignal()
    try {
      await runStackRemove(stacks, {
        signal: interrupt.signal,
        report: (line) => process.stdout.write(line + '\n'),
        warn: (message) => process.stderr.write(message + '\n'),
      })
    } finally {
      interrupt.dispose()
    }
  }
}
