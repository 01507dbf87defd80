#!/usr/bin/env node
// Entry point. Keep this file tiny: every import here is paid by every command.
import module from 'node:module'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

// Node 22+ can keep V8's compiled code between runs; Node 20 has no such switch.
module.enableCompileCache?.()
// @oclif/core checks the Node version against its own `engines` with the semver package on every
// start (about 40 modules); Berth checks its own floor below without loading anything.
// (Set only while oclif loads: the environment is also what Compose files interpolate from.)
const ownEngineSwitch = process.env.OCLIF_DISABLE_ENGINE_WARNING === undefined
if (ownEngineSwitch) process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) {
  process.emitWarning(`Berth needs Node.js 20.19 or newer; this is ${process.versions.node}`)
}
const codeCache = await import('../dist/code-cache.js').catch(() => undefined)
// The same V8 flags for every command, before anything is compiled (see BERTH_V8_FLAGS).
codeCache?.applyBerthV8Flags()
preloadOclif()
const {execute, settings} = await import('@oclif/core')
if (ownEngineSwitch) delete process.env.OCLIF_DISABLE_ENGINE_WARNING
// Berth ships compiled JavaScript; a linked plugin without a manifest must not make oclif try to
// transpile it (and warn on every run).
settings.enableAutoTranspile = false
await execute({dir: import.meta.url, args: await commandLine(process.argv.slice(2))})

/** `berth -p demo up` as docker compose takes it: src/cli/leading-flags.ts. */
async function commandLine(argv) {
  if (!argv[0]?.startsWith('-') || argv[0] === '--version' || argv[0] === '--help' || argv[0] === '-h') return argv
  try {
    const {moveLeadingFlags} = await import('../dist/cli/leading-flags.js')
    let commands
    const manifest = () => (commands ??= JSON.parse(readFileSync(new URL('../oclif.manifest.json', import.meta.url), 'utf8')).commands)
    return moveLeadingFlags(
      argv,
      (id) => Object.hasOwn(manifest(), id),
      (id, name) => Object.hasOwn(manifest()[id].flags ?? {}, name),
    )
  } catch {
    return argv
  }
}

/**
 * @oclif/core is about 150 CommonJS modules; `npm run build` bundles them into one file
 * (scripts/bundle-cli.mjs) that loads with V8's code cache in a quarter of the time. The bundle
 * takes the installed package's place in Node's module cache, so every `import '@oclif/core'`
 * (Berth's commands, the oclif plugins) gets this one instance. Without a bundle (a tsc-only
 * build), the package loads as usual.
 */
function preloadOclif() {
  if (!codeCache) return
  try {
    codeCache.loadBundle(fileURLToPath(new URL('../dist/oclif-core.cjs', import.meta.url)), module.createRequire(import.meta.url).resolve('@oclif/core'))
  } catch {
    // no bundle: the package itself
  }
}
