import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {checkFlags, convergeFlags, imageOptions, parseScale} from '../cli/converge-flags.js'
import {projectFlags} from '../cli/project-flags.js'

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
    '<%= config.bin %> up -d --always-recreate-deps web',
    '<%= config.bin %> up --abort-on-container-exit --exit-code-from tests',
    '<%= config.bin %> up --watch',
  ]
  static override strict = false
  static override args = {
    service: Args.string({description: 'Only these services (and what they depend on).', required: false}),
  }
  static override flags = {
    ...projectFlags,
    detach: Flags.boolean({char: 'd', description: 'Run in the background: return once the containers are started.', default: false}),
    ...convergeFlags,
    build: Flags.boolean({description: 'Build images before starting containers.', default: false}),
    'always-recreate-deps': Flags.boolean({description: 'Recreate the dependencies of the named services even if nothing changed. Incompatible with --no-recreate.', default: false}),
    'renew-anon-volumes': Flags.boolean({char: 'V', description: 'Recreate containers with new anonymous volumes instead of the previous containers\' data. Incompatible with --no-recreate.', default: false}),
    'no-deps': Flags.boolean({description: 'Do not start the services the named ones depend on.', default: false}),
    'no-start': Flags.boolean({description: 'Create the containers but do not start them (what `create` does).', default: false}),
    'quiet-build': Flags.boolean({description: 'Build without printing the build output.', default: false}),
    wait: Flags.boolean({description: 'Wait until the containers are running (and healthy when they have a healthcheck); implies -d.', default: false}),
    'wait-timeout': Flags.integer({description: 'With --wait: give up after this many seconds.', min: 1}),
    'abort-on-container-exit': Flags.boolean({description: 'Stop all containers when any container stops. Incompatible with -d.', default: false}),
    'abort-on-container-failure': Flags.boolean({description: 'Stop all containers when any container exits with a non-zero code. Incompatible with -d.', default: false}),
    'exit-code-from': Flags.string({description: 'Exit with the exit code of this service\'s container; implies --abort-on-container-exit (unless --abort-on-container-failure is given).'}),
    timeout: Flags.integer({char: 't', description: 'Seconds to wait for a container to stop before killing it (recreate, scale down, Ctrl-C).', min: 0}),
    attach: Flags.string({description: 'Show the logs of these services only (repeatable). Incompatible with --attach-dependencies.', multiple: true, multipleNonGreedy: true}),
    'no-attach': Flags.string({description: 'Do not show the logs of these services (repeatable).', multiple: true, multipleNonGreedy: true}),
    'attach-dependencies': Flags.boolean({description: 'Also show the logs of the dependencies of the named services.', default: false}),
    'no-color': Flags.boolean({description: 'Monochrome log prefixes.', default: false}),
    'no-log-prefix': Flags.boolean({description: 'Do not prefix log lines with the container name.', default: false}),
    timestamps: Flags.boolean({description: 'Show timestamps in the logs.', default: false}),
    watch: Flags.boolean({char: 'w', description: 'Watch the develop.watch paths and sync, restart or rebuild services when files change (see `watch`). Incompatible with -d.', default: false}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Up)
    const services = (argv as string[]).filter((s) => s !== '')
    checkFlags(flags)
    const scale = parseScale(flags.scale ?? [])
    const noStart = flags['no-start']
    const detach = flags.detach || flags.wait || flags['dry-run'] || noStart

    const [{runConverge}, watch] = await Promise.all([import('../cli/converge-command.js'), flags.watch ? import('../runtime/watch/index.js') : undefined])
    // --watch: every develop.watch rule is checked with the project, before the first engine call;
    // the watched services that have build: are built again, as `watch` does.
    const prepare = watch
      ? (project: import('../compose/types.js').Project) => {
          const rules = watch.rulesFor(project, services, (m) => process.stderr.write(`${m}\n`))
          return watch.withBuildPolicy(project, [...new Set(rules.map((r) => r.service))].filter((s) => project.services[s].build))
        }
      : undefined
    await runConverge(
      this.config,
      flags,
      {
        services,
        mentioned: [...Object.keys(scale), ...(flags.attach ?? []), ...(flags['no-attach'] ?? []), ...(flags['exit-code-from'] ? [flags['exit-code-from']] : [])],
        progress: flags.progress,
        dryRun: flags['dry-run'],
        prepare,
        options: {
          ...imageOptions(flags),
          noDeps: flags['no-deps'],
          forceRecreate: flags['force-recreate'],
          noRecreate: flags['no-recreate'],
          alwaysRecreateDeps: flags['always-recreate-deps'],
          renewAnonVolumes: flags['renew-anon-volumes'],
          noStart,
          removeOrphans: flags['remove-orphans'],
          scale,
          quietPull: flags['quiet-pull'],
          quietBuild: flags['quiet-build'],
          timeout: flags.timeout,
        },
      },
      async ({client, engine, project, outcome, view, interrupts, handOver}) => {
        if (flags.wait && !noStart && outcome.result) {
          const {selectServices} = await import('../runtime/plan.js')
          const selected = new Set(selectServices(project, services, flags['no-deps']))
          const containers = Object.fromEntries(Object.entries(outcome.result.containers).filter(([s]) => selected.has(s)))
          view.begin(Object.values(containers).flat().map((c) => `Container ${c.name}`))
          const {waitForReady} = await import('../runtime/ready.js')
          await waitForReady(engine, containers, {timeoutMs: flags['wait-timeout'] ? flags['wait-timeout'] * 1000 : undefined, signal: interrupts.signal, progress: view.sink})
          await view.end()
          return undefined
        }
        if (detach) return undefined

        // Attached: logs of the chosen services until everything stops.
        const [{colorEnabled}, {selectServices}, {attached}] = await Promise.all([import('../cli/output.js'), import('../runtime/plan.js'), import('../runtime/up.js')])
        let shown = flags.attach && flags.attach.length > 0 ? flags.attach : services.length > 0 && !flags['attach-dependencies'] ? services : selectServices(project, services, flags['no-deps'])
        // `attach: false` in the file hides a service's logs unless --attach names it.
        shown = shown.filter((s) => !(flags['no-attach'] ?? []).includes(s) && (project.services[s]?.attach !== false || (flags.attach ?? []).includes(s)))
        handOver()
        const watching = watch ? startWatch({client, engine, project, services, progress: flags.progress, signal: interrupts.signal}) : undefined
        const exitCode = await attached(client, engine, {
          project,
          services: shown,
          color: !flags['no-color'] && colorEnabled(process.stdout),
          prefix: !flags['no-log-prefix'],
          timestamps: flags.timestamps,
          out: process.stdout,
          // --exit-code-from implies --abort-on-container-exit, unless --abort-on-container-failure is given.
          abortOnContainerExit: flags['abort-on-container-exit'] || (flags['exit-code-from'] !== undefined && !flags['abort-on-container-failure']),
          abortOnContainerFailure: flags['abort-on-container-failure'],
          exitCodeFrom: flags['exit-code-from'],
          timeout: flags.timeout,
          notice: (line) => process.stderr.write(`${line}\n`),
          interrupts,
        })
        await watching?.stop()
        return interrupts.interrupted && exitCode === 0 ? 130 : exitCode
      },
    )
  }
}

/** `up --watch`: watches next to the attached logs until they end (the project stopped, or Ctrl-C). */
function startWatch(
  o: {client: import('../engine/client.js').EngineClient; engine: import('../runtime/engine-port.js').RuntimeEngine; project: import('../compose/types.js').Project; services: string[]; progress: string; signal: AbortSignal},
): {stop(): Promise<void>} {
  const controller = new AbortController()
  const stopOnInterrupt = () => controller.abort()
  o.signal.addEventListener('abort', stopOnInterrupt, {once: true})
  const done = import('../cli/watch-terminal.js')
    .then(({watchOnTerminal}) => watchOnTerminal({...o, warn: (m) => process.stderr.write(`${m}\n`), signal: controller.signal}))
    .catch((error: unknown) => process.stderr.write(`watch: ${(error as Error).message}\n`))
  return {
    async stop() {
      o.signal.removeEventListener('abort', stopOnInterrupt)
      controller.abort()
      await done
    },
  }
}
