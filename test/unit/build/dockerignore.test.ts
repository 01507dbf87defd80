import {strict as assert} from 'node:assert'
import {IgnoreMatcher, cleanPath, parseDockerignore} from '../../../src/build/context/dockerignore.js'

const m = (text: string) => IgnoreMatcher.fromText(text)

describe('build/context/dockerignore', () => {
  it('reads patterns: comments, blank lines, trimming, cleaning, leading slash', () => {
    const patterns = parseDockerignore('# comment\n\n  node_modules  \n/dist/\n./a/../b\n! keep.txt\n  # not a comment\n')
    assert.deepEqual(patterns.map((p) => (p.exclusion ? '!' : '') + p.text), ['node_modules', 'dist', 'b', '!keep.txt', '# not a comment'])
  })

  it('cleans like Go path.Clean', () => {
    assert.equal(cleanPath('a//b/./c/'), 'a/b/c')
    assert.equal(cleanPath('../x'), '../x')
    assert.equal(cleanPath('/../x'), '/x')
    assert.equal(cleanPath('a/../..'), '..')
    assert.equal(cleanPath(''), '.')
  })

  const cases: Array<[string, string, boolean]> = [
    ['*.md', 'README.md', true],
    ['*.md', 'docs/README.md', false],
    ['*/*.md', 'docs/README.md', true],
    ['**/*.md', 'docs/a/README.md', true],
    ['**/*.md', 'README.md', true],
    ['docs/**', 'docs/a/b', true],
    ['docs/**', 'docs', false],
    ['**', 'anything/at/all', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/x/y/c', false],
    ['node_modules', 'node_modules/pkg/index.js', true],
    ['node_modules', 'src/node_modules/x', false],
    ['temp?', 'temp1', true],
    ['temp?', 'temp12', false],
    ['temp?', 'temp/', false],
    ['[a-c].txt', 'b.txt', true],
    ['[^a-c].txt', 'b.txt', false],
    ['[^a-c].txt', 'd.txt', true],
    ['\\*.txt', '*.txt', true],
    ['\\*.txt', 'a.txt', false],
    ['.git', '.git/HEAD', true],
    ['dir/', 'dir/file', true],
    ['*', 'x/y', true],
  ]
  for (const [pattern, file, expected] of cases) {
    it(`${pattern} ${expected ? 'excludes' : 'keeps'} ${file}`, () => {
      assert.equal(m(pattern).ignores(file), expected)
    })
  }

  it('last match wins; exceptions re-include', () => {
    const matcher = m('*.md\n!README.md\nREADME-secret.md\n')
    assert.equal(matcher.ignores('CHANGES.md'), true)
    assert.equal(matcher.ignores('README.md'), false)
    assert.equal(matcher.ignores('README-secret.md'), true)
    const order = m('!README.md\n*.md\n')
    assert.equal(order.ignores('README.md'), true)
  })

  it('an exception inside an excluded directory', () => {
    const matcher = m('logs\n!logs/keep.log\n')
    assert.equal(matcher.ignores('logs/a.log'), true)
    assert.equal(matcher.ignores('logs/keep.log'), false)
    assert.equal(matcher.mayIncludeUnder('logs'), true)
    assert.equal(matcher.mayIncludeUnder('other'), false)
    assert.equal(m('logs\n!*.keep\n').mayIncludeUnder('logs'), true)
    assert.equal(m('logs\n').mayIncludeUnder('logs'), false)
  })

  it('Dockerfile and .dockerignore are excluded like any other file', () => {
    const matcher = m('Dockerfile\n.dockerignore\n')
    assert.equal(matcher.ignores('Dockerfile'), true)
    assert.equal(matcher.ignores('.dockerignore'), true)
  })
})
