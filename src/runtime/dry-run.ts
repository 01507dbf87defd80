/**
 * --dry-run for the commands whose actions a Plan (plan.ts) has no operation for: stop, kill,
 * pause, push, cp, exec, ... Each prints its steps in the layout `up --dry-run` prints a plan in,
 *
 *   #1 container:demo-web-1  stop  running
 *   #2 container:demo-db-1   stop  running
 *
 * on stdout, or one `nothing to do: ...` line. What a step needs is found with read-only engine
 * calls only; readOnlyEngine makes that a rule a slip cannot break.
 */
import type {EngineClient, EngineRequest} from '../engine/client.js'
import {BerthError} from '../errors.js'

/** One action a command would take: on what, what, and why (or with what). */
export interface DryRunStep {
  /** `container:demo-web-1`, `image:app:1` (as formatPlan names resources). */
  resource: string
  action: string
  cause: string
}

/** The steps, numbered, columns aligned as formatPlan aligns them; `nothing to do: <nothing>` when there are none. */
export function formatSteps(steps: readonly DryRunStep[], nothing: string): string {
  if (steps.length === 0) return `nothing to do: ${nothing}\n`
  const rows = steps.map((s, i) => ({n: `#${i + 1}`, ...s}))
  const wn = Math.max(...rows.map((r) => r.n.length))
  const wr = Math.max(...rows.map((r) => r.resource.length))
  const wa = Math.max(...rows.map((r) => r.action.length))
  return rows.map((r) => `${r.n.padEnd(wn)} ${r.resource.padEnd(wr)}  ${r.action.padEnd(wa)}  ${r.cause}`.trimEnd()).join('\n') + '\n'
}

/** A request a dry run must not make: a bug in Berth, never the user's doing. */
export class DryRunWriteError extends BerthError {
  constructor(what: string) {
    super('DRY_RUN_WRITE', `--dry-run: refused to send ${what} to the engine (it would change something); this is a bug in Berth`)
  }
}

/**
 * The client, answering only requests that read (GET, HEAD): anything else, and any hijacked
 * connection (attach, interactive exec), fails with DryRunWriteError before it leaves the process.
 */
export function readOnlyEngine(client: EngineClient): EngineClient {
  const request = client.request.bind(client)
  client.request = async (req: EngineRequest) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new DryRunWriteError(`${req.method} ${req.path}`)
    return request(req)
  }
  client.hijack = async (req) => {
    throw new DryRunWriteError(`POST ${req.path}`)
  }
  return client
}

/** A build as `build` plans it (src/build/compose.ts planServiceBuilds), as much as a step shows. */
export interface PlannedBuild {
  services: string[]
  options: {tags?: string[]; noCache?: boolean; pull?: boolean; target?: string}
}

/** `build --dry-run`: one step per image build, named by its first tag. */
export function buildSteps(builds: readonly PlannedBuild[]): DryRunStep[] {
  return builds.map((b) => {
    const [image = '', ...more] = b.options.tags ?? []
    const causes = [`service${b.services.length > 1 ? 's' : ''} ${b.services.join(', ')}`]
    if (b.options.target) causes.push(`target ${b.options.target}`)
    if (more.length > 0) causes.push(`also tagged ${more.join(', ')}`)
    if (b.options.noCache) causes.push('no cache')
    if (b.options.pull) causes.push('pulls base images')
    return {resource: `image:${image}`, action: 'build', cause: causes.join('; ')}
  })
}
