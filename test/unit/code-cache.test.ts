import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadBundle} from '../../src/code-cache.js'

const codeCache = fileURLToPath(new URL('../../src/code-cache.ts', import.meta.url))

describe('code-cache: CommonJS bundles with V8 code cache', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-code-cache-'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const bundle = (body: string) => {
    const file = join(dir, 'bundle.cjs')
    writeFileSync(file, body)
    return file
  }

  it('runs the bundle as the module at another path and registers it there', async () => {
    const file = bundle("module.exports = {dir: __dirname, file: __filename, sep: require('node:path').sep, load: (s) => __berthImport(s)}")
    const asPath = join(dir, 'pkg', 'lib', 'index.js')
    const exports = loadBundle(file, asPath) as {dir: string; file: string; sep: string; load: (s: string) => Promise<{sep: string}>}
    assert.equal(exports.dir, join(dir, 'pkg', 'lib'))
    assert.equal(exports.file, asPath)
    assert.equal(exports.sep, '/')
    assert.equal((await exports.load('node:path')).sep, '/', 'import() goes through __berthImport')
    assert.equal(createRequire(asPath).cache[asPath]?.exports, exports, 'in the module cache under asPath')
    assert.equal(loadBundle(file, asPath), exports, 'a second load returns the same instance')
  })

  it('writes the cache at exit, keyed by Node version and the bundle, and the next run uses it', () => {
    const file = bundle('module.exports = {answer: () => 42}\n')
    const script = `import {loadBundle} from ${JSON.stringify(codeCache)}; const m = loadBundle(${JSON.stringify(file)}, ${JSON.stringify(file)}); console.log(m.answer())`
    const run = () => execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8'}).trim()
    assert.equal(run(), '42')
    const cache = readFileSync(`${file}.v8cache`)
    const stat = statSync(file)
    const key = `${process.version}:${process.arch}:${stat.size}:${stat.mtimeMs}\n`
    assert.equal(cache.subarray(0, key.length).toString(), key)
    assert.ok(cache.length > key.length, 'V8 data follows the key')
    const written = statSync(`${file}.v8cache`).mtimeMs
    assert.equal(run(), '42')
    assert.equal(statSync(`${file}.v8cache`).mtimeMs, written, 'an accepted cache is not rewritten')
  })

  it('a bundle whose cache no longer matches is compiled and its cache rewritten', () => {
    const file = bundle('module.exports = 1\n')
    writeFileSync(`${file}.v8cache`, 'v0:stale\nnot v8 data')
    const script = `import {loadBundle} from ${JSON.stringify(codeCache)}; console.log(loadBundle(${JSON.stringify(file)}, ${JSON.stringify(file)}))`
    assert.equal(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8'}).trim(), '1')
    assert.ok(readFileSync(`${file}.v8cache`).toString('latin1').startsWith(process.version))
  })

  it('does not write a cache after V8 flags changed (the next run would reject it)', () => {
    const file = bundle('module.exports = 2\n')
    const script = `import {loadBundle, setV8Flags} from ${JSON.stringify(codeCache)}; loadBundle(${JSON.stringify(file)}, ${JSON.stringify(file)}); setV8Flags('--wasm-tiering-budget=1000000000')`
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])
    assert.throws(() => statSync(`${file}.v8cache`), /ENOENT/)
  })
})
