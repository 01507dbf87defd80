import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {projectFlags} from '../cli/project-flags.js'
import {UserInputError} from '../errors.js'

export default class Up extends BaseCommand {
  static override summary = 'Create and start the project\'s containers, networks and volumes.'
  static override description =
    'Converges the engine to the Compose file: observes what exists (by labels), plans, and applies the plan in dependency order. ' +
    'A container is recreated only when its configuration or image changed; a second `up -d` with nothing changed does nothing. ' +
    'Without -d, stays attached and streams the logs of every container until they all stop (Ctrl-C stops the project; press again to kill).'
  static override examples = [
    '<%= config.bin %> up -d',
    '<%= config.bin %> up -d --dry-run',
    '<%= config.bin %> up -d --scale web=3 web',
    '<%= config.bin %> up --abort-on-container-exit --exit-code-from tests',
  ]
  static override strict = false
  static override args = {
    service: Args.string({description: 'Only these services (and what they depend on).', required: false}),
  }
  static override flags = {
    ...projectFlags,
    detach: Flags.boolean({char: 'd', description: 'Run in the background: return once the containers are started.', default: false}),
    build: Flags.boolean({description: 'Build images before starting (--no-build: never build; a missing image is an error).', allowNo: true}),
    'force-recreate': Flags.boolean({description: 'Recreate containers even if nothing changed.', default: false, exclusive: ['no-recreate']}),
    'no-recreate': Flags.boolean({description: 'Never recreate existing containers.', default: false}),
    'no-deps': Flags.boolean({description: 'Do not start the services the named ones depend on.', default: false}),
    'no-start': Flags.boolean({description: 'Create the containers but do not start them.', default: false}),
    'remove-orphans': Flags.boolean({description: 'Remove containers of services that are not in the Compose file.', default: false}),
    scale: Flags.string({description: 'Number of containers for a service: SERVICE=NUM (repeatable; overrides scale: in the file).', multiple: true, multipleNonGreedy: true}),
    wait: Flags.boolean({description: 'Wait until the containers are running (and healthy when they have a healthcheck); implies -d.', default: false}),
    'wait-timeout': Flags.integer({description: 'With --wait: give up after this many seconds.', min: 1}),
    'abort-on-container-exit': Flags.boolean({description: 'Stop all containers when any container stops (attached mode).', default: false}),
    'exit-code-from': Flags.string({description: 'Exit with the exit code of this service\'s container; implies --abort-on-container-exit.'}),
    timeout: Flags.integer({char: 't', description: 'Seconds to wait for a container to stop before killing it (recreate, scale down, Ctrl-C).', min: 0}),
    attach: Flags.string({description: 'Show the logs of these services only (repeatable).', multiple: true, multipleNonGreedy: true}),
    'no-attach': Flags.string({description: 'Do not show the logs of these services (repeatable).', multiple: true, multipleNonGreedy: true}),
    'attach-dependencies': Flags.boolean({description: 'Also show the logs of the dependencies of the named services.', default: false}),
    'no-color': Flags.boolean({description: 'Monochrome log prefixes.', default: false}),
    'no-log-prefix': Flags.boolean({description: 'Do not prefix log lines with the container name.', default: false}),
    timestamps: Flags.boolean({description: 'Show timestamps in the logs.', default: false}),
    pull: Flags.string({description: 'Pull images: always, missing (default) or never.', options: ['always', 'missing', 'never']}),
    'dry-run': Flags.boolean({description: 'Print the plan (what would be created, recreated, started or removed, and why) and touch nothing.', default: false}),
    progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Up)
    const services = (argv as string[]).filter((s) => s !== '')
    const scale = parseScale(flags.scale ?? [])
    const detach = flags.detach || flags.wait || flags['dry-run']
    if (flags['exit-code-from'] && detach) throw new UserInputError('FLAG_CONFLICT', '--exit-code-from cannot be used with -d or --wait')
    if (flags['abort-on-container-exit'] && detach) throw new UserInputError('FLAG_CONFLICT', '--abort-on-container-exit cannot be used with -d or --wait')

    // While the project loads, the engine client negotiates its API version (a read-only ping):
    // the round trip overlaps the loader's work. Nothing that changes the engine happens before
    // the whole project has loaded and every container has been mapped (see converge).
    const clientReady = import('../engine/index.js').then(({EngineClient}) => {
      const c = EngineClient.fromEnvironment()
      c.apiVersion().catch(() => {})
      return c
    })
    clientReady.catch(() => {})
    let project
    try {
      const {loadProjectFromFlags} = await import('../cli/project-flags.js')
      project = (await loadProjectFromFlags(flags, this.config, {explicitServices: services.length > 0 ? services : undefined})).project
      if (!project) throw new UserInputError('NO_PROJECT', 'the Compose file did not produce a project')
      for (const name of [...Object.keys(scale), ...(flags.attach ?? []), ...(flags['no-attach'] ?? []), ...(flags['exit-code-from'] ? [flags['exit-code-from']] : [])]) {
        if (!project.services[name]) throw new UserInputError('NO_SUCH_SERVICE', `no such service: ${name}`, {hints: [`services: ${Object.keys(project.services).sort().join(', ')}`]})
      }
    } catch (error) {
      await (await clientReady.catch(() => undefined))?.destroy().catch(() => {})
      throw error
    }

    // Only what a detached up needs; the log and wait machinery loads when it is used.
    const [client, {converge}, {runtimeEngine}, {formatPlan, selectServices}, {createProgress, rowsOf}, {Interrupts}] = await Promise.all([
      clientReady,
      import('../runtime/converge.js'),
      import('../runtime/engine-adapter.js'),
      import('../runtime/plan.js'),
      import('../cli/progress.js'),
      import('../runtime/interrupts.js'),
    ])
    const interrupts = new Interrupts().install()
    const view = createProgress(flags.progress as 'auto')
    const warn = (m: string) => view.warn(m)
    const engine = runtimeEngine(client, warn)
    let exitCode: number | undefined
    try {
      // Until logs are attached, a second Ctrl-C exits at once; once attached, it kills the containers.
      let attachedStarted = false
      interrupts.onInterrupt((count) => {
        if (!attachedStarted && count >= 2) process.exit(130)
      })
      const outcome = await converge(engine, project, {
        services,
        noDeps: flags['no-deps'],
        forceRecreate: flags['force-recreate'],
        noRecreate: flags['no-recreate'],
        noStart: flags['no-start'],
        removeOrphans: flags['remove-orphans'],
        scale,
        pull: flags.pull as 'always' | 'missing' | 'never' | undefined,
        build: flags.build === true,
        noBuild: flags.build === false,
        dryRun: flags['dry-run'],
        timeout: flags.timeout,
        signal: interrupts.signal,
        progress: view.sink,
        warn,
        onPlan: (plan, _phase, untouched) => view.begin([...rowsOf(plan), ...untouched]),
      })
      await view.end()
      if (flags['dry-run']) {
        const text = [outcome.imagePlan.operations.length > 0 ? formatPlan(outcome.imagePlan) : '', formatPlan(outcome.plan)].join('')
        process.stdout.write(text)
        return
      }
      if (flags.wait && outcome.result) {
        const selected = new Set(selectServices(project, services, flags['no-deps']))
        const containers = Object.fromEntries(Object.entries(outcome.result.containers).filter(([s]) => selected.has(s)))
        view.begin(Object.values(containers).flat().map((c) => `Container ${c.name}`))
        const {waitForReady} = await import('../runtime/up.js')
        await waitForReady(engine, containers, {timeoutMs: flags['wait-timeout'] ? flags['wait-timeout'] * 1000 : undefined, signal: interrupts.signal, progress: view.sink})
        await view.end()
        return
      }
      if (detach || flags['no-start']) return

      // Attached: logs of the chosen services until everything stops.
      const {colorEnabled} = await import('../cli/output.js')
      let shown = flags.attach && flags.attach.length > 0 ? flags.attach : services.length > 0 && !flags['attach-dependencies'] ? services : selectServices(project, services, flags['no-deps'])
      // `attach: false` in the file hides a service's logs unless --attach names it.
      shown = shown.filter((s) => !(flags['no-attach'] ?? []).includes(s) && (project.services[s]?.attach !== false || (flags.attach ?? []).includes(s)))
      attachedStarted = true
      const {attached} = await import('../runtime/up.js')
      exitCode = await attached(client, engine, {
        project,
        services: shown,
        color: !flags['no-color'] && colorEnabled(process.stdout),
        prefix: !flags['no-log-prefix'],
        timestamps: flags.timestamps,
        out: process.stdout,
        abortOnContainerExit: flags['abort-on-container-exit'] || flags['exit-code-from'] !== undefined,
        exitCodeFrom: flags['exit-code-from'],
        timeout: flags.timeout,
        notice: (line) => process.stderr.write(`${line}\n`),
        interrupts,
      })
      if (interrupts.interrupted && exitCode === 0) exitCode = 130
    } finally {
      await view.end().catch(() => {})
      interrupts.dispose()
      await client.close().catch(() => {})
    }
    if (exitCode) process.exitCode = exitCode
  }
}

function parseScale(values: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const v of values) {
    const m = /^([^=]+)=(\d+)$/.exec(v)
    if (!m) throw new UserInputError('BAD_SCALE', `--scale "${v}": expected SERVICE=NUMBER`, {hints: ['for example --scale web=3']})
    out[m[1]] = Number(m[2])
  }
  return out
}
