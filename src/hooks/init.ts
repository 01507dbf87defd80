/**
 * Core `init` hook: runs before every command. With no third-party plugin it returns at once (no
 * imports). Otherwise it keeps `berth` resolvable for installed plugins, checks each plugin's SDK
 * range and dependencies, warns once per broken plugin and takes it out of this run, and refuses
 * to start a command that belongs to a broken plugin.
 */
import {settings, type Hook} from '@oclif/core'
import {join} from 'node:path'

/** `warning` in yellow when stderr is a colour terminal (the check of src/cli/output.ts, inlined to keep start-up lean). */
function warningLabel(): string {
  const force = process.env.FORCE_COLOR
  const color = force !== undefined && force !== '' && force !== '0' && force !== 'false'
    ? true
    : !process.env.NO_COLOR && force !== '0' && force !== 'false' && Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb'
  return color ? '\u001B[33mwarning\u001B[39m' : 'warning'
}

const hook: Hook<'init'> = async function (options) {
  const {config, id} = options
  if (id === 'plugins' || id?.startsWith('plugins:')) {
    // Berth provides `berth` to its plugins itself: npm must never fetch a peer named `berth` from a
    // registry (npm 7+ installs peer dependencies unless told not to).
    process.env.npm_config_legacy_peer_deps = 'true'
  }
  const thirdParty = [...config.plugins.values()].filter((p) => p.type === 'user' || p.type === 'link')
  if (thirdParty.length === 0) return
  // Plugins run as the JavaScript they ship (a linked TypeScript plugin is compiled by its author);
  // this also silences oclif's "linked ESM module cannot be auto-transpiled" warnings.
  settings.enableAutoTranspile ??= false

  const {RangeCache, checkPlugin, describeBroken, ensureBerthLink, recordBroken} = await import('../plugins/core/health.js')
  if (thirdParty.some((p) => p.type === 'user')) await ensureBerthLink(config.dataDir, config.root)

  const ranges = new RangeCache(join(config.cacheDir, 'plugin-sdk-ranges.json'))
  const results = await Promise.all(thirdParty.map((p) => checkPlugin(p, ranges)))
  await ranges.save()
  const broken = results.filter((b) => b !== undefined)
  recordBroken(config, broken)
  if (broken.length === 0) return

  // Out of this run: none of a broken plugin's hooks may run. `plugins inspect` reads only its
  // package.json, so it keeps seeing it; `berth plugins` lists it from the record.
  const inspecting = id === 'plugins:inspect'
  for (const b of broken) {
    process.stderr.write(`${warningLabel()}: ${describeBroken(b)}\n`)
    if (!inspecting) config.plugins.delete(b.name)
  }

  const command = id === undefined ? undefined : config.findCommand(id)
  const owner = command ? broken.find((b) => b.name === command.pluginName) : undefined
  if (owner) {
    const {BerthError} = await import('../errors.js')
    const {renderError} = await import('../cli/output.js')
    const error = new BerthError('PLUGIN_BROKEN', `command "${id!.replaceAll(':', ' ')}" belongs to plugin ${owner.name}, which cannot be loaded`, {
      hints: [owner.hint ?? `berth plugins uninstall ${owner.name}`],
    })
    process.stderr.write(renderError(error, false) + '\n')
    throw Object.assign(new Error(error.message), {oclif: {exit: 1}, skipOclifErrorHandling: true, code: 'PLUGIN_BROKEN'})
  }
}

export default hook
