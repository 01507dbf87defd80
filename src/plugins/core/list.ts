/**
 * `berth plugins`: installed and linked plugins with their state. A plugin is "broken" when the
 * init hook refused it (SDK range, missing dependency, berth not resolvable) or when oclif could
 * not load it at all (it is in the data dir's package.json but not among the loaded plugins).
 */
import type {Config} from '@oclif/core'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {brokenPlugins} from './health.js'

export interface PluginRow {
  name: string
  version: string
  type: string
  root?: string
  status: 'ok' | 'broken'
  reason?: string
  hint?: string
}

interface DataDirEntry {
  name: string
  type: string
  root?: string
  tag?: string
}

async function declaredPlugins(dataDir: string): Promise<DataDirEntry[]> {
  try {
    const pjson = JSON.parse(await readFile(join(dataDir, 'package.json'), 'utf8')) as {oclif?: {plugins?: unknown[]}}
    return (pjson.oclif?.plugins ?? []).filter((p): p is DataDirEntry => typeof p === 'object' && p !== null && typeof (p as DataDirEntry).name === 'string')
  } catch {
    return []
  }
}

export async function listPlugins(config: Config, options: {core?: boolean} = {}): Promise<PluginRow[]> {
  const broken = new Map(brokenPlugins(config).map((b) => [b.name, b]))
  // Load every healthy plugin's registration, to find the ones that throw when loaded.
  const {loadRegistry} = await import('./registry.js')
  const registry = await loadRegistry(config, () => {})
  for (const {plugin, message} of registry.problems) {
    const p = config.plugins.get(plugin)
    if (p && !broken.has(plugin)) broken.set(plugin, {name: plugin, version: p.version, type: p.type, root: p.root, reason: message, hint: `berth plugins uninstall ${plugin}`})
  }
  const rows: PluginRow[] = []
  for (const p of config.getPluginsList()) {
    if (p.parent || p.name === config.name) continue
    if (!options.core && (p.type === 'core' || p.type === 'dev')) continue
    const b = broken.get(p.name)
    rows.push({name: p.name, version: p.version, type: p.type, root: p.type === 'link' ? p.root : undefined, status: b ? 'broken' : 'ok', reason: b?.reason, hint: b?.hint})
    broken.delete(p.name)
  }
  for (const b of broken.values()) rows.push({name: b.name, version: b.version, type: b.type, root: b.type === 'link' ? b.root : undefined, status: 'broken', reason: b.reason, hint: b.hint})
  const loaded = new Set(rows.map((r) => r.name))
  for (const entry of await declaredPlugins(config.dataDir)) {
    if (loaded.has(entry.name) || (entry.type !== 'user' && entry.type !== 'link')) continue
    rows.push({name: entry.name, version: '?', type: entry.type, root: entry.root, status: 'broken', reason: 'could not be loaded (see the warning above)', hint: `berth plugins uninstall ${entry.name}, then install it again`})
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

export function formatPluginList(rows: PluginRow[], color = false): string {
  if (rows.length === 0) return 'No plugins installed.'
  const dim = (s: string) => (color ? `\u001B[2m${s}\u001B[22m` : s)
  return rows
    .map((r) => {
      let line = `${r.name} ${dim(r.version)}`
      if (r.type !== 'user') line += dim(` (${r.type})`)
      if (r.root) line += ` ${r.root}`
      if (r.status === 'broken') line += `  BROKEN: ${r.reason}${r.hint ? ` (${r.hint})` : ''}`
      return line
    })
    .join('\n')
}
