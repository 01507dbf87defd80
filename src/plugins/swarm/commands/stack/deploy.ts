import {Args, BerthCommand, Flags} from '../../../sdk/index.js'
import {requireStack} from '../../args.js'

export default class StackDeploy extends BerthCommand {
  static override summary = 'Deploy a new stack or update an existing stack (docker stack deploy).'
  static override description = `Loads the Compose files (the same interpolation and checks as every Berth command), then on the
swarm manager DOCKER_HOST points at: creates the stack's overlay networks, secrets and configs
(named <stack>_<name>), creates each new service and updates each changed one. Services whose spec
is unchanged are left alone. Options a swarm service cannot express are named in one warning.`

  static override aliases = ['stack:up']
  static override examples = [
    '<%= config.bin %> stack deploy -c compose.yaml web',
    '<%= config.bin %> stack deploy -c compose.yaml -c compose.prod.yaml --prune web',
    '<%= config.bin %> stack deploy -c compose.yaml --resolve-image never web',
  ]

  static override args = {stack: Args.string({description: 'Stack name.'})}

  static override flags = {
    'compose-file': Flags.string({char: 'c', multiple: true, multipleNonGreedy: true, description: 'Path to a Compose file, or "-" to read from stdin (repeatable; default: compose.yaml here).'}),
    prune: Flags.boolean({description: 'Prune services that are no longer referenced.', default: false}),
    'resolve-image': Flags.string({
      description: 'Pin images to the digest their local copy got from its registry: always, only when the image changed, or never (no registry is asked).',
      options: ['always', 'changed', 'never'],
      default: 'always',
    }),
    'with-registry-auth': Flags.boolean({description: 'Send registry authentication details to swarm agents.', default: false}),
    quiet: Flags.boolean({char: 'q', description: 'Suppress progress output.', default: false}),
    detach: Flags.boolean({char: 'd', description: 'Exit at once instead of waiting for the services to converge (--no-detach waits).', default: true, allowNo: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(StackDeploy)
    const stack = await requireStack(args.stack, 'berth stack deploy -c compose.yaml STACK')
    const [{checkStackName}, {loadProject}, {runStackDeploy}, {interruptSignal}] = await Promise.all([
      import('../../convert/stack.js'),
      import('../../../sdk/index.js'),
      import('../../run.js'),
      import('../../session.js'),
    ])
    checkStackName(stack)
    const project = await loadProject(this.config, {file: flags['compose-file'], 'project-name': stack})
    const interrupt = interruptSignal()
    try {
      await runStackDeploy(project, stack, {
        prune: flags.prune,
        resolveImage: flags['resolve-image'] as 'always' | 'changed' | 'never',
        withRegistryAuth: flags['with-registry-auth'],
        wait: !flags.detach,
        signal: interrupt.signal,
        report: (line) => {
          if (!flags.quiet) process.stdout.write(line + '\n')
        },
        warn: (message) => process.stderr.write(`warning: ${message}\n`),
        debug: this.debugMode ? (message) => process.stderr.write(`debug: ${message}\n`) : undefined,
      })
    } finally {
      interrupt.dispose()
    }
  }
}
