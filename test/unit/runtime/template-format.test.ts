import {strict as assert} from 'node:assert'
import {BerthError} from '../../../src/errors.js'
import {alignColumns, parseFormat, renderItems, type FormatItem, type FormatSchema} from '../../../src/runtime/template-format.js'

const schema: FormatSchema = {
  headers: {Name: 'VOLUME NAME', Driver: 'DRIVER', Size: 'SIZE'},
  defaultTable: '{{.Driver}}\t{{.Name}}',
  labels: true,
}
const items: FormatItem[] = [
  {fields: {Name: 'demo_data', Driver: 'local', Size: 'N/A'}, labels: {'com.docker.compose.volume': 'data'}},
  {fields: {Name: 'demo_cache-long-name', Driver: 'local', Size: '1kB'}, labels: {}},
]

function render(format: string, header?: boolean): string {
  return renderItems(parseFormat(format, schema), items, schema, {header})
}

function badFormat(format: string, pattern: RegExp): void {
  assert.throws(
    () => parseFormat(format, schema),
    (error: unknown) => error instanceof BerthError && error.code === 'BAD_FORMAT' && pattern.test(error.message) && !error.message.includes('\n'),
  )
}

describe('runtime: --format templates (docker formatting subset)', () => {
  it('table (and an empty format) is the default columns, aligned like docker (min 10, padding 3)', () => {
    const expected = 'DRIVER    VOLUME NAME\nlocal     demo_data\nlocal     demo_cache-long-name\n'
    assert.equal(render('table'), expected)
    assert.equal(render(''), expected)
  })

  it('table TEMPLATE names its header after the fields; \\t typed in the format is a tab', () => {
    assert.equal(render('table {{.Name}}\\t{{.Driver}}'), 'VOLUME NAME            DRIVER\ndemo_data              local\ndemo_cache-long-name   local\n')
  })

  it('a bare TEMPLATE is one unaligned line per item', () => {
    assert.equal(render('{{.Name}}\\t{{.Size}}'), 'demo_data\tN/A\ndemo_cache-long-name\t1kB\n')
    assert.equal(render('name={{ .Name }}'), 'name=demo_data\nname=demo_cache-long-name\n')
  })

  it('json is one object per line with sorted keys; {{json .}} and {{json .Field}} too', () => {
    assert.equal(render('json'), '{"Driver":"local","Name":"demo_data","Size":"N/A"}\n{"Driver":"local","Name":"demo_cache-long-name","Size":"1kB"}\n')
    assert.equal(render('{{json .}}'), render('json'))
    assert.equal(render('{{json .Name}}'), '"demo_data"\n"demo_cache-long-name"\n')
  })

  it('functions, pipelines, labels and trim markers', () => {
    assert.equal(render('{{upper .Name}} {{.Driver | upper}}'), 'DEMO_DATA LOCAL\nDEMO_CACHE-LONG-NAME LOCAL\n')
    assert.equal(render('{{lower "ABC"}}-{{title .Driver}}-{{truncate .Name 4}}'), 'abc-Local-demo\nabc-Local-demo\n')
    assert.equal(render('{{.Label "com.docker.compose.volume"}}|'), 'data|\n|\n')
    assert.equal(render('a  {{- .Driver -}}  b'), 'alocalb\nalocalb\n')
  })

  it('a table header of a label is the key in capitals', () => {
    assert.equal(render('table {{.Name}}\\t{{.Label "com.docker.compose.volume"}}', true).split('\n')[0], 'VOLUME NAME            COM.DOCKER.COMPOSE.VOLUME')
    assert.equal(render('table {{.Name}}', false), 'demo_data\ndemo_cache-long-name\n')
  })

  it('mistakes are one line before anything runs', () => {
    badFormat('{{.Nope}}', /can't evaluate field Nope \(fields: Name, Driver, Size\)/)
    badFormat('{{shout .Name}}', /function "shout" not defined/)
    badFormat('{{upper}}', /wrong number of arguments for upper: want 1, got 0/)
    badFormat('{{.Name', /unclosed action/)
    badFormat('{{}}', /missing value/)
    badFormat('{{.Name "x"}}', /takes no arguments/)
    badFormat('{{.Label}}', /Label takes one argument/)
    badFormat('yaml', /must be "table", "json", "table TEMPLATE" or a TEMPLATE/)
    assert.throws(() => parseFormat('{{.Label "x"}}', {...schema, labels: false}), /can't evaluate field Label/)
  })

  it('alignColumns pads every cell but the last of a line to the column width', () => {
    assert.equal(alignColumns(['A\tBB\tC', 'LONGER-THAN-TEN\tx\ty']), 'A                 BB        C\nLONGER-THAN-TEN   x         y\n')
    assert.equal(alignColumns(['only']), 'only\n')
    // Width is counted in characters, not bytes.
    assert.equal(alignColumns(['é\tx', 'ab\ty']), 'é         x\nab        y\n')
  })
})
