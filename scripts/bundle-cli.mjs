#!/usr/bin/env node
// Part of `npm run build`: the CommonJS packages every command loads, each as one file that
// src/code-cache.ts runs with V8's code cache.
//
// - dist/oclif-core.cjs: @oclif/core with its dependencies (bin/run.js puts it in Node's module
//   cache in place of the package). Left out: what oclif only loads for TypeScript sources
//   (typescript, tsx, ts-node), which Berth never asks for, and semver (oclif's Node version check,
//   switched off in bin/run.js).
// - dist/engine/undici.cjs: the two parts of undici the engine client uses (Pool and request).
// - dist/build/tar-stream.cjs: tar-stream with streamx and its other dependencies, which the image
//   builder loads when a step writes or reads an archive (src/build/load-tar-stream.ts).
// - dist/plugins/kube/models.cjs: the kubernetes-models classes (with their ajv validators) that
//   the kube plugin checks its objects with (src/plugins/kube/validate.ts): ~200 small modules.
//
// Each bundle is then run once so that its code cache exists before the first real command.
import {execFileSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
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
await build({
  ...common,
  entryPoints: ['node_modules/tar-stream/index.js'],
  outfile: 'dist/build/tar-stream.cjs',
})
// The kinds the kube plugin makes; validate.ts falls back to the package for any other.
const kubeModels = {
  Namespace: 'v1/Namespace',
  Service: 'v1/Service',
  Secret: 'v1/Secret',
  ConfigMap: 'v1/ConfigMap',
  PersistentVolumeClaim: 'v1/PersistentVolumeClaim',
  Pod: 'v1/Pod',
  Deployment: 'apps/v1/Deployment',
  DaemonSet: 'apps/v1/DaemonSet',
  StatefulSet: 'apps/v1/StatefulSet',
  NetworkPolicy: 'networking.k8s.io/v1/NetworkPolicy',
}
await build({
  ...common,
  stdin: {
    contents: `module.exports = {${Object.entries(kubeModels).map(([kind, path]) => `${kind}: require('kubernetes-models/${path}').${kind}`).join(', ')}}`,
    resolveDir: root,
    sourcefile: 'kube-models-entry.cjs',
  },
  outfile: 'dist/plugins/kube/models.cjs',
})
const bundles = ['dist/oclif-core.cjs', 'dist/engine/undici.cjs', 'dist/build/tar-stream.cjs', 'dist/plugins/kube/models.cjs']
// import() inside a bundle run from V8's code cache: see forCodeCache in src/code-cache.ts.
const {forCodeCache} = await import(pathToFileURL(join(root, 'dist', 'code-cache.js')).href)
for (const file of bundles) {
  const path = join(root, file)
  writeFileSync(path, forCodeCache(readFileSync(path, 'utf8')))
}
for (const file of bundles) rmSync(join(root, `${file}.v8cache`), {force: true})

// Warm the caches: `config -q` writes the caches of oclif and of the Compose loader
// (scripts/bundle-loader.mjs); `ls` against an address where no engine answers writes undici's and
// ends in an error.
const run = (args, env = {}) => {
  try {
    execFileSync(process.execPath, [join(root, 'bin/run.js'), ...args], {stdio: 'ignore', cwd: root, env: {...process.env, ...env}})
  } catch {
    // the cache is then written by the first real command
  }
}
run(['config', '-q', '-f', 'fixtures/demo/compose.yaml'])
run(['ls'], {DOCKER_HOST: 'unix:///nonexistent/berth-build.sock', DOCKER_CONTEXT: ''})
// The kube models': a conversion of a project that makes most kinds (output discarded).
run(['kube', 'convert', '-f', 'fixtures/kube/volumes/compose.yaml'])
// tar-stream's: the builder's own modules pack a small tar and read it back, under Berth's V8 flags
// as bin/run.js sets them (no engine needed).
const warmTarStream = `
const codeCache = await import('./dist/code-cache.js')
codeCache.applyBerthV8Flags()
const {tarBuffer} = await import('./dist/build/context/archive.js')
const {loadTarStream} = await import('./dist/build/load-tar-stream.js')
const tar = await tarBuffer([
  {header: {name: 'd', type: 'directory', mode: 0o755, uid: 0, gid: 0, mtimeMs: 0}},
  {header: {name: 'd/f', type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeMs: 0}, body: Buffer.from('f')},
])
const x = (await loadTarStream()).extract()
x.end(tar)
for await (const entry of x) entry.resume()
`
try {
  execFileSync(process.execPath, ['--input-type=module', '-e', warmTarStream], {stdio: 'ignore', cwd: root})
} catch {
  // written by the first build that writes an archive
}
console.log('bundled @oclif/core, undici, tar-stream and the kube models for start-up; code caches written')
