import {strict as assert} from 'node:assert'
import {interpolateModel, scanVariables, substitute, TemplateError, type BracedVariable} from '../../../src/compose/interpolate.js'
import {parseComposeFile} from '../../../src/compose/parse.js'
import {ComposeFileError} from '../../../src/compose/source.js'

const env: Record<string, string> = {SET: 'value', EMPTY: '', A: 'a', N: '3'}
const lookup = (name: string) => env[name]

describe('compose/interpolate: substitute', () => {
  const cases: Array<[string, string]> = [
    ['plain', 'plain'],
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['x${SET}y$SET.z', 'xvaluey' + 'value.z'],
    ['${UNSET:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${UNSET-def}', 'def'],
    ['${SET:-def}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['${UNSET:-${A}-${SET}}', 'a-value'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['cost: $$5', 'cost: $5'],
    ['$1 and trailing $', '$1 and trailing $'],
    ['${SET?never}', 'value'],
    ['${EMPTY?unset only}', ''],
    ['${UNSET:-{braces}}', '{braces}'],
  ]
  for (const [input, expected] of cases) {
    it(`${input} -> ${JSON.stringify(expected)}`, () => assert.equal(substitute(input, lookup), expected))
  }

  it('reports unset variables of $VAR and ${VAR} only', () => {
    const unset: string[] = []
    substitute('$X ${Y} ${Z:-d} ${W-d} ${V:+a}', lookup, {onUnset: (n) => unset.push(n)})
    assert.deepEqual(unset, ['X', 'Y'])
  })

  it(':? and ? stop with the message', () => {
    assert.throws(() => substitute('${UNSET:?give it}', lookup), (e: TemplateError) => e.kind === 'required' && e.message === 'required variable UNSET is missing a value: give it')
    assert.throws(() => substitute('${EMPTY:?}', lookup), /required variable EMPTY is missing a value$/)
    assert.throws(() => substitute('${UNSET?msg $SET}', lookup), /missing a value: msg value/)
  })

  it('rejects malformed templates', () => {
    for (const bad of ['${', '${SET', '${}', '${1A}', '${A.B}', '${A:x}']) {
      assert.throws(() => substitute(bad, lookup), (e: TemplateError) => e.kind === 'invalid', bad)
    }
  })
})

describe('compose/interpolate: scanVariables', () => {
  const scan = (template: string) => {
    const found: BracedVariable[] = []
    scanVariables(template, (v) => found.push(v))
    return found.map((v) => `${v.name}${v.colon ? ':' : ''}${v.op}${v.arg}`)
  }

  it('finds $VAR and ${VAR} in order, without substituting', () => {
    assert.deepEqual(scan('x$A-${B}y $C.d'), ['A', 'B', 'C'])
  })

  it('keeps each operator and its argument as written', () => {
    assert.deepEqual(scan('${A:-d} ${B-d} ${C:+alt} ${D+alt} ${E:?msg} ${F?} ${G:-}'), ['A:-d', 'B-d', 'C:+alt', 'D+alt', 'E:?msg', 'F?', 'G:-'])
  })

  it('reads into defaults and alternates, not into ? messages', () => {
    assert.deepEqual(scan('${A:-${B:-${C}}} ${D:+$E} ${F:?need $G}'), ['A:-${B:-${C}}', 'B:-${C}', 'C', 'D:+$E', 'E', 'F:?need $G'])
  })

  it('skips $$ literals and a $ not followed by a name', () => {
    assert.deepEqual(scan('$$A $${B} $1 cost: $$5 trailing $'), [])
    assert.deepEqual(scan('$$$A'), ['A'])
  })

  it('rejects the templates substitute rejects', () => {
    for (const bad of ['${', '${A', '${}', '${1A}', '${A.B}', '${A:x}', '${A:-${}']) {
      assert.throws(() => scan(bad), (e: TemplateError) => e.kind === 'invalid', bad)
    }
  })
})

describe('compose/interpolate: model', () => {
  it('interpolates values, not keys, and casts typed fields', () => {
    const [doc] = parseComposeFile(
      'services:\n  ${A}:\n    image: img:${SET}\n    init: "${T:-true}"\n    deploy: {replicas: "${N}"}\n    ports: [{target: "${P:-80}"}]\n    environment: ["K=$SET"]\n',
      '/p/compose.yaml',
    )
    interpolateModel(doc.model, {lookup, source: doc.source})
    assert.deepEqual(doc.model, {
      services: {'${A}': {image: 'img:value', init: true, deploy: {replicas: 3}, ports: [{target: 80}], environment: ['K=value']}},
    })
  })

  it('casts by field wherever the pattern ends: a named ulimit, a list index, a resource flag; other strings stay strings', () => {
    const [doc] = parseComposeFile(
      [
        'services:',
        '  web:',
        '    image: "${UNSET_N:-1}"',
        '    ulimits: {nproc: "${UNSET_N:-65535}", nofile: {soft: "${UNSET_N:-1}", hard: "2"}}',
        '    volumes: [{type: volume, source: v, target: /v, read_only: "${UNSET_T:-yes}"}]',
        '    labels: {init: "${UNSET_T:-true}"}',
        'volumes:',
        '  v: {external: "${UNSET_T:-false}"}',
        '',
      ].join('\n'),
      '/p/compose.yaml',
    )
    interpolateModel(doc.model, {lookup, source: doc.source})
    assert.deepEqual(doc.model, {
      services: {
        web: {
          image: '1',
          ulimits: {nproc: 65535, nofile: {soft: 1, hard: 2}},
          volumes: [{type: 'volume', source: 'v', target: '/v', read_only: true}],
          labels: {init: 'true'},
        },
      },
      volumes: {v: {external: false}},
    })
  })

  it('an error names the file, line and column of the value', () => {
    const [doc] = parseComposeFile('services:\n  db:\n    environment:\n      PASS: ${PASS:?is required}\n', '/p/compose.yaml')
    assert.throws(
      () => interpolateModel(doc.model, {lookup, source: doc.source}),
      (e: ComposeFileError) =>
        e.code === 'COMPOSE_REQUIRED_VARIABLE' &&
        e.message === '/p/compose.yaml:4:13: required variable PASS is missing a value: is required (services.db.environment.PASS)' &&
        e.context !== undefined &&
        e.context.includes('^'),
    )
  })

  it('a bad cast is an error at the field', () => {
    const [doc] = parseComposeFile('services:\n  s:\n    deploy:\n      replicas: ${SET}\n', '/p/c.yaml')
    assert.throws(() => interpolateModel(doc.model, {lookup, source: doc.source}), /c\.yaml:4:7: invalid value: "value" is not an integer/)
  })
})
