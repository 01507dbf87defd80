import {strict as assert} from 'node:assert'
import {parseDockerfile, targetStage, stageRef, DockerfileError} from '../../../src/build/dockerfile/index.js'
import {parseDockerfileText, heredocMarkers} from '../../../src/build/dockerfile/parser.js'
import {parseGoDuration} from '../../../src/build/dockerfile/instructions.js'

function errorOf(text: string): DockerfileError {
  try {
    parseDockerfile(text)
  } catch (error) {
    assert.ok(error instanceof DockerfileError, `expected a DockerfileError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the Dockerfile to be rejected')
}

describe('build/dockerfile parser', () => {
  it('reads parser directives only at the top', () => {
    const p = parseDockerfileText('# syntax=docker/dockerfile:1\n# escape=`\nFROM x\n# escape=\\\n')
    assert.deepEqual(p.directives, {syntax: 'docker/dockerfile:1', escape: '`'})
    assert.equal(p.escape, '`')
    const late = parseDockerfileText('# a comment\n# escape=`\nFROM x\n')
    assert.equal(late.escape, '\\')
    assert.deepEqual(late.directives, {})
  })

  it('rejects a bad escape and a duplicate directive', () => {
    assert.match(errorOf('# escape=x\nFROM a\n').message, /invalid escape token/)
    assert.match(errorOf('# escape=\\\n# escape=`\nFROM a\n').message, /only one escape/)
  })

  it('joins continuations, skipping comment lines, keeping inner whitespace', () => {
    const p = parseDockerfileText('FROM a\nRUN echo a \\\n# inner comment\n    b \\  \n  c\n')
    assert.equal(p.instructions[1].args, 'echo a     b   c')
    assert.equal(p.instructions[1].line, 2)
    assert.equal(p.instructions[1].endLine, 5)
  })

  it('uses the escape directive for continuations', () => {
    const p = parseDockerfileText('# escape=`\nFROM a\nRUN dir c:\\ `\n  /w\n')
    assert.equal(p.instructions[1].args, 'dir c:\\   /w')
  })

  it('keywords are case-insensitive and positions are 1-based', () => {
    const p = parseDockerfileText('\n\n  from  alpine AS Build\n')
    assert.equal(p.instructions[0].keyword, 'FROM')
    assert.equal(p.instructions[0].line, 3)
    assert.equal(p.instructions[0].col, 3)
    const df = parseDockerfile('from alpine AS Build\n')
    assert.equal(df.stages[0].name, 'build')
  })

  it('detects JSON (exec) form and falls back to shell form for bad JSON', () => {
    const df = parseDockerfile('FROM a\nCMD ["echo", "hi"]\nENTRYPOINT [bad json]\nRUN ["sh","-c","x"]\n')
    const [cmd, ep, run] = df.stages[0].instructions
    assert.deepEqual(cmd.kind === 'CMD' && cmd.command, {form: 'exec', argv: ['echo', 'hi']})
    assert.deepEqual(ep.kind === 'ENTRYPOINT' && ep.command, {form: 'shell', text: '[bad json]'})
    assert.deepEqual(run.kind === 'RUN' && run.command, {form: 'exec', argv: ['sh', '-c', 'x']})
  })

  it('parses flags with values, quotes and booleans', () => {
    const df = parseDockerfile('FROM --platform=linux/amd64 a AS b\nCOPY --from=b --chown="1:2" --chmod=0644 --link x /y\nRUN --network=none true\n')
    assert.equal(df.stages[0].from.platform, 'linux/amd64')
    const copy = df.stages[0].instructions[0]
    assert.ok(copy.kind === 'COPY')
    assert.equal(copy.from, 'b')
    assert.equal(copy.chown, '1:2')
    assert.equal(copy.chmod, '0644')
    assert.equal(copy.link, true)
    const run = df.stages[0].instructions[1]
    assert.ok(run.kind === 'RUN' && run.network === 'none')
  })

  it('reads heredocs for RUN and COPY, with <<- and quoted delimiters', () => {
    const text = 'FROM a\nRUN <<EOF\necho one\necho two\nEOF\nCOPY <<-"CONF" <<app.sh /etc/\n\tkey=$v\n\tCONF\n#!/bin/sh\necho app\napp.sh\nCMD x\n'
    const df = parseDockerfile(text)
    const [run, copy, cmd] = df.stages[0].instructions
    assert.ok(run.kind === 'RUN')
    assert.deepEqual(run.heredocs, [{name: 'EOF', chomp: false, expand: true, content: 'echo one\necho two\n'}])
    assert.equal(run.endLine, 5)
    assert.ok(copy.kind === 'COPY')
    assert.deepEqual(copy.heredocs.map((h) => [h.name, h.content, h.expand, h.chomp]), [
      ['CONF', 'key=$v\n', false, true],
      ['app.sh', '#!/bin/sh\necho app\n', true, false],
    ])
    assert.equal(cmd.kind, 'CMD')
    assert.equal(cmd.line, 12)
  })

  it('finds heredoc markers outside quotes only', () => {
    assert.deepEqual(heredocMarkers('cat <<EOF > /x').map((m) => m.name), ['EOF'])
    assert.deepEqual(heredocMarkers('echo "<<EOF"').map((m) => m.name), [])
    assert.deepEqual(heredocMarkers('python3 <<-\'PY\' && x <<B').map((m) => [m.name, m.chomp, m.expand]), [['PY', true, false], ['B', false, true]])
  })

  it('rejects an unterminated heredoc', () => {
    assert.match(errorOf('FROM a\nRUN <<EOF\necho\n').message, /Dockerfile:2:1: unterminated heredoc/)
  })

  it('parses every instruction', () => {
    const df = parseDockerfile([
      'ARG BASE=busybox',
      'FROM $BASE AS base',
      'MAINTAINER Jane <jane@example.com>',
      'LABEL a=b "c d"="e f"',
      'LABEL legacy value with spaces',
      'ENV A=1 B="two words"',
      'ENV OLD some value',
      'ARG X Y=2',
      'EXPOSE 80 443/udp',
      'WORKDIR /app',
      'USER 1000:1000',
      'VOLUME ["/data", "/logs"]',
      'VOLUME /a /b',
      'STOPSIGNAL SIGTERM',
      'HEALTHCHECK --interval=5s --timeout=1m30s --start-period=100ms --retries=3 CMD wget -q localhost',
      'SHELL ["/bin/sh", "-ec"]',
      'ONBUILD RUN echo triggered',
      'ADD --chown=1:1 a.tar /x/',
      'COPY ["a b", "/c/"]',
      'CMD echo hi',
      'ENTRYPOINT ["/bin/app"]',
    ].join('\n'))
    assert.equal(df.globalArgs.length, 1)
    const kinds = df.stages[0].instructions.map((i) => i.kind)
    assert.deepEqual(kinds, ['MAINTAINER', 'LABEL', 'LABEL', 'ENV', 'ENV', 'ARG', 'EXPOSE', 'WORKDIR', 'USER', 'VOLUME', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'ADD', 'COPY', 'CMD', 'ENTRYPOINT'])
    const label = df.stages[0].instructions[1]
    assert.ok(label.kind === 'LABEL')
    assert.deepEqual(label.pairs, [{key: 'a', value: 'b'}, {key: '"c d"', value: '"e f"'}])
    const legacy = df.stages[0].instructions[4]
    assert.ok(legacy.kind === 'ENV' && legacy.legacy)
    assert.deepEqual(legacy.pairs, [{key: 'OLD', value: 'some value'}])
    const arg = df.stages[0].instructions[5]
    assert.ok(arg.kind === 'ARG')
    assert.deepEqual(arg.args, [{name: 'X'}, {name: 'Y', default: '2'}])
    const hc = df.stages[0].instructions[12]
    assert.ok(hc.kind === 'HEALTHCHECK')
    assert.equal(hc.interval, 5e9)
    assert.equal(hc.timeout, 90e9)
    assert.equal(hc.startPeriod, 1e8)
    assert.equal(hc.retries, 3)
    assert.deepEqual(hc.command, {form: 'shell', text: 'wget -q localhost'})
  })

  it('parses HEALTHCHECK NONE and exec form', () => {
    const df = parseDockerfile('FROM a\nHEALTHCHECK NONE\nHEALTHCHECK CMD ["true"]\n')
    const [none, exec] = df.stages[0].instructions
    assert.ok(none.kind === 'HEALTHCHECK' && none.command === undefined)
    assert.ok(exec.kind === 'HEALTHCHECK')
    assert.deepEqual(exec.command, {form: 'exec', argv: ['true']})
  })

  it('Go durations', () => {
    assert.equal(parseGoDuration('1h2m3s'), 3723e9)
    assert.equal(parseGoDuration('1.5s'), 1.5e9)
    assert.equal(parseGoDuration('250ms'), 250e6)
    assert.equal(parseGoDuration('0'), 0)
    assert.equal(parseGoDuration('5'), undefined)
    assert.equal(parseGoDuration('5x'), undefined)
  })

  describe('errors with file:line:col and a snippet', () => {
    const cases: Array<[string, RegExp]> = [
      ['FROM a\nRUNN echo\n', /^Dockerfile:2:1: unknown instruction: RUNN$/],
      ['FROM a\nRUN --mount=type=cache,target=/x true\n', /Dockerfile:2:5: RUN --mount needs BuildKit/],
      ['FROM a\nCOPY --parents a /b\n', /needs BuildKit/],
      ['FROM a\nCOPY --frm=x a /b\n', /Dockerfile:2:6: unknown flag: --frm \(COPY takes --from, --chown, --chmod, --link\)/],
      ['FROM a\nENV --x=1 A=b\n', /unknown flag: --x/],
      ['FROM a\nCOPY --from a /b\n', /missing a value on flag: --from/],
      ['FROM a\nCOPY --link=maybe a /b\n', /expecting boolean value/],
      ['FROM a\nCOPY --from=x --from=y a /b\n', /duplicate flag/],
      ['FROM a\nADD --from=x a /b\n', /ADD does not take --from|unknown flag: --from/],
      ['FROM a\nRUN --network=bridge true\n', /unsupported network mode/],
      ['FROM a\nCOPY onlyone\n', /requires at least two arguments/],
      ['FROM a\nENV\n', /ENV requires at least one argument/],
      ['FROM a\nENV A\n', /ENV must have two arguments/],
      ['FROM a\nENV A=1 B\n', /can't find = in "B"/],
      ['FROM a\nENV =1\n', /names can not be blank/],
      ['FROM a\nSHELL /bin/bash -c\n', /SHELL requires the arguments to be in JSON form/],
      ['FROM a\nHEALTHCHECK --interval=5 CMD true\n', /invalid duration for --interval/],
      ['FROM a\nHEALTHCHECK --retries=0 CMD true\n', /--retries must be at least 1/],
      ['FROM a\nHEALTHCHECK --interval=5s NONE\n', /HEALTHCHECK NONE takes no arguments/],
      ['FROM a\nHEALTHCHECK echo\n', /unknown type for healthcheck/],
      ['FROM a\nONBUILD FROM b\n', /FROM isn't allowed as an ONBUILD trigger/],
      ['FROM a\nONBUILD ONBUILD RUN x\n', /ONBUILD isn't allowed/],
      ['FROM a\nONBUILD RUNN x\n', /unknown instruction: RUNN/],
      ['RUN echo\nFROM a\n', /Dockerfile:1:1: RUN before the first FROM/],
      ['# only a comment\n', /the Dockerfile is empty/],
      ['ARG A\n', /no FROM instruction/],
      ['FROM a AS x\nFROM b AS X\n', /Dockerfile:2:1: duplicate stage name "x"/],
      ['FROM a AS 1x\n', /invalid name for build stage/],
      ['FROM a b\n', /FROM requires either one or three arguments/],
    ]
    for (const [text, re] of cases) {
      it(`${JSON.stringify(text.split('\n')[1] || text.split('\n')[0])} -> ${re.source.slice(0, 50)}`, () => {
        assert.match(errorOf(text).message, re)
      })
    }

    it('suggests the nearest instruction and shows a snippet with a caret', () => {
      const error = errorOf('FROM a\nWORKDRI /x\n')
      assert.equal(error.code, 'DOCKERFILE_UNKNOWN_INSTRUCTION')
      assert.deepEqual(error.hints, ['did you mean WORKDIR?'])
      assert.equal(error.context, '1 | FROM a\n2 | WORKDRI /x\n  | ^')
    })
  })

  describe('stages', () => {
    const df = parseDockerfile('FROM a AS deps\nRUN x\nFROM deps AS build\nCOPY --from=0 /x /y\nFROM b\nCOPY --from=build /y /z\n')
    it('picks the last stage by default, or the named target', () => {
      assert.equal(targetStage(df).index, 2)
      assert.equal(targetStage(df, 'BUILD').index, 1)
      assert.throws(() => targetStage(df, 'nope'), /target stage "nope" could not be found/)
    })
    it('resolves stage references by name or earlier index only', () => {
      assert.equal(stageRef(df, 'deps', 1)?.index, 0)
      assert.equal(stageRef(df, '0', 1)?.index, 0)
      assert.equal(stageRef(df, 'build', 1), undefined)
      assert.equal(stageRef(df, 'busybox', 2), undefined)
    })
  })
})
