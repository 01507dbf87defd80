/**
 * `wait SERVICE...`: block until the selected containers stop; each exit is printed as docker
 * compose prints it, and the exit code is that of the first container to stop. As in docker
 * compose, a container that has already stopped counts (it answers at once with its exit code),
 * one-off containers too. With
 * `downProject`, the project is taken down afterwards (through the same `down` as the command).
 */
import type {EngineClient} from '../engine/client.js'
import {NoContainerError, checkServices, projectContainers, type ProjectRef} from './select.js'

export interface WaitOptions {
  services?: readonly string[]
  /** Called as each container exits: `container "<id>" exited with status code N`. */
  report?: (line: string) => void
  signal?: AbortSignal
}

export async function waitForServices(engine: EngineClient, ref: ProjectRef, options: WaitOptions = {}): Promise<number> {
  const services = options.services ?? []
  if (ref.project) checkServices(ref, services)
  const containers = await projectContainers(engine, ref.name, {services, all: true, oneoff: true, signal: options.signal})
  if (containers.length === 0) throw new NoContainerError(`no containers for project "${ref.name}"${services.length > 0 ? ` (services: ${services.join(', ')})` : ''}`)
  let first: number | undefined
  await Promise.all(
    containers.map(async (c) => {
      const result = await engine.containers.wait(c.Id, {signal: options.signal})
      first ??= result.StatusCode
      options.report?.(`container "${c.Id}" exited with status code ${result.StatusCode}`)
    }),
  )
  return first ?? 0
}
