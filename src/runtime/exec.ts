/**
 * `exec`: run a command in a running service container (`--index`, default the first), attached
 * over a hijacked connection with a TTY when asked, or detached. Resolves with the exit code of
 * the command, which `berth exec` exits with. planExec is its --dry-run.
 */
import type {EngineClient} from '../engine/client.js'
import type {ContainerSummary} from '../engine/types.js'
import {attachIo, type TerminalStreams} from './attach-io.js'
import type {DryRunStep} from './dry-run.js'
import {NoContainerError, checkServices, containerNumber, nameOf, projectContainers, type ProjectRef} from './select.js'

export interface ExecOptions {
  service: string
  command: string[]
  /** --index: which replica (1-based); default the first running one. */
  index?: number
  detach?: boolean
  /** Allocate a TTY (default when stdin is a terminal; -T turns it off). */
  tty: boolean
  /** Attach stdin (always on for compose exec unless detached). */
  interactive: boolean
  env?: string[]
  user?: string
  workdir?: string
  privileged?: boolean
  streams: TerminalStreams
  signal?: AbortSignal
}

/** The running container of a service at an index (default: the lowest number). */
export async function serviceContainer(engine: EngineClient, ref: ProjectRef, service: string, index: number | undefined, signal?: AbortSignal): Promise<ContainerSummary> {
  if (ref.project) checkServices(ref, [service])
  const running = await projectContainers(engine, ref.name, {services: [service], signal})
  if (running.length === 0) {
    if (!ref.project) {
      const all = await projectContainers(engine, ref.name, {all: true, signal})
      checkServices(ref, [service], all)
    }
    throw new NoContainerError(`service "${service}" is not running`, [`start it with \`berth up -d ${service}\``])
  }
  if (index === undefined) return running[0]
  const found = running.find((c) => containerNumber(c) === index)
  if (!found) throw new NoContainerError(`service "${service}" has no running container with index ${index} (running: ${running.map(containerNumber).join(', ')})`)
  return found
}

/**
 * --dry-run: the container the command would run in (found, and checked to be running, as for a
 * real exec) and the command; nothing runs.
 */
export async function planExec(engine: EngineClient, ref: ProjectRef, options: Omit<ExecOptions, 'streams' | 'tty' | 'interactive'>): Promise<DryRunStep[]> {
  const container = await serviceContainer(engine, ref, options.service, options.index, options.signal)
  const extras = [options.user !== undefined && `as ${options.user}`, options.workdir !== undefined && `in ${options.workdir}`, options.privileged && 'privileged'].filter((x): x is string => typeof x === 'string')
  return [{resource: `container:${nameOf(container)}`, action: options.detach ? 'exec -d' : 'exec', cause: `${commandText(options.command)}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`}]
}

/** A command as a shell would take it back: a word with anything but plain characters in single quotes. */
export function commandText(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ')
}

export async function execInService(engine: EngineClient, ref: ProjectRef, options: ExecOptions): Promise<number> {
  const container = await serviceContainer(engine, ref, options.service, options.index, options.signal)
  const attach = !options.detach
  const {Id: execId} = await engine.exec.create(
    container.Id,
    {
      Cmd: options.command,
      AttachStdin: attach && options.interactive,
      AttachStdout: attach,
      AttachStderr: attach,
      Tty: options.tty,
      Env: options.env && options.env.length > 0 ? options.env : undefined,
      User: options.user,
      WorkingDir: options.workdir,
      Privileged: options.privileged,
    },
    {signal: options.signal},
  )
  if (!attach) {
    await engine.exec.startDetached(execId, {tty: options.tty, signal: options.signal})
    return 0
  }
  const hijacked = await engine.exec.start(execId, {tty: options.tty, signal: options.signal})
  await attachIo({
    socket: hijacked.socket,
    tty: options.tty,
    stdin: options.interactive,
    streams: options.streams,
    resize: (size) => engine.exec.resize(execId, size),
  })
  // The output can end a moment before the engine records the exit code.
  for (let attempt = 0; ; attempt++) {
    const info = await engine.exec.inspect(execId, {signal: options.signal})
    if (!info.Running || attempt >= 50) return info.ExitCode ?? 0
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
