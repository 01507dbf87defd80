/**
 * Loads a CommonJS bundle made at build time (scripts/bundle-cli.mjs) with V8's code cache, and
 * registers it in Node's module cache under the path of the package it replaces, so that every
 * later `require`/`import` of that package gets this one instance.
 *
 * Why: each command pays for loading @oclif/core (about 150 modules) and undici before it does any
 * work. One file instead of many halves that; V8's code cache (compiled code kept next to the
 * bundle) halves it again. Node 22 has this built in (module.enableCompileCache); Node 20 does not.
 *
 * The cache file sits next to the bundle (`<bundle>.v8cache`) and starts with a key: Node's
 * version, the bundle's size and mtime. A missing, stale or rejected cache only costs the compile;
 * it is then rewritten on exit when the folder is writable (a read-only install just compiles).
 */
import {accessSync, constants, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {dirname} from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'

interface ModuleInternals {
  _nodeModulePaths(dir: string): string[]
}

/**
 * Runs `bundle` as if it were the module at `asPath` (its __dirname and require resolve from
 * there) and returns its exports. Throws when the bundle is missing: callers fall back to the
 * package itself.
 */
export function loadBundle(bundle: string, asPath: string): unknown {
  const require = createRequire(asPath)
  const cached = require.cache[asPath]
  if (cached?.loaded) return cached.exports
  const source = readFileSync(bundle, 'utf8')
  const stat = statSync(bundle)
  const key = Buffer.from(`${process.version}:${process.arch}:${stat.size}:${stat.mtimeMs}\n`)
  const cacheFile = `${bundle}.v8cache`
  let cachedData: Buffer | undefined
  try {
    const data = readFileSync(cacheFile)
    if (data.subarray(0, key.length).equals(key)) cachedData = data.subarray(key.length)
  } catch {
    // no cache yet
  }
  const internals = Module as unknown as ModuleInternals
  // A script compiled from a code cache cannot use import() on Node 20 (its callback is tied to
  // the run that made the cache) except through an experimental switch that prints a warning, so
  // the bundler turned the bundle's import() calls into calls of __berthImport, given here.
  const wrapped = `(function (exports, require, module, __filename, __dirname, __berthImport) {${source}\n})`
  const script = new vm.Script(wrapped, {filename: bundle, cachedData})
  const m = new Module(asPath)
  m.filename = asPath
  m.paths = internals._nodeModulePaths(dirname(asPath))
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(m.exports, m.exports, require, m, asPath, dirname(asPath), (specifier: string) => import(specifier))
  m.loaded = true
  require.cache[asPath] = m
  if (!cachedData || script.cachedDataRejected) writeOnExit(script, cacheFile, key, applied.size)
  return m.exports
}

/**
 * V8 accepts a code cache only under the flags it was made with. Whoever changes V8 flags at run
 * time does it here: setting a flag again is a no-op, and a bundle loaded before a change does not
 * write, at exit, a cache that the next run (which loads it before the change again) would reject.
 * bin/run.js sets BERTH_V8_FLAGS before anything is loaded, so that every command runs, and every
 * cache is made, under the same flags.
 */
export function setV8Flags(flags: string): void {
  if (applied.has(flags)) return
  v8.setFlagsFromString(flags)
  applied.add(flags)
}
/** Flags set so far; its size tells whether flags changed since a bundle loaded. */
const applied = new Set<string>()

/**
 * The flags Berth runs with. undici parses HTTP with llhttp compiled to WebAssembly; V8 tiers hot
 * wasm functions up to its optimizing compiler on background threads, and Node waits for those
 * jobs before a process exits: on a busy machine that kept every engine command alive 100-180 ms
 * after its work was done, for a parser that handles a few KB of headers per command. A high
 * tiering budget keeps llhttp on the baseline compiler for a CLI's lifetime (a long `logs -f`
 * still tiers up eventually). It concerns only WebAssembly, which nothing else in Berth uses.
 */
export const BERTH_V8_FLAGS = '--wasm-tiering-budget=1000000000'

/** Sets BERTH_V8_FLAGS (once); a V8 without the flag only brings the exit delay back. */
export function applyBerthV8Flags(): void {
  try {
    setV8Flags(BERTH_V8_FLAGS)
  } catch {
    // not V8, or the flag is gone
  }
}

/**
 * The bundler's half of the contract above: a script compiled from a code cache has no loader for
 * import() on Node 20 (short of an experimental switch that prints a warning), so a bundle calls
 * __berthImport, which loadBundle passes in. Only code positions change: a quote or a dot before
 * `import(` is a string or a property; comments change harmlessly.
 */
export function forCodeCache(code: string): string {
  return code.replace(/(?<![\w$.'"`])import\(/g, '__berthImport(')
}

/** At exit the script's functions that ran are compiled too, so the cache covers them. */
function writeOnExit(script: vm.Script, cacheFile: string, key: Buffer, flagsAtLoad: number): void {
  try {
    accessSync(dirname(cacheFile), constants.W_OK)
  } catch {
    return
  }
  process.once('exit', () => {
    if (applied.size !== flagsAtLoad) return
    try {
      const temporary = `${cacheFile}.${process.pid}`
      writeFileSync(temporary, Buffer.concat([key, script.createCachedData()]))
      renameSync(temporary, cacheFile)
    } catch {
      // a cache is an optimisation
    }
  })
}
