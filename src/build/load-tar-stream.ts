/**
 * tar-stream for the builder, loaded when a step writes or reads an archive (never when every step
 * is cached). `npm run build` bundles it with its dependencies (streamx, b4a, fast-fifo, ...) into
 * dist/build/tar-stream.cjs (scripts/bundle-cli.mjs), which src/code-cache.ts runs with V8's code
 * cache: one file instead of a dozen modules. The bundle takes the package's own path in Node's
 * module cache, so a later `import('tar-stream')` anywhere gets the same instance. Without the
 * bundle (a tsc-only build, tests running the TypeScript sources) the package loads as usual.
 */
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'

export type TarStream = typeof import('tar-stream')

let loading: Promise<TarStream> | undefined

export function loadTarStream(): Promise<TarStream> {
  loading ??= load()
  return loading
}

async function load(): Promise<TarStream> {
  try {
    const {loadBundle} = await import('../code-cache.js')
    const bundle = fileURLToPath(new URL('./tar-stream.cjs', import.meta.url))
    const exports = loadBundle(bundle, createRequire(import.meta.url).resolve('tar-stream')) as Partial<TarStream>
    if (typeof exports.pack === 'function' && typeof exports.extract === 'function') return exports as TarStream
  } catch {
    // no bundle: the package itself
  }
  return import('tar-stream')
}
