import {strict as assert} from 'node:assert'
import {parseDockerfile} from '../../../src/build/dockerfile/index.js'
import type {Instruction} from '../../../src/build/dockerfile/instructions.js'
import {applyMetadata, cacheArgs, createVariables, expandCopy, expandFrom, initialState, isMetadata, runArgs, runArgv, type StageState} from '../../../src/build/steps.js'
import type {ImageConfig} from '../../../src/build/image-config.js'

/** Runs the metadata steps of the last stage over a base config; returns the state and step texts. */
function evaluate(text: string, buildArgs: Record<string, string> = {}, base: ImageConfig = {Env: ['PATH=/bin']}) {
  const df = parseDockerfile(text)
  const vars = createVariables(df, buildArgs)
  const stage = df.stages[df.stages.length - 1]
  const state: StageState = initialState(base)
  const steps: string[] = []
  const others: Instruction[] = []
  for (const instruction of stage.instructions) {
    if (isMetadata(instruction)) steps.push(applyMetadata(state, vars, instruction))
    else others.push(instruction)
  }
  return {df, vars, state, steps, others, from: expandFrom(vars, stage.from)}
}

describe('build/steps', () => {
  it('global ARGs substitute FROM, and are only visible in a stage when redeclared', () => {
    const {from, state, steps} = evaluate('ARG BASE=busybox\nARG TAG=1\nFROM ${BASE}:${TAG}\nARG TAG\nENV A=$BASE B=$TAG\n')
    assert.deepEqual(from, {image: 'busybox:1', platform: undefined})
    assert.deepEqual(state.config.Env, ['PATH=/bin', 'A=', 'B=1'])
    assert.equal(steps[1], 'ENV A="" B=1')
  })

  it('--build-arg overrides global and stage defaults; unknown build args are not consumed', () => {
    const {from, state, vars} = evaluate('ARG BASE=busybox\nFROM $BASE\nARG V=default\nARG W=$V-x\nLABEL v=$V w=$W\n', {BASE: 'alpine', V: 'given', UNUSED: '1'})
    assert.equal(from.image, 'alpine')
    assert.deepEqual(state.config.Labels, {v: 'given', w: 'given-x'})
    assert.deepEqual([...vars.consumed].sort(), ['BASE', 'V'])
  })

  it('ENV wins over an ARG of the same name; ARG values reach RUN but not the image', () => {
    const {state} = evaluate('FROM a\nARG A=arg\nARG B=b\nENV A=env\nLABEL a=$A\n')
    assert.deepEqual(state.config.Labels, {a: 'env'})
    assert.deepEqual(state.config.Env, ['PATH=/bin', 'A=env'])
    assert.deepEqual(runArgs(state, {buildArgs: {}} as never), [['B', 'b']])
    assert.deepEqual(cacheArgs(state), ['A=arg', 'B=b'])
  })

  it('predefined proxy args reach RUN without an ARG line and stay out of the cache key', () => {
    const {state, vars} = evaluate('FROM a\nARG X=1\n', {HTTP_PROXY: 'http://proxy:3128'})
    assert.deepEqual(runArgs(state, vars), [['X', '1'], ['HTTP_PROXY', 'http://proxy:3128']])
    assert.deepEqual(cacheArgs(state), ['X=1'])
  })

  it('ENV: both forms, later pairs see earlier ones, base image env is visible, order kept', () => {
    const {state} = evaluate('FROM a\nENV PATH=/usr/bin:$PATH\nENV X=1 Y=${X}2\nENV Z the rest  of it\nENV Q="quoted value" R=a\\ b\n')
    assert.deepEqual(state.config.Env, ['PATH=/usr/bin:/bin', 'X=1', 'Y=12', 'Z=the rest  of it', 'Q=quoted value', 'R=a b'])
  })

  it('LABEL keys and values are substituted and unquoted', () => {
    const {state} = evaluate('FROM a\nENV N=app\nLABEL "org.$N.name"="my $N" plain=\'$N\'\n', {}, {Labels: {base: '1'}})
    assert.deepEqual(state.config.Labels, {base: '1', 'org.app.name': 'my app', plain: '$N'})
  })

  it('CMD/ENTRYPOINT/SHELL: shell form uses the current SHELL; ENTRYPOINT resets an inherited CMD', () => {
    const inherited = evaluate('FROM a\nENTRYPOINT ["/app"]\n', {}, {Cmd: ['sh']})
    assert.equal(inherited.state.config.Cmd, null)
    const own = evaluate('FROM a\nCMD ["--help"]\nSHELL ["/bin/ash", "-ec"]\nENTRYPOINT exec /app\n', {}, {Cmd: ['sh']})
    assert.deepEqual(own.state.config.Cmd, ['--help'])
    assert.deepEqual(own.state.config.Entrypoint, ['/bin/ash', '-ec', 'exec /app'])
    const shell = evaluate('FROM a\nCMD echo $HOME\n')
    assert.deepEqual(shell.state.config.Cmd, ['/bin/sh', '-c', 'echo $HOME'])
  })

  it('WORKDIR resolves against the previous one and substitutes', () => {
    const {state, steps} = evaluate('FROM a\nENV D=srv\nWORKDIR /$D\nWORKDIR app\nWORKDIR ../x/.\n')
    assert.equal(state.config.WorkingDir, '/srv/x')
    assert.deepEqual(steps.slice(1), ['WORKDIR /srv', 'WORKDIR /srv/app', 'WORKDIR /srv/x'])
  })

  it('EXPOSE ranges and protocols, VOLUME both forms, USER, STOPSIGNAL', () => {
    const {state} = evaluate('FROM a\nARG P=8080\nEXPOSE $P 53/UDP 9000-9002\nVOLUME ["/data"]\nVOLUME /a /b\nUSER ${P}:0\nSTOPSIGNAL SIGQUIT\n')
    assert.deepEqual(Object.keys(state.config.ExposedPorts ?? {}), ['8080/tcp', '53/udp', '9000/tcp', '9001/tcp', '9002/tcp'])
    assert.deepEqual(Object.keys(state.config.Volumes ?? {}), ['/data', '/a', '/b'])
    assert.equal(state.config.User, '8080:0')
    assert.equal(state.config.StopSignal, 'SIGQUIT')
    assert.throws(() => evaluate('FROM a\nEXPOSE http\n'), /Dockerfile:2:1: invalid port for EXPOSE: "http"/)
    assert.throws(() => evaluate('FROM a\nSTOPSIGNAL 99\n'), /invalid signal/)
  })

  it('HEALTHCHECK sets Test and the durations in nanoseconds; NONE disables', () => {
    const {state} = evaluate('FROM a\nHEALTHCHECK --interval=2s --retries=2 CMD wget -q -O- localhost || exit 1\n')
    assert.deepEqual(state.config.Healthcheck, {Test: ['CMD-SHELL', 'wget -q -O- localhost || exit 1'], Interval: 2e9, Retries: 2})
    const none = evaluate('FROM a\nHEALTHCHECK NONE\n', {}, {Healthcheck: {Test: ['CMD', 'x']}})
    assert.deepEqual(none.state.config.Healthcheck, {Test: ['NONE']})
  })

  it('ONBUILD keeps the trigger unexpanded; inherited triggers are cleared; MAINTAINER sets the author', () => {
    const {state} = evaluate('FROM a\nONBUILD COPY $X /x\nMAINTAINER me\n', {}, {OnBuild: ['RUN old']})
    assert.deepEqual(state.config.OnBuild, ['COPY $X /x'])
    assert.equal(state.author, 'me')
  })

  it('RUN and CMD are not substituted by the builder', () => {
    const {others, state} = evaluate('FROM a\nENV X=1\nRUN echo $X\n')
    const run = others[0]
    assert.ok(run.kind === 'RUN')
    assert.deepEqual(runArgv(run, state.config.Shell), ['/bin/sh', '-c', 'echo $X'])
  })

  it('heredoc RUN: a lone heredoc is the script; otherwise the shell gets the heredoc', () => {
    const {others} = evaluate('FROM a\nRUN <<EOF\necho a\necho b\nEOF\nRUN cat <<X > /f\nhello\nX\n')
    const [lone, fed] = others
    assert.ok(lone.kind === 'RUN' && fed.kind === 'RUN')
    assert.deepEqual(runArgv(lone, null), ['/bin/sh', '-c', 'echo a\necho b\n'])
    assert.deepEqual(runArgv(fed, null), ['/bin/sh', '-c', 'cat <<X > /f\nhello\nX\n'])
  })

  it('COPY: substitution, destination relative to WORKDIR, trailing slash kept, heredoc files', () => {
    const {state, vars, others} = evaluate('FROM a\nWORKDIR /app\nARG SRC=src\nCOPY --chown=${U:-1000}:1000 --chmod=0640 $SRC/*.js "with space" ./lib/\nCOPY <<cfg.ini <<"raw" conf/\nname=$SRC\ncfg.ini\n$SRC\nraw\nCOPY ["$SRC/a", "b"]\n')
    const [one, two, three] = others
    assert.ok(one.kind === 'COPY' && two.kind === 'COPY' && three.kind === 'COPY')
    const a = expandCopy(state, vars, one)
    assert.deepEqual(a.sources, ['src/*.js', 'with space'])
    assert.equal(a.dest, '/app/lib/')
    assert.equal(a.chown, '1000:1000')
    assert.equal(a.chmod, 0o640)
    assert.equal(a.text, 'COPY --chown=1000:1000 --chmod=0640 src/*.js with space /app/lib/')
    const b = expandCopy(state, vars, two)
    assert.deepEqual(b.inline, [{name: 'cfg.ini', content: 'name=src\n'}, {name: 'raw', content: '$SRC\n'}])
    assert.equal(b.dest, '/app/conf/')
    const c = expandCopy(state, vars, three)
    assert.deepEqual(c.sources, ['src/a'])
    assert.equal(c.dest, '/app/b')
  })

  it('ADD of a URL and bad --chmod are clear errors', () => {
    const {state, vars, others} = evaluate('FROM a\nADD https://example.com/x.tgz /x\nCOPY --chmod=rwx a /b\n')
    const [add, copy] = others
    assert.ok(add.kind === 'ADD' && copy.kind === 'COPY')
    assert.throws(() => expandCopy(state, vars, add), /Dockerfile:2:1: ADD of a URL .* is not supported/)
    assert.throws(() => expandCopy(state, vars, copy), /invalid --chmod value "rwx"/)
  })

  it('reports substitution errors with the instruction position', () => {
    assert.throws(() => evaluate('FROM a\n\nENV A="${NOPE:?must be given}"\n'), /Dockerfile:3:1: NOPE: must be given/)
    assert.throws(() => evaluate('ARG B\nFROM ${B}\n'), /base name \(\$\{B\}\) should not be blank/)
  })
})
