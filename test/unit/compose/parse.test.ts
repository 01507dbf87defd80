import {strict as assert} from 'node:assert'
import {parseComposeFile} from '../../../src/compose/parse.js'
import {ComposeFileError} from '../../../src/compose/source.js'

const parseOne = (text: string) => {
  const docs = parseComposeFile(text, '/p/compose.yaml')
  assert.equal(docs.length, 1)
  return docs[0]
}

describe('compose/parse', () => {
  it('gives every node a position (the key for a mapping entry)', () => {
    const doc = parseOne('services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n      - 443\n')
    assert.deepEqual(doc.source.positionOf(['services', 'web', 'image']), {line: 3, col: 5})
    assert.deepEqual(doc.source.positionOf(['services', 'web', 'ports', 1]), {line: 6, col: 9})
    // Unknown paths fall back to the nearest ancestor.
    assert.deepEqual(doc.source.positionOf(['services', 'web', 'nope', 'deeper']), {line: 2, col: 3})
    assert.equal(doc.source.exactPositionOf(['services', 'web', 'nope']), undefined)
  })

  it('YAML 1.2 core schema: yes/no stay strings, numbers are numbers', () => {
    const doc = parseOne('a: yes\nb: 010\nc: 1.5\nd: true\ne: ~\nf: "8080"\n')
    assert.deepEqual(doc.model, {a: 'yes', b: 10, c: 1.5, d: true, e: null, f: '8080'})
  })

  it('anchors, aliases and merge keys; explicit keys win over merged ones', () => {
    const doc = parseOne('x-base: &base\n  image: a\n  restart: always\nx-more: &more\n  image: b\n  tty: true\nservices:\n  s:\n    <<: [*base, *more]\n    restart: "no"\n  t: *base\n')
    assert.deepEqual(doc.model.services, {s: {restart: 'no', image: 'a', tty: true}, t: {image: 'a', restart: 'always'}})
    // A merged entry points at its definition in the anchor.
    assert.deepEqual(doc.source.positionOf(['services', 's', 'image']), {line: 2, col: 3})
  })

  it('aliases are copies: changing one use does not change another', () => {
    const doc = parseOne('x: &x {a: [1]}\ny: *x\n')
    ;((doc.model.y as {a: number[]}).a).push(2)
    assert.deepEqual(doc.model.x, {a: [1]})
  })

  it('!reset and !override become merge directives', () => {
    const doc = parseOne('services:\n  web:\n    ports: !reset []\n    environment: !override {A: "1"}\n    labels:\n      a: !reset null\n')
    assert.deepEqual(doc.model, {services: {web: {environment: {A: '1'}, labels: {}}}})
    assert.deepEqual(doc.directives.resets, [
      ['services', 'web', 'ports'],
      ['services', 'web', 'labels', 'a'],
    ])
    assert.deepEqual(doc.directives.overrides, [['services', 'web', 'environment']])
  })

  it('several documents in one file', () => {
    const docs = parseComposeFile('services: {a: {image: x}}\n---\nservices: {b: {image: y}}\n', '/p/c.yaml')
    assert.equal(docs.length, 2)
    assert.deepEqual(docs[1].model, {services: {b: {image: 'y'}}})
  })

  const bad: Array<[string, string, RegExp]> = [
    ['', 'COMPOSE_EMPTY_FILE', /^\/p\/compose\.yaml: empty Compose file/],
    ['# nothing\n', 'COMPOSE_EMPTY_FILE', /empty Compose file/],
    ['a: 1\na: 2\n', 'COMPOSE_DUPLICATE_KEY', /^\/p\/compose\.yaml:2:1: duplicate key "a" \(already defined at line 1\)$/],
    ['a: [1, 2\nb: 3\n', 'COMPOSE_YAML_SYNTAX', /^\/p\/compose\.yaml:2:1: invalid YAML: flow sequence/],
    ['a:\n\tb: 1\n', 'COMPOSE_YAML_SYNTAX', /:2:1: invalid YAML: tabs are not allowed/],
    ['- a\n- b\n', 'COMPOSE_TOP_LEVEL', /:1:1: the top level of a Compose file must be a mapping/],
    ['just text\n', 'COMPOSE_TOP_LEVEL', /must be a mapping/],
    ['a: *nope\n', 'COMPOSE_YAML_ALIAS', /:1:4: unknown alias \*nope/],
  ]
  for (const [text, code, message] of bad) {
    it(`rejects ${JSON.stringify(text)} with ${code}`, () => {
      assert.throws(
        () => parseComposeFile(text, '/p/compose.yaml'),
        (e: ComposeFileError) => e instanceof ComposeFileError && e.code === code && message.test(e.message),
      )
    })
  }

  it('a syntax error carries a snippet with a caret', () => {
    try {
      parseComposeFile('services:\n  web:\n    image: "nginx\n', '/p/compose.yaml')
      assert.fail('expected an error')
    } catch (error) {
      assert.ok(error instanceof ComposeFileError)
      assert.match(error.context ?? '', /\^/)
    }
  })

  it('an alias bomb is refused', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n'
    for (let i = 1; i < 9; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`
    assert.throws(() => parseComposeFile(text, '/p/bomb.yaml'), /too many nodes/)
  })
})
