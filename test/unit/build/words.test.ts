import {strict as assert} from 'node:assert'
import {expandWord, expandWords, lookupIn} from '../../../src/build/dockerfile/words.js'

const env = lookupIn({FOO: 'foo', EMPTY: '', SPACED: 'a b  c', PATH: '/usr/local/bin:/usr/bin:/bin', FILE: 'archive.tar.gz'})
const word = (w: string, escape = '\\') => expandWord(w, env, escape)
const words = (w: string) => expandWords(w, env)

describe('build/dockerfile/words', () => {
  const cases: Array<[string, string]> = [
    ['$FOO', 'foo'],
    ['${FOO}', 'foo'],
    ['${FOO}bar', 'foobar'],
    ['$FOObar', ''],
    ['x$FOO.y', 'xfoo.y'],
    ['$UNSET', ''],
    ['${UNSET:-default}', 'default'],
    ['${EMPTY:-default}', 'default'],
    ['${EMPTY-default}', ''],
    ['${UNSET-default}', 'default'],
    ['${FOO:-default}', 'foo'],
    ['${FOO:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['${UNSET:+set}', ''],
    ['${UNSET:-$FOO}', 'foo'],
    ['${UNSET:-${FOO}-x}', 'foo-x'],
    ['\\$FOO', '$FOO'],
    ['\\${FOO}', '${FOO}'],
    ["'$FOO'", '$FOO'],
    ['"$FOO"', 'foo'],
    ['"\\$FOO"', '$FOO'],
    ['"a\\nb"', 'a\\nb'],
    ['"say \\"hi\\""', 'say "hi"'],
    ['a\\ b', 'a b'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$-x', '$-x'],
    ['${FILE%.gz}', 'archive.tar'],
    ['${FILE%%.*}', 'archive'],
    ['${FILE#*.}', 'tar.gz'],
    ['${FILE##*.}', 'gz'],
    ['${PATH/bin/sbin}', '/usr/local/sbin:/usr/bin:/bin'],
    ['${PATH//bin/sbin}', '/usr/local/sbin:/usr/sbin:/sbin'],
    ['${FOO:?must be set}', 'foo'],
    ['  spaced  words ', '  spaced  words '],
    ['$SPACED', 'a b  c'],
  ]
  for (const [input, expected] of cases) {
    it(`expands ${input} to ${JSON.stringify(expected)}`, () => {
      assert.equal(word(input), expected)
    })
  }

  it('fails on ${v:?msg} when unset, with the message', () => {
    assert.throws(() => word('${UNSET:?you must set it}'), /UNSET: you must set it/)
    assert.throws(() => word('${UNSET?gone}'), /UNSET: gone/)
    assert.equal(word('${EMPTY?x}'), '')
  })

  it('reports unterminated quotes and braces', () => {
    assert.throws(() => word("'abc"), /single-quote/)
    assert.throws(() => word('"abc'), /double-quote/)
    assert.throws(() => word('${FOO'), /missing/)
    assert.throws(() => word('${}'), /bad substitution/)
  })

  it('splits words on unquoted whitespace, including expanded whitespace', () => {
    assert.deepEqual(words('a b   c'), ['a', 'b', 'c'])
    assert.deepEqual(words('"a b" c'), ['a b', 'c'])
    assert.deepEqual(words("'a b' c"), ['a b', 'c'])
    assert.deepEqual(words('a\\ b c'), ['a b', 'c'])
    assert.deepEqual(words('$SPACED x'), ['a', 'b', 'c', 'x'])
    assert.deepEqual(words('"$SPACED" x'), ['a b  c', 'x'])
    assert.deepEqual(words('""'), [''])
    assert.deepEqual(words(''), [])
  })

  it('uses the backtick escape when the directive says so', () => {
    assert.equal(word('c:\\path\\$FOO', '`'), 'c:\\path\\foo')
    assert.equal(word('`$FOO', '`'), '$FOO')
    assert.equal(word('a` b', '`'), 'a b')
  })
})
