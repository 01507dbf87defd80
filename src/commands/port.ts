import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'

export default class Port extends BaseCommand {
  static override summary = 'Print the public address a service port is published on.'
  static override examples = ['<%= config.bin %> port web 80', '<%= config.bin %> port --protocol udp --index 2 dns 53']
  static override args = {
    service: Args.string({description: 'The service.', required: true}),
    privatePort: Args.string({description: 'The container port.', required: true}),
  }
  static override flags = {
    ...projectFlags,
    protocol: Flags.string({description: 'Protocol.', options: ['tcp', 'udp', 'sctp'], default: 'tcp'}),
    index: Flags.integer({description: 'Which container of the service (1-based).', min: 1}),
  }

  async run(): Promise<void> {
    const {flags, args} = await this.parse(Port)
    const privatePort = Number(args.privatePort)
    if (!Number.isInteger(privatePort) || privatePort < 1 || privatePort > 65535) throw new UserInputError('BAD_PORT', `"${args.privatePort}" is not a port number`)
    const [{openSession}, {publicPort}] = await Promise.all([import('../runtime/session.js'), import('../runtime/port.js')])
    const session = await openSession({load: projectOptionsFromFlags(flags, this.config), services: [args.service], labelsOnly: true})
    try {
      const address = await publicPort(session.engine, session.ref, {service: args.service, privatePort, protocol: flags.protocol, index: flags.index, signal: session.signal})
      process.stdout.write(address + '\n')
    } finally {
      await session.close()
    }
  }
}
