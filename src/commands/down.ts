import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags} from '../cli/project-flags.js'
import type {Project} from '../compose/types.js'
import {BerthError} from '../errors.js'

export default class Down extends BaseCommand {
  static override summary = 'Stop and remove the project\'s containers and networks (and with -v its volumes).'
  static override description =
    'Removes what `up` made, in reverse dependency order. Named volumes survive unless -v, and external networks and volumes are never touched. ' +
    'Works from the engine\'s labels alone with `-p NAME` when there is no Compose file.'
  static override examples = ['<%= config.bin %> down', '<%= config.bin %> down -v -t 0', '<%= config.bin %> down -p demo --dry-run']
  static override strict = false
  static override args = {
    service: Args.string({description: 'Only these services\' containers.', required: false}),
  }
  static override flags = {
    ...projectFlags,
    volumes: Flags.boolean({char: 'v', description: 'Also remove the named volumes declared by the project and anonymous volumes of its containers.', default: false}),
    rmi: Flags.string({description: 'Remove images: local (built for the project, no custom tag) or all.', options: ['local', 'all']}),
    'remove-orphans': Flags.boolean({description: 'Remove containers of services that are not in the Compose file.', default: false}),
    timeout: Flags.integer({char: 't', description: 'Seconds to wait for a container to stop before killing it.', min: 0}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Down)
    const services = (argv as string[]).filter((s) => s !== '')
    const {loadProjectFromFlags} = await import('../cli/project-flags.js')
    let project: Project | undefined
    let name: string
    try {
      const loaded = await loadProjectFromFlags(flags, this.config)
      project = loaded.project
      name = loaded.name
    } catch (error) {
      // `down -p NAME` needs no Compose file: the labels say what belongs to the project.
      if (!(error instanceof BerthError) || error.code !== 'COMPOSE_FILE_NOT_FOUND' || !flags['project-name'] || flags.file) throw error
      const {normalizeProjectName} = await import('../compose/index.js')
      name = normalizeProjectName(flags['project-name'])
    }

    const [{EngineClient}, {down}, {runtimeEngine}, {formatPlan}, {createProgress, rowsOf}, {Interrupts}] = await Promise.all([
      import('../engine/index.js'),
      import('../runtime/down.js'),
      import('../runtime/engine-adapter.js'),
      import('../runtime/plan.js'),
      import('../cli/progress.js'),
      import('../runtime/interrupts.js'),
    ])
    const interrupts = new Interrupts().install()
    interrupts.onInterrupt((count) => {
      if (count >= 2) process.exit(130)
    })
    const client = EngineClient.fromEnvironment()
    const view = createProgress(flags.progress as 'auto')
    const engine = runtimeEngine(client, (m) => view.warn(m))
    try {
      const plan = await down(engine, name, project, {
        volumes: flags.volumes,
        rmi: flags.rmi as 'local' | 'all' | undefined,
        removeOrphans: flags['remove-orphans'],
        services: services.length > 0 ? services : undefined,
        timeout: flags.timeout,
        dryRun: flags['dry-run'],
        signal: interrupts.signal,
        progress: view.sink,
        warn: (m) => view.warn(m),
        onPlan: (p) => view.begin(rowsOf(p)),
      })
      await view.end()
      if (flags['dry-run']) process.stdout.write(formatPlan(plan))
      else if (plan.operations.length === 0 && flags.progress !== 'quiet') process.stderr.write(`nothing to remove for project "${name}"\n`)
    } finally {
      await view.end().catch(() => {})
      interrupts.dispose()
      await client.close().catch(() => {})
    }
  }
}
