import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags, projectOptionsFromFlags} from '../cli/project-flags.js'

export default class Attach extends BaseCommand {
  static override summary = "Attach the terminal to a service's running container: its output, and its stdin when it keeps one open."
  static override description =
    'Without a TTY, signals are passed on to the container (--no-sig-proxy: Ctrl-C detaches instead). With a TTY, the detach keys (default ctrl-p,ctrl-q) leave the container running. Exits with the container\'s exit code when it stops.'
  static override examples = ['<%= config.bin %> attach web', '<%= config.bin %> attach --index 2 --no-stdin worker', '<%= config.bin %> attach --detach-keys ctrl-a,x shell']
  static override args = {service: Args.string({description: 'The service.', required: true})}
  static override flags = {
    ...projectFlags,
    index: Flags.integer({description: 'Which container of the service (1-based).', min: 1}),
    'no-stdin': Flags.boolean({description: 'Do not attach stdin.', default: false}),
    'sig-proxy': Flags.boolean({description: 'Pass the signals Berth receives on to the container (without a TTY).', default: true, allowNo: true}),
    'detach-keys': Flags.string({description: 'The key sequence that detaches (default ctrl-p,ctrl-q).'}),
  }

  async run(): Promise<void> {
    const {normalizeBoolFlags} = await import('../runtime/bool-flags.js')
    const {flags, args} = await this.parse(Attach, normalizeBoolFlags(this.argv, {'sig-proxy': undefined, 'no-stdin': undefined}))
    if ((flags as {'dry-run'?: boolean})['dry-run'] === true) {
      const {UserInputError} = await import('../errors.js')
      throw new UserInputError('DRY_RUN_UNSUPPORTED', 'attach does not support --dry-run: it would pass your input and signals to the container', {hints: ['`berth ps` shows what is running; `berth logs -f SERVICE` follows its output without attaching']})
    }
    const [{projectRef}, {attachToService, parseDetachKeys}, {EngineClient}] = await Promise.all([import('../runtime/session.js'), import('../runtime/attach.js'), import('../engine/client.js')])
    if (flags['detach-keys'] !== undefined) parseDetachKeys(flags['detach-keys'])
    const ref = await projectRef({load: projectOptionsFromFlags(flags, this.config), services: [args.service], labelsOnly: true})
    // No Ctrl-C cancellation here: attach decides what Ctrl-C means (passed on, or detach).
    const engine = EngineClient.fromEnvironment()
    let code: number
    try {
      code = await attachToService(engine, ref, {
        service: args.service,
        index: flags.index,
        noStdin: flags['no-stdin'],
        sigProxy: flags['sig-proxy'],
        detachKeys: flags['detach-keys'],
        streams: {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr},
        notice: (line) => process.stderr.write(line + '\n'),
      })
    } finally {
      await engine.close().catch(() => undefined)
    }
    process.exitCode = code
  }
}
