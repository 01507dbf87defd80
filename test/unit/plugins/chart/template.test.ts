import assert from 'node:assert/strict'
import {TemplateEngine} from '../../../../src/plugins/chart/template/exec.js'
import {builtinFuncs} from '../../../../src/plugins/chart/template/funcs.js'
import {sprintf} from '../../../../src/plugins/chart/template/fmt.js'
import {parseTemplate} from '../../../../src/plugins/chart/template/parse.js'
import {formatFloat} from '../../../../src/plugins/chart/template/values.js'
import {toYamlText, yamlKeyLess} from '../../../../src/plugins/chart/template/yaml.js'
import {applySet, coalesce} from '../../../../src/plugins/chart/values.js'

function render(text: string, data: unknown = {}, defs = ''): string {
  const e = new TemplateEngine(builtinFuncs())
  if (defs) e.addFile('c/templates/_helpers.tpl', defs)
  e.addFile('c/templates/x.yaml', text)
  return e.renderFile('c/templates/x.yaml', data).replace(/<no value>/g, '')
}

function renderError(text: string, data: unknown = {}): string {
  try {
    render(text, data)
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected an error')
}

describe('chart template engine', () => {
  describe('parser', () => {
    it('keeps text, actions and defines apart', () => {
      const p = parseTemplate('t', 'a{{ .x }}b{{ define "d" }}in{{ end }}')
      assert.deepEqual(p.root.map((n) => n.type), ['text', 'action', 'text'])
      assert.ok(p.defines.has('d'))
    })
    it('trims around {{- and -}} and drops comments', () => {
      assert.equal(render('a  \n {{- "b" -}} \n  c{{/* gone */}}d {{- /* also */ -}} e'), 'abcde')
    })
    it('reports parse errors with file and line', () => {
      assert.match(renderError('x\n{{ if .a }}'), /^parse error at \(c\/templates\/x\.yaml:2\): unexpected EOF$/)
      assert.match(renderError('{{ nofunc 1 }}'), /function "nofunc" not defined/)
      assert.match(renderError('{{ "open }}'), /unterminated quoted string/)
      assert.match(renderError('{{ break }}'), /outside \{\{range\}\}/)
    })
    it('numbers: ints, floats, hex, chars', () => {
      assert.equal(render('{{ 3 }} {{ 1.5 }} {{ 0x10 }} {{ \'a\' }} {{ 1e3 }} {{ -2 }}'), '3 1.5 16 97 1000 -2')
    })
  })

  describe('execution', () => {
    it('fields, variables, parentheses and pipelines', () => {
      assert.equal(render('{{ $x := .a.b }}{{ $x }} {{ (.a).b | printf "%v!" }} {{ $.a.b }}', {a: {b: 'v'}}), 'v v! v')
      assert.equal(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}'), '2')
    })
    it('missing keys print nothing; a nil parent is an error with Go\'s column', () => {
      assert.equal(render('[{{ .a.missing }}]', {a: {}}), '[]')
      assert.equal(renderError('a: {{ .Values.nope.b }}', {Values: {}}), 'template: c/templates/x.yaml:1:13: executing "c/templates/x.yaml" at <.Values.nope.b>: nil pointer evaluating interface {}.b')
    })
    it('if / else if / else and with', () => {
      const t = '{{ if eq .n 1 }}one{{ else if eq .n 2 }}two{{ else }}many{{ end }}'
      assert.equal(render(t, {n: 1n}), 'one')
      assert.equal(render(t, {n: 2n}), 'two')
      assert.equal(render(t, {n: 5n}), 'many')
      assert.equal(render('{{ with .a }}{{ .b }}{{ else }}none{{ end }}', {a: {b: 'x'}}), 'x')
      assert.equal(render('{{ with .a }}{{ .b }}{{ else }}none{{ end }}', {a: {}}), 'none')
    })
    it('range over maps in key order, lists with $i, ints, and else', () => {
      assert.equal(render('{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}', {b: 2, a: 1, C: 3}), 'C=3;a=1;b=2;')
      assert.equal(render('{{ range $i, $v := . }}{{ $i }}:{{ $v }} {{ end }}', ['x', 'y']), '0:x 1:y ')
      assert.equal(render('{{ range 3 }}{{ . }}{{ end }}'), '012')
      assert.equal(render('{{ range . }}x{{ else }}empty{{ end }}', []), 'empty')
      assert.equal(render('{{ range . }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}', [1n, 2n, 3n, 4n, 5n]), '13')
    })
    it('define, template, include, block', () => {
      const defs = '{{ define "greet" }}hi {{ . }}{{ end }}'
      assert.equal(render('{{ template "greet" "bob" }} {{ include "greet" "amy" | upper }}', {}, defs), 'hi bob HI AMY')
      assert.equal(render('{{ block "b" . }}default {{ .x }}{{ end }}', {x: 1}), 'default 1')
      assert.match(renderError('{{ include "nope" . }}'), /error calling include: template: no template "nope"/)
    })
    it('and/or return an operand and stop early', () => {
      assert.equal(render('{{ and 1 0 }} {{ or 0 "" "x" }} {{ and 1 2 }} {{ or 1 (fail "never") }}'), '0 x 2 1')
    })
    it('required and fail: helm\'s execution error', () => {
      assert.equal(renderError('a: {{ required "need foo" .foo }}'), 'execution error at (c/templates/x.yaml:1:6): need foo')
      assert.equal(renderError('{{ fail "stop" }}'), 'execution error at (c/templates/x.yaml:1:3): stop')
    })
    it('tpl renders a string with the current data', () => {
      assert.equal(render('{{ tpl .t . }}', {t: '{{ .name }}-x', name: 'n'}), 'n-x')
    })
    it('eq refuses an int and a float, as Go does', () => {
      assert.match(renderError('{{ eq .n 1 }}', {n: 1}), /error calling eq: incompatible types for comparison/)
      assert.equal(render('{{ eq (int .n) 1 }}', {n: 1}), 'true')
    })
    it('index and len', () => {
      assert.equal(render('{{ index . "a" 1 }} {{ len .a }} {{ len "héllo" }}', {a: ['x', 'y']}), 'y 2 6')
      assert.match(renderError('{{ index .a 5 }}', {a: []}), /error calling index: index out of range: 5/)
    })
  })

  describe('functions', () => {
    const cases: Array<[string, string, unknown?]> = [
      ['{{ default "d" .x }} {{ default "d" "v" }} {{ default 5 0 }}', 'd v 5'],
      ['{{ quote "a\\"b" }} {{ squote "s" }} {{ quote 1 }} {{ quote nil }}', '"a\\"b" \'s\' "1" '],
      ['{{ "abc" | upper }} {{ "ABC" | lower }} {{ title "hello world" }}', 'ABC abc Hello World'],
      ['{{ trim "  x " }}|{{ trimSuffix ".yaml" "a.yaml" }}|{{ trimPrefix "v" "v1" }}|{{ trimAll "-" "--x--" }}', 'x|a|1|x'],
      ['{{ replace "a" "b" "aXa" }} {{ contains "ell" "hello" }} {{ hasPrefix "he" "hello" }} {{ hasSuffix "lo" "hello" }}', 'bXb true true true'],
      ['{{ trunc 3 "abcdef" }} {{ trunc -2 "abcdef" }} {{ "x" | repeat 3 }} {{ substr 1 3 "abcd" }}', 'abc ef xxx bc'],
      ['{{ indent 2 "a\\nb" }}|{{ nindent 2 "a" }}', '  a\n  b|\n  a'],
      ['{{ list 1 "a" | toJson }} {{ dict "b" 1 "a" 2 | toJson }} {{ splitList "," "a,b" | join "-" }}', '[1,"a"] {"a":2,"b":1} a-b'],
      ['{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $_ := unset $d "a" }}{{ hasKey $d "b" }} {{ hasKey $d "a" }} {{ keys $d | sortAlpha }}', 'true false [b]'],
      ['{{ merge (dict "a" 1) (dict "a" 2 "b" 3) | toJson }} {{ mergeOverwrite (dict "a" 1) (dict "a" 2) | toJson }}', '{"a":1,"b":3} {"a":2}'],
      ['{{ empty "" }} {{ empty 0 }} {{ empty (list) }} {{ empty "x" }} {{ coalesce "" 0 "z" }} {{ ternary "y" "n" true }}', 'true true true false z y'],
      ['{{ toString 1.5 }} {{ int "12" }} {{ int64 3.9 }} {{ float64 2 }} {{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 3 }}', '1.5 12 3 2 6 3 6 3 1'],
      ['{{ max 1 9 3 }} {{ min 4 2 8 }} {{ until 3 }} {{ untilStep 0 10 4 }}', '9 2 [0 1 2] [0 4 8]'],
      ['{{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ sha256sum "a" | trunc 8 }}', 'aGk= hi ca978112'],
      ['{{ semverCompare ">=1.20-0" "v1.32.0" }} {{ semverCompare "^1.2.0" "2.0.0" }} {{ semverCompare ">=1.0, <2.0" "1.5.0" }}', 'true false true'],
      ['{{ regexMatch "^a.c$" "abc" }} {{ regexReplaceAll "(a)(b)" "xaby" "${2}$1" }}', 'true xbay'],
      ['{{ lookup "v1" "Secret" "ns" "n" | toJson }} {{ deepCopy (dict "a" (list 1)) | toJson }}', '{} {"a":[1]}'],
      ['{{ fromYaml "a: 1\\nb: [x]" | toJson }} {{ fromJson "{\\"a\\":1}" | toYaml }}', '{"a":1,"b":["x"]} a: 1'],
    ]
    for (const [tpl, want, data] of cases) {
      it(tpl, () => assert.equal(render(tpl, data ?? {}), want))
    }
  })

  describe('Go formatting', () => {
    it('floats as %v prints them', () => {
      assert.equal(formatFloat(1234567), '1.234567e+06')
      assert.equal(formatFloat(1000000), '1e+06')
      assert.equal(formatFloat(123456), '123456')
      assert.equal(formatFloat(0.00001), '1e-05')
      assert.equal(formatFloat(2.5), '2.5')
    })
    it('printf verbs and markers', () => {
      assert.equal(sprintf('%d|%5d|%-3d|%03d|%x', [42n, 42n, 1n, 7n, 255n]), '42|   42|1  |007|ff')
      assert.equal(sprintf('%.2f|%s|%q|%v|%T', [3.14159, 'a', 'b"', [1n, 'x'], {a: 1}]), '3.14|a|"b\\""|[1 x]|map[string]interface {}')
      assert.equal(sprintf('%d', ['s']), '%!d(string=s)')
      assert.equal(sprintf('%s %s', ['a']), 'a %!s(MISSING)')
      assert.equal(sprintf('x', [1n]), 'x%!(EXTRA int=1)')
    })
  })

  describe('toYaml (go-yaml v2 style)', () => {
    it('orders keys naturally and quotes what would read as another type', () => {
      assert.ok(yamlKeyLess('a9', 'a10'))
      assert.ok(yamlKeyLess('*', 'a'))
      assert.equal(toYamlText({b: '80', a: ['x', 'yes', '', null, 'a: b'], c: {}, d: 'l1\nl2'}), 'a:\n- x\n- "yes"\n- ""\n- null\n- \'a: b\'\nb: "80"\nc: {}\nd: |-\n  l1\n  l2\n')
    })
    it('folds long plain strings at 80 columns', () => {
      const long = Array(12).fill('word').join(' ') + ' ' + Array(10).fill('more').join(' ')
      const out = toYamlText({k: long})
      assert.ok(out.split('\n').length > 2, out)
    })
  })

  describe('--set key paths', () => {
    it('nested keys, list indexes, lists, escaped dots, types', () => {
      const v: Record<string, unknown> = {}
      applySet(v, 'a.b=1,c[1].d=x,e={p,q},f\\.g=true,h=007,i=null', 'set')
      assert.deepEqual(v, {a: {b: 1n}, c: [null, {d: 'x'}], e: ['p', 'q'], 'f.g': true, h: '007', i: null})
      const s: Record<string, unknown> = {}
      applySet(s, 'a=1', 'string')
      applySet(s, 'j={"x":[1]}', 'json')
      assert.deepEqual(s, {a: '1', j: {x: [1]}})
    })
    it('a null removes a chart default', () => {
      assert.deepEqual(coalesce({a: null, b: {c: 2}}, {a: 1, b: {c: 1, d: 1}}), {b: {c: 2, d: 1}})
    })
  })
})
