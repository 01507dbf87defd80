#!/usr/bin/env node
// Part of `npm run build`: the CommonJS packages every command loads, each as one file that
// src/code-cache.ts runs with V8's code cache.
//
// - dist/oclif-core.cjs: @oclif/core with its dependencies (bin/run.js puts it in Node's module
//   cache in place of the package). Left out: what oclif only loads for TypeScript sources
//   (typescript, tsx, ts-node), which Berth never asks for, and semver (oclif's Node version check,
//   switched off in bin/run.js).
// - dist/engine/undici.cjs: the two parts of undici the engine client uses (Pool and request).
//
// Each bundle is then run once so that its code cache exists before the first real command.
import {execFileSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const common = {bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: root}

await build({
  ...common,
  entryPoints: ['node_modules/@oclif/core/lib/index.js'],
  outfile: 'dist/oclif-core.cjs',
  external: ['typescript', 'tsx', 'ts-node', 'semver'],
})
await build({
  ...common,
  // undici's HTTP/2 client loads node:http2 (and with it tls and crypto, ~15 ms) as soon as Pool
  // is required. The engine speaks HTTP/1.1 and never asks for h2, so node:http2 loads only if
  // connect() is ever called; the constants are what undici itself falls back to without http2.
  plugins: [
    {
      name: 'lazy-http2',
      setup(b) {
        b.onResolve({filter: /^node:http2$/}, () => ({path: 'lazy-http2', namespace: 'berth'}))
        b.onLoad({filter: /^lazy-http2$/, namespace: 'berth'}, () => ({
          contents: "module.exports = {constants: {}, connect: (...args) => require('http2').connect(...args)}",
          loader: 'js',
        }))
      },
    },
  ],
  stdin: {
    contents: "module.exports = {Pool: require('undici/lib/dispatcher/pool.js'), request: require('undici/lib/api/api-request.js')}",
    resolveDir: root,
    sourcefile: 'undici-entry.cjs',
  },
  outfile: 'dist/engine/undici.cjs',
})
// src/code-cache.ts runs bundles from V8's code cache, where import() has no loader on Node 20: it
// passes __berthImport instead. (Only code positions: a quote or dot before `import(` is a string
// or a property; JSDoc comments change harmlessly.)
for (const file of ['dist/oclif-core.cjs', 'dist/engine/undici.cjs']) {
  const path = join(root, file)
  const code = readFileSync(path, 'utf8')
  writeFileSync(path, code.replace(/(?<![\w$.'"`])import\(/g, '__berthImport('))
}
for (const file of ['dist/oclif-core.cjs.v8cache', 'dist/engine/undici.cjs.v8cache']) rmSync(join(root, file), {force: true})

// Warm the caches: `berth ls` against an address where no engine answers loads both bundles and
// ends in an error.
// `config -q` writes the caches of oclif and of the Compose loader (scripts/bundle-loader.mjs);
// `ls` against an address where no engine answers writes undici's and ends in an error.
const run = (args, env = {}) => {
  try {
    execFileSync(process.execPath, [join(root, 'bin/run.js'), ...args], {stdio: 'ignore', cwd: root, env: {...process.env, ...env}})
  } catch {
    // the cache is then written by the first real command
  }
}
run(['config', '-q', '-f', 'fixtures/demo/compose.yaml'])
run(['ls'], {DOCKER_HOST: 'unix:///nonexistent/berth-build.sock', DOCKER_CONTEXT: ''})
console.log('bundled @oclif/core and undici for start-up; code caches written')
