/**
 * `export SERVICE`: a service container's whole filesystem as a tar archive, to a file (`-o`,
 * written beside it under a temporary name and renamed when complete, mode 0600 as docker
 * writes it) or to stdout when that is not a terminal. Unlike docker compose, a stopped container
 * can be exported too (the engine allows it; `docker export` does).
 */
import {randomBytes} from 'node:crypto'
import {createWriteStream} from 'node:fs'
import {rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {pipeline} from 'node:stream/promises'
import type {EngineClient} from '../engine/client.js'
import type {ContainerSummary} from '../engine/types.js'
import {exportContainer} from '../engine/resources/export.js'
import {UserInputError} from '../errors.js'
import {NoContainerError, checkServices, containerNumber, nameOf, projectContainers, type ProjectRef} from './select.js'

/**
 * A service's container in any state (`--index N`, else the lowest-numbered running one, else the
 * lowest-numbered one): for commands that work on stopped containers too (export, commit).
 */
export async function anyServiceContainer(engine: EngineClient, ref: ProjectRef, service: string, index: number | undefined, signal?: AbortSignal): Promise<ContainerSummary> {
  if (ref.project) checkServices(ref, [service])
  const containers = await projectContainers(engine, ref.name, {all: true, services: [service], signal})
  if (containers.length === 0) {
    if (!ref.project) checkServices(ref, [service], await projectContainers(engine, ref.name, {all: true, signal}))
    throw new NoContainerError(`service "${service}" has no container`, [`create it with \`berth up -d ${service}\``])
  }
  if (index !== undefined) {
    const found = containers.find((c) => containerNumber(c) === index)
    if (!found) throw new NoContainerError(`service "${service}" has no container with index ${index} (containers: ${containers.map(containerNumber).join(', ')})`)
    return found
  }
  return containers.find((c) => c.State === 'running') ?? containers[0]
}

/** Checks where the archive goes, before any engine call. */
export async function checkExportTarget(output: string | undefined, stdout: {isTTY?: boolean}): Promise<void> {
  if (output === undefined || output === '-') {
    if (stdout.isTTY) throw new UserInputError('TTY_OUTPUT', 'refusing to write a tar archive to a terminal', {hints: ['write it to a file with -o FILE, or redirect stdout']})
    return
  }
  if (output === '') throw new UserInputError('BAD_OUTPUT', '-o needs a file name')
  const dir = dirname(resolve(output))
  const info = await stat(dir).catch(() => undefined)
  if (!info?.isDirectory()) throw new UserInputError('BAD_OUTPUT', `cannot write ${output}: directory "${dir}" does not exist`)
  const target = await stat(output).catch(() => undefined)
  if (target?.isDirectory()) throw new UserInputError('BAD_OUTPUT', `cannot write ${output}: it is a directory`)
}

export interface ExportOptions {
  service: string
  index?: number
  /** A file, or stdout when undefined or "-". */
  output?: string
  stdout: NodeJS.WritableStream & {isTTY?: boolean}
  signal?: AbortSignal
}

/** Writes the archive; resolves with the container's name. */
export async function exportService(engine: EngineClient, ref: ProjectRef, options: ExportOptions): Promise<string> {
  await checkExportTarget(options.output, options.stdout)
  const container = await anyServiceContainer(engine, ref, options.service, options.index, options.signal)
  const tar = await exportContainer(engine, container.Id, {signal: options.signal})
  const name = nameOf(container)
  if (options.output === undefined || options.output === '-') {
    try {
      await pipeline(tar, options.stdout, {end: false})
    } catch (error) {
      // The reader went away (`| head`): not Berth's failure.
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error
      tar.destroy()
    }
    return name
  }
  const target = resolve(options.output)
  const temporary = join(dirname(target), `.${basename(target)}.berth-${randomBytes(4).toString('hex')}`)
  try {
    await pipeline(tar, createWriteStream(temporary, {mode: 0o600, flags: 'wx'}))
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, {force: true})
    throw error
  }
  return name
}

/** --dry-run: the step an export would take, in the layout of `up --dry-run`; nothing is written. */
export async function planExport(engine: EngineClient, ref: ProjectRef, options: Omit<ExportOptions, 'stdout'>): Promise<string> {
  const container = await anyServiceContainer(engine, ref, options.service, options.index, options.signal)
  const to = options.output === undefined || options.output === '-' ? 'stdout' : options.output
  return `#1 container:${nameOf(container)}  export  to ${to}\n`
}
