#!/usr/bin/env node
// Second half of `npm run build`, after tsc: makes the Compose loader cheap to start.
//
// 1. Copies the committed ajv validator (src/compose/validate/generated.{js,d.ts}) into dist: it
//    is plain JavaScript that tsc does not compile (see scripts/gen-validator.mjs).
// 2. Bundles the loader with esbuild over tsc's output of its two entry points,
//    dist/compose/load.js and dist/compose/normalize/index.js (the validator and the normaliser
//    stay separate chunks, loaded when first needed). Unbundled, `berth config` resolves and links
//    about 45 of the loader's modules plus about 60 CommonJS modules of the `yaml` package; one
//    bundle (yaml's own ES module build inside) loads in roughly a tenth of that time.
//    Everything else in dist stays tsc's output; the few modules other folders import directly
//    (source.js, units.js, hash.js, ...) are separate copies, which holds because the loader
//    keeps no module-level state and BerthError's `instanceof` works across copies.
//
//   node scripts/bundle-loader.mjs               (run by `npm run build`; needs dist/ from tsc)
//   node scripts/bundle-loader.mjs --dist DIR    the same on a tsc output elsewhere (benchmarks)
import {copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const distArg = process.argv.indexOf('--dist')
const outdir = join(distArg > 0 ? resolve(process.argv[distArg + 1]) : join(root, 'dist'), 'compose')
const GENERATED = './validate/generated.js'

for (const file of ['generated.js', 'generated.d.ts']) copyFileSync(join(root, 'src/compose/validate', file), join(outdir, 'validate', file))

// Chunks of an earlier build.
for (const file of readdirSync(outdir)) if (/^(loader|chunk)-.*\.js$/.test(file)) rmSync(join(outdir, file))

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/compose/load.ts', 'src/compose/normalize/index.ts'],
  outbase: 'src/compose',
  outdir,
  entryNames: '[dir]/[name]',
  chunkNames: 'loader-[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // No keepNames: its __name() call on every closure made costs ~13 ms on a 1,000-service file.
  // Class names matter (BerthError's instanceof across copies compares them, error.name prints
  // them): esbuild renames a top-level name only when two bundled modules clash, checked below.
  // yaml's package.json sends Node to its CommonJS build; its ES module build is the same code.
  alias: {yaml: './node_modules/yaml/browser/index.js'},
  // Node's own modules and the validator stay imports; the validator is loaded next to the chunk
  // that needs it (chunks are written to dist/compose/, where ./validate/generated.js is).
  packages: 'external',
  plugins: [
    {
      name: 'generated-validator',
      setup(b) {
        b.onResolve({filter: /\/generated\.js$/}, () => ({path: GENERATED, external: true}))
      },
    },
  ],
  metafile: true,
  logLevel: 'warning',
})

// The external path is right only for output files directly in dist/compose.
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (output.imports.some((i) => i.path === GENERATED) && dirname(resolve(root, file)) !== outdir) {
    throw new Error(`${relative(root, file)} imports the validator but is not in dist/compose: ./validate/generated.js would not resolve`)
  }
}
for (const file of Object.keys(result.metafile.outputs)) {
  const path = resolve(root, file)
  let code = readFileSync(path, 'utf8')
  const renamed = [...code.matchAll(/\bclass ([A-Za-z_$][\w$]*?\d+)\b/g)].map((m) => m[1])
  if (renamed.length > 0) throw new Error(`bundle: classes renamed by esbuild (name clash) in ${relative(root, file)}: ${renamed.join(', ')}; rename one of the clashing classes`)
  // A class that refers to itself is emitted as `var X = class _X`, whose name is then "_X":
  // give such classes their own name back.
  const selfNamed = [...code.matchAll(/^var ([A-Za-z$][\w$]*) = class _\1\b/gm)].map((m) => m[1])
  if (selfNamed.length > 0) {
    code += selfNamed.map((name) => `Object.defineProperty(${name}, "name", {value: ${JSON.stringify(name)}});\n`).join('')
    writeFileSync(path, code)
  }
}
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0)
if (!readFileSync(join(outdir, 'load.js'), 'utf8').includes('loadProject')) throw new Error('bundle: dist/compose/load.js lost loadProject')
console.log(`bundled the Compose loader: ${Object.keys(result.metafile.outputs).length} files, ${Math.round(bytes / 1024)} KB`)
