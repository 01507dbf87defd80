/**
 * What start, stop, restart, kill, pause and unpause share: the project flags, service names as
 * arguments, one progress row per container, and a hand-off to src/runtime/lifecycle.ts. With
 * --dry-run: the steps on stdout (`#1 container:demo-web-1  stop  running`), no progress rows, an
 * engine that refuses anything but reads, and no `afterwards` step (start --wait).
 */
import {Args, Flags, type Config} from '@oclif/core'
import type {ProgressMode, ProgressView} from './progress.js'
import {projectFlags, projectOptionsFromFlags, type ProjectFlagValues} from './project-flags.js'
import type {LifecycleOptions, LifecycleVerb} from '../runtime/lifecycle.js'
import type {Session} from '../runtime/session.js'

export const lifecycleArgs = {service: Args.string({description: 'Only these services.', required: false})}

export const lifecycleFlags = {
  ...projectFlags,
  progress: Flags.string({description: 'Progress output.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
}

export async function runLifecycleCommand(
  config: Config,
  verb: LifecycleVerb,
  argv: unknown[],
  flags: ProjectFlagValues & {progress: string},
  options: Pick<LifecycleOptions, 'timeout' | 'killSignal' | 'restartDependents' | 'removeOrphans'> = {},
  /** A step after the verb, with the same session and progress rows (start --wait). */
  afterwards?: (session: Session, view: ProgressView, services: string[]) => Promise<void>,
): Promise<void> {
  const services = (argv as string[]).filter((s) => s !== '')
  const [{openSession}, {runLifecycle}, {createProgress}] = await Promise.all([import('../runtime/session.js'), import('../runtime/lifecycle.js'), import('./progress.js')])
  const session = await openSession({load: projectOptionsFromFlags(flags, config), services, labelsOnly: true})
  if (flags['dry-run']) {
    try {
      await printLifecyclePlan(session, verb, {...options, services})
    } finally {
      await session.close()
    }
    return
  }
  const view = createProgress(flags.progress as ProgressMode)
  try {
    await runLifecycle(session.engine, session.ref, verb, {
      ...options,
      services,
      signal: session.signal,
      onTargets: (names) => view.begin(names.map((n) => `Container ${n}`)),
      report: (e) => view.sink({resource: `Container ${e.container}`, status: e.status}),
    })
    await afterwards?.(session, view, services)
  } finally {
    await view.end()
    await session.close()
  }
}

/** --dry-run: the steps the verb would take, on stdout; nothing is changed. The caller closes the session. */
export async function printLifecyclePlan(session: Session, verb: LifecycleVerb, options: LifecycleOptions): Promise<void> {
  const [{planLifecycle}, {formatSteps, readOnlyEngine}] = await Promise.all([import('../runtime/lifecycle.js'), import('../runtime/dry-run.js')])
  const steps = await planLifecycle(readOnlyEngine(session.engine), session.ref, verb, {...options, signal: session.signal})
  process.stdout.write(formatSteps(steps, `no container to ${verb === 'rm' ? 'remove' : verb}`))
}
