import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseEnvFile, readEnvFiles} from '../../../src/compose/env-file.js'
import {ComposeFileError} from '../../../src/compose/source.js'

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/compose/loader/dotenv')

describe('compose/env-file', () => {
  it('parses the dotenv dialect compose reads', () => {
    const file = join(dir, 'all.env')
    const unset: string[] = []
    const out = parseEnvFile(readFileSync(file, 'utf8'), file, {lookup: (n) => ({INHERITED: 'from-env'})[n], onUnset: (n) => unset.push(n)})
    assert.deepEqual(out, {
      PLAIN: 'value',
      SPACED: 'padded',
      HASH: 'a#b',
      SINGLE: 'lit ${PLAIN} \\n',
      DOUBLE: 'tab\there value',
      MULTI: 'line1\nline2',
      NESTED: 'value-fallback',
      EMPTY: '',
      YAMLISH: 'colon',
      INHERITED: 'from-env',
      DOLLAR: 'cost $5',
    })
    assert.deepEqual(unset, [])
  })

  it('the environment wins over earlier keys when interpolating', () => {
    const out = parseEnvFile('A=file\nB=${A}\n', 'x.env', {lookup: (n) => (n === 'A' ? 'env' : undefined)})
    assert.equal(out.B, 'env')
  })

  it('a bare KEY absent from the environment is skipped', () => {
    assert.deepEqual(parseEnvFile('KEY\nOTHER=1\n', 'x.env'), {OTHER: '1'})
  })

  it('escapes in double quotes; quotes escaped inside quotes', () => {
    assert.deepEqual(parseEnvFile(`A="a\\"b\\\\c\\n"\nB='it\\'s'\nC="\\x"\n`, 'x.env'), {A: 'a"b\\c\n', B: "it's", C: '\\x'})
  })

  it('a bad line is an error at file:line:col', () => {
    assert.throws(
      () => parseEnvFile('GOOD=1\nBAD KEY=2\n', '/p/.env'),
      (e: ComposeFileError) => e.code === 'ENV_FILE_SYNTAX' && /^\/p\/\.env:2:\d+: /.test(e.message) && /space/.test(e.message),
    )
    assert.throws(() => parseEnvFile('A=1\nB@=2\n', '/p/.env'), /\/p\/\.env:2:2: unexpected character "@" in variable name/)
    assert.throws(() => parseEnvFile('A="never closed\nB=2\n', '/p/.env'), /\/p\/\.env:1:3: unterminated quoted value/)
  })

  it('reads several files in order; a later one overrides, a missing one is an error', async () => {
    const out = await readEnvFiles([join(dir, 'all.env'), join(dir, 'second.env')])
    assert.equal(out.PLAIN, 'second')
    assert.equal(out.USES_FIRST, 'value-fallback')
    await assert.rejects(readEnvFiles([join(dir, 'nope.env')]), (e: ComposeFileError) => e.code === 'ENV_FILE_NOT_FOUND' && e.message.includes('nope.env'))
  })
})
