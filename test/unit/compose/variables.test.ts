import {strict as assert} from 'node:assert'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadProject} from '../../../src/compose/load.js'
import {ComposeFileError} from '../../../src/compose/source.js'
import {extractVariables, variablesTable, type ModelVariable} from '../../../src/compose/variables.js'

const v = (Name: string, more: Partial<ModelVariable> = {}): ModelVariable => ({Name, DefaultValue: '', PresenceValue: '', Required: false, ...more})

/** A project directory with these files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-variables-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), {recursive: true})
    writeFileSync(join(dir, name), text)
  }
  return dir
}

describe('compose/variables: extractVariables', () => {
  it('lists every variable of the string values, sorted by name, with its default, alternate and whether it is required', () => {
    const model = {
      services: {
        web: {
          image: '${IMAGE:-nginx}:${TAG-latest}',
          command: ['echo', '${A}', '$B', '$$C', '${D:+alt}', '${E:?must set E}'],
          environment: {X: '${NESTED:-${INNER:-deep}}', Y: '${R?req}', lower: '${lower_case}'},
          ports: [8080],
          init: true,
        },
      },
    }
    assert.deepEqual(extractVariables(model), {
      A: v('A'),
      B: v('B'),
      D: v('D', {PresenceValue: 'alt'}),
      E: v('E', {Required: true}),
      IMAGE: v('IMAGE', {DefaultValue: 'nginx'}),
      INNER: v('INNER', {DefaultValue: 'deep'}),
      NESTED: v('NESTED', {DefaultValue: '${INNER:-deep}'}),
      R: v('R', {Required: true}),
      TAG: v('TAG', {DefaultValue: 'latest'}),
      lower_case: v('lower_case'),
    })
    // byte order, as compose sorts: upper case before lower case
    assert.deepEqual(Object.keys(extractVariables(model)).slice(-2), ['TAG', 'lower_case'])
  })

  it('reads values, not keys', () => {
    assert.deepEqual(extractVariables({services: {'${S}': {labels: {'${K}': '${V}'}}}}), {V: v('V')})
  })

  it('merges the uses of one variable: required if any use requires it, the first non-empty default and alternate', () => {
    const model = {services: {a: {image: '${V}'}, b: {image: '${V:-first}'}, c: {image: '${V:?r}'}, d: {image: '${V:-second} ${V:+alt} ${V+other}'}}}
    assert.deepEqual(extractVariables(model), {V: v('V', {DefaultValue: 'first', PresenceValue: 'alt', Required: true})})
  })

  it('a malformed template is an error at its place in the file', () => {
    const dir = project({'compose.yaml': 'services:\n  a:\n    image: x\n    command: ["ok", "${1BAD}"]\n'})
    return loadProject({cwd: dir, env: {}, interpolate: false, normalize: false}).then((result) => {
      assert.throws(
        () => extractVariables(result.model, {sourceOf: result.sourceOf}),
        (e: ComposeFileError) =>
          e.code === 'COMPOSE_INTERPOLATION_SYNTAX' && e.message === `${join(dir, 'compose.yaml')}:4:21: invalid interpolation format in "\${1BAD}" (services.a.command[1])`,
      )
    })
  })
})

describe('compose/variables: a project loaded without interpolation', () => {
  it('has the variables of every file, include and extends, and of services a profile switches off; a required one unset is no error', async () => {
    const dir = project({
      'compose.yaml': [
        'name: ${PROJECT:?name it}',
        'include: [inc/compose.yaml]',
        'services:',
        '  a:',
        '    extends: {file: base.yaml, service: base}',
        '    image: ${A_IMAGE}',
        '  off:',
        '    image: ${OFF_IMAGE:-x}',
        '    profiles: [never]',
        '',
      ].join('\n'),
      'override.yaml': 'services:\n  a:\n    environment: {O: "${OVERRIDE:-o}"}\n',
      'base.yaml': 'services:\n  base:\n    image: ${HIDDEN}\n    command: ${BASE_CMD:-sleep}\n  unused:\n    image: ${UNUSED}\n',
      'inc/compose.yaml': 'services:\n  i:\n    image: ${INC_IMAGE:-inc}\n',
    })
    const result = await loadProject({cwd: dir, env: {}, files: ['compose.yaml', 'override.yaml'], interpolate: false, normalize: false})
    assert.equal(result.nameTemplate, '${PROJECT:?name it}')
    const names = Object.keys(extractVariables(result.model))
    // ${HIDDEN} was overridden by a's own image and `unused` is not part of the project
    assert.deepEqual(names, ['A_IMAGE', 'BASE_CMD', 'INC_IMAGE', 'OFF_IMAGE', 'OVERRIDE'])
  })

  it('nameTemplate is undefined when -p names the project', async () => {
    const dir = project({'compose.yaml': 'name: ${N}\nservices: {a: {image: x}}\n'})
    assert.equal((await loadProject({cwd: dir, env: {}, projectName: 'given', normalize: false})).nameTemplate, undefined)
    assert.equal((await loadProject({cwd: dir, env: {N: 'n'}, normalize: false})).nameTemplate, '${N}')
  })
})

describe('compose/variables: variablesTable', () => {
  it('prints compose’s table: columns at least 20 wide, 3 spaces apart, the last one unpadded', () => {
    assert.equal(
      variablesTable({A: v('A'), B: v('B', {DefaultValue: 'x', PresenceValue: 'y', Required: true})}),
      [
        'NAME                REQUIRED            DEFAULT VALUE       ALTERNATE VALUE',
        'A                   false                                   ',
        'B                   true                x                   y',
        '',
      ].join('\n'),
    )
  })

  it('widens a column to its longest cell', () => {
    const long = 'A_VERY_LONG_VARIABLE_NAME_HERE'
    const lines = variablesTable({[long]: v(long, {DefaultValue: 'a default value that is long'})}).split('\n')
    assert.equal(lines[0], 'NAME                             REQUIRED            DEFAULT VALUE                  ALTERNATE VALUE')
    assert.equal(lines[1], `${long}   false               a default value that is long   `)
  })

  it('prints only the header when there are no variables', () => {
    assert.equal(variablesTable({}), 'NAME                REQUIRED            DEFAULT VALUE       ALTERNATE VALUE\n')
  })
})
