/**
 * The bodies of `berth deploy`, `berth deploy remove` and `berth deploy status`: registry ->
 * target and options checked -> project loaded and passed through plugins' hooks -> target.
 * An unknown target or bad option is reported before the Compose file is even read.
 */
import type {Command} from '@oclif/core'
import {loadProjectFromFlags, type ProjectFlagValues} from '../../cli/project-flags.js'
import type {Project} from '../../compose/types.js'
import {UserInputError} from '../../errors.js'
import {interruptSignal} from '../../runtime/interrupts.js'
import {parseTargetOptions} from '../sdk/options.js'
import type {TargetStatus} from '../sdk/target.js'
import {applyAfterLoad} from './compose-hooks.js'
import {findTarget, runTarget, targetStatus} from './deploy.js'
import {loadRegistry, type PluginRegistry} from './registry.js'

export interface DeployFlags extends ProjectFlagValues {
  target?: string
  option?: string[]
  'list-targets'?: boolean
  debug?: boolean
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('').trimEnd()).join('\n')
}

export function formatTargets(registry: PluginRegistry): string {
  const entries = [...registry.targets.values()].sort((a, b) => (a.core === b.core ? (a.value.name < b.value.name ? -1 : 1) : a.core ? -1 : 1))
  const lines = [table([['TARGET', 'PLUGIN', 'DESCRIPTION'], ...entries.map((e) => [e.value.name, e.core ? 'berth (core)' : e.plugin, e.value.description])])]
  for (const e of entries) {
    const options = Object.entries(e.value.options)
    if (options.length === 0) continue
    lines.push('', `${e.value.name} options:`)
    const usage = options.map(([key, spec]) => `--option ${key}=${spec.kind.toUpperCase()}`)
    const width = Math.max(...usage.map((u) => u.length))
    for (const [i, [, spec]] of options.entries()) {
      const def = spec.default === undefined ? (spec.required ? ' (required)' : '') : ` (default: ${String(spec.default)})`
      lines.push(`  ${usage[i]!.padEnd(width)}  ${spec.description}${def}`)
    }
  }
  return lines.join('\n')
}


async function loadForTarget(registry: PluginRegistry, flags: ProjectFlagValues): Promise<Project> {
  const result = await loadProjectFromFlags(flags, undefined)
  if (!result.project) throw new UserInputError('PROJECT_NOT_LOADED', 'no project was loaded')
  return applyAfterLoad(registry, result.project)
}

export async function deployCommand(command: Command, action: 'deploy' | 'remove', flags: DeployFlags): Promise<void> {
  const registry = await loadRegistry(command.config)
  if (flags['list-targets']) {
    command.log(formatTargets(registry))
    return
  }
  if (!flags.target) {
    throw new UserInputError('TARGET_MISSING', 'name a target with --target', {hints: [`available targets: ${[...registry.targets.keys()].sort().join(', ')}`]})
  }
  const entry = findTarget(registry, flags.target)
  parseTargetOptions(entry.value.name, entry.value.options, flags.option ?? [])
  const project = await loadForTarget(registry, flags)
  const interrupt = interruptSignal()
  try {
    await runTarget(action, {
      registry,
      target: flags.target,
      project,
      optionPairs: flags.option ?? [],
      dataDir: command.config.dataDir,
      cacheDir: command.config.cacheDir,
      debug: flags.debug === true || process.env.BERTH_DEBUG === '1',
      signal: interrupt.signal,
    })
  } finally {
    interrupt.dispose()
  }
}

export function formatStatus(target: string, status: TargetStatus): string {
  if (status.services.length === 0) return `${status.deployed ? 'deployed' : 'not deployed'} on ${target}${status.message ? ` (${status.message})` : ''}`
  const out = table([['SERVICE', 'STATE', 'DETAIL'], ...status.services.map((s) => [s.name, s.state, s.detail ?? ''])])
  return status.message ? `${out}\n${status.message}` : out
}

export async function statusCommand(command: Command, flags: DeployFlags & {format?: string}): Promise<void> {
  const registry = await loadRegistry(command.config)
  findTarget(registry, flags.target!)
  const project = await loadForTarget(registry, flags)
  const interrupt = interruptSignal()
  try {
    const status = await targetStatus({
      registry,
      target: flags.target!,
      project,
      dataDir: command.config.dataDir,
      cacheDir: command.config.cacheDir,
      debug: flags.debug === true,
      signal: interrupt.signal,
    })
    command.log(flags.format === 'json' ? JSON.stringify(status, null, 2) : formatStatus(flags.target!, status))
  } finally {
    interrupt.dispose()
  }
}
