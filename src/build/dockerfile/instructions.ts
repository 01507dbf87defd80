/**
 * Raw instructions -> typed instructions, with the checks the Dockerfile reference implies:
 * unknown instructions, flags an instruction does not take, missing arguments, malformed
 * ENV/LABEL pairs, HEALTHCHECK options, ONBUILD restrictions. Words stay unexpanded: variable
 * substitution needs the build's variables and is done when a step runs (see ../steps.ts).
 */
import {DockerfileError} from './errors.js'
import type {Heredoc, RawFlag, RawInstruction} from './parser.js'
import {parseDockerfileText} from './parser.js'

export type CommandSpec = {form: 'shell'; text: string} | {form: 'exec'; argv: string[]}

/** Arguments kept unexpanded: JSON array elements or one shell-form string. */
export type ArgWords = {json: string[]} | {shell: string}

export interface KeyValueWord {
  /** Unexpanded key and value as written (quotes included). */
  key: string
  value: string
}

interface Base {
  line: number
  col: number
  endLine: number
  original: string
}

export interface FromInstruction extends Base { kind: 'FROM'; image: string; platform?: string; stageName?: string }
export interface RunInstruction extends Base { kind: 'RUN'; command: CommandSpec; network?: 'default' | 'none' | 'host'; heredocs: Heredoc[] }
export interface CmdInstruction extends Base { kind: 'CMD'; command: CommandSpec }
export interface EntrypointInstruction extends Base { kind: 'ENTRYPOINT'; command: CommandSpec }
export interface EnvInstruction extends Base { kind: 'ENV'; pairs: KeyValueWord[]; legacy: boolean }
export interface LabelInstruction extends Base { kind: 'LABEL'; pairs: KeyValueWord[]; legacy: boolean }
export interface ArgInstruction extends Base { kind: 'ARG'; args: Array<{name: string; default?: string}> }
export interface ExposeInstruction extends Base { kind: 'EXPOSE'; words: string }
export interface CopyInstruction extends Base {
  kind: 'COPY' | 'ADD'
  words: ArgWords
  from?: string
  chown?: string
  chmod?: string
  link: boolean
  heredocs: Heredoc[]
  /** ADD --keep-git-dir / --checksum are accepted only to give a clear error. */
}
export interface WorkdirInstruction extends Base { kind: 'WORKDIR'; path: string }
export interface UserInstruction extends Base { kind: 'USER'; user: string }
export interface VolumeInstruction extends Base { kind: 'VOLUME'; words: ArgWords }
export interface StopsignalInstruction extends Base { kind: 'STOPSIGNAL'; signal: string }
export interface HealthcheckInstruction extends Base {
  kind: 'HEALTHCHECK'
  /** undefined for HEALTHCHECK NONE. */
  command?: CommandSpec
  /** Nanoseconds, 0 when not given (the engine default applies). */
  interval: number
  timeout: number
  startPeriod: number
  startInterval: number
  retries: number
}
export interface ShellInstruction extends Base { kind: 'SHELL'; argv: string[] }
export interface OnbuildInstruction extends Base { kind: 'ONBUILD'; trigger: string }
export interface MaintainerInstruction extends Base { kind: 'MAINTAINER'; name: string }

export type Instruction =
  | FromInstruction | RunInstruction | CmdInstruction | EntrypointInstruction | EnvInstruction
  | LabelInstruction | ArgInstruction | ExposeInstruction | CopyInstruction | WorkdirInstruction
  | UserInstruction | VolumeInstruction | StopsignalInstruction | HealthcheckInstruction
  | ShellInstruction | OnbuildInstruction | MaintainerInstruction

export const INSTRUCTION_KEYWORDS = [
  'FROM', 'RUN', 'CMD', 'ENTRYPOINT', 'ENV', 'LABEL', 'ARG', 'EXPOSE', 'COPY', 'ADD', 'WORKDIR', 'USER',
  'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER',
] as const

/** Flags each instruction accepts; `needsBuildKit` ones give a clear error instead. */
const FLAGS: Record<string, {allowed: string[]; booleans?: string[]; needsBuildKit?: string[]}> = {
  FROM: {allowed: ['platform']},
  RUN: {allowed: ['network'], needsBuildKit: ['mount', 'security', 'device']},
  COPY: {allowed: ['from', 'chown', 'chmod', 'link'], booleans: ['link'], needsBuildKit: ['parents', 'exclude']},
  ADD: {allowed: ['chown', 'chmod', 'link'], booleans: ['link'], needsBuildKit: ['checksum', 'keep-git-dir', 'exclude', 'unpack']},
  HEALTHCHECK: {allowed: ['interval', 'timeout', 'start-period', 'start-interval', 'retries']},
}

export interface Where {
  file: string
  text: string
}

function fail(where: Where, raw: {line: number; col: number}, message: string, hints?: string[], code = 'DOCKERFILE_SYNTAX'): never {
  throw new DockerfileError(code, message, {file: where.file, text: where.text, position: {line: raw.line, col: raw.col}}, hints)
}

export function toInstruction(raw: RawInstruction, where: Where, escape: string): Instruction {
  const base: Base = {line: raw.line, col: raw.col, endLine: raw.endLine, original: raw.original}
  if (!(INSTRUCTION_KEYWORDS as readonly string[]).includes(raw.keyword)) {
    const suggestion = closest(raw.keyword)
    fail(where, raw, `unknown instruction: ${raw.written}`, suggestion ? [`did you mean ${suggestion}?`] : undefined, 'DOCKERFILE_UNKNOWN_INSTRUCTION')
  }
  const flags = checkFlags(raw, where)
  const needArgs = () => {
    if (raw.args === '' && raw.heredocs.length === 0) fail(where, raw, `${raw.keyword} requires at least one argument`)
  }
  switch (raw.keyword) {
    case 'FROM': {
      needArgs()
      const words = raw.args.split(/\s+/)
      if (words.length === 3 && words[1].toLowerCase() === 'as') {
        const name = words[2].toLowerCase()
        if (!/^[a-z][a-z0-9-_.]*$/.test(name)) fail(where, raw, `invalid name for build stage: "${words[2]}", name can't start with a number or contain symbols`)
        return {...base, kind: 'FROM', image: words[0], platform: flags.get('platform'), stageName: name}
      }
      if (words.length !== 1) fail(where, raw, 'FROM requires either one or three arguments: FROM <image> [AS <name>]')
      return {...base, kind: 'FROM', image: words[0], platform: flags.get('platform')}
    }
    case 'RUN': {
      needArgs()
      const network = flags.get('network')
      if (network !== undefined && !['default', 'none', 'host'].includes(network)) {
        fail(where, flagAt(raw, 'network'), `unsupported network mode "${network}" for RUN --network (default, none or host)`)
      }
      return {...base, kind: 'RUN', command: commandOf(raw), network: network as RunInstruction['network'], heredocs: raw.heredocs}
    }
    case 'CMD':
    case 'ENTRYPOINT':
      needArgs()
      return {...base, kind: raw.keyword, command: commandOf(raw)}
    case 'ENV':
    case 'LABEL': {
      needArgs()
      const {pairs, legacy} = keyValues(raw, where, escape)
      return {...base, kind: raw.keyword, pairs, legacy}
    }
    case 'ARG': {
      needArgs()
      const args = splitQuotedWords(raw.args, escape).map((word) => {
        const eq = word.indexOf('=')
        const name = eq < 0 ? word : word.slice(0, eq)
        if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) fail(where, raw, `invalid ARG name "${name}"`)
        return eq < 0 ? {name} : {name, default: word.slice(eq + 1)}
      })
      return {...base, kind: 'ARG', args}
    }
    case 'EXPOSE':
      needArgs()
      return {...base, kind: 'EXPOSE', words: raw.args}
    case 'COPY':
    case 'ADD': {
      needArgs()
      const words: ArgWords = raw.json ? {json: raw.json} : {shell: raw.args}
      const count = raw.json ? raw.json.length : splitQuotedWords(raw.args, escape).length
      if (count < 2) fail(where, raw, `${raw.keyword} requires at least two arguments, but only one was provided. Destination could not be determined`)
      if (raw.keyword === 'ADD' && flags.has('from')) fail(where, flagAt(raw, 'from'), 'unknown flag: --from (ADD does not take --from; use COPY --from)')
      return {
        ...base,
        kind: raw.keyword,
        words,
        from: flags.get('from'),
        chown: flags.get('chown'),
        chmod: flags.get('chmod'),
        link: flags.has('link') && flags.get('link') !== 'false',
        heredocs: raw.heredocs,
      }
    }
    case 'WORKDIR':
      needArgs()
      return {...base, kind: 'WORKDIR', path: raw.args}
    case 'USER':
      needArgs()
      return {...base, kind: 'USER', user: raw.args}
    case 'VOLUME':
      needArgs()
      return {...base, kind: 'VOLUME', words: raw.json ? {json: raw.json} : {shell: raw.args}}
    case 'STOPSIGNAL':
      needArgs()
      return {...base, kind: 'STOPSIGNAL', signal: raw.args}
    case 'HEALTHCHECK':
      return healthcheck(raw, base, flags, where)
    case 'SHELL':
      if (!raw.json || raw.json.length === 0) fail(where, raw, 'SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/sh", "-c"]')
      return {...base, kind: 'SHELL', argv: raw.json}
    case 'ONBUILD': {
      needArgs()
      const nested = parseDockerfileText(raw.args, where.file).instructions[0]
      if (!nested) fail(where, raw, 'ONBUILD requires an instruction')
      if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(nested.keyword)) fail(where, raw, `${nested.keyword} isn't allowed as an ONBUILD trigger`)
      // Validate the trigger now, so the mistake is reported in this Dockerfile.
      toInstruction({...nested, line: raw.line, col: raw.col}, where, escape)
      return {...base, kind: 'ONBUILD', trigger: raw.args}
    }
    case 'MAINTAINER':
      needArgs()
      return {...base, kind: 'MAINTAINER', name: raw.args}
  }
  return fail(where, raw, `unknown instruction: ${raw.written}`)
}

function flagAt(raw: RawInstruction, name: string): {line: number; col: number} {
  const flag = raw.flags.find((f) => f.name === name)
  return {line: raw.line, col: flag?.col ?? raw.col}
}

function checkFlags(raw: RawInstruction, where: Where): Map<string, string> {
  const spec = FLAGS[raw.keyword] ?? {allowed: []}
  const out = new Map<string, string>()
  for (const flag of raw.flags) {
    const at = {line: raw.line, col: flag.col}
    if (spec.needsBuildKit?.includes(flag.name)) {
      fail(where, at, `${raw.keyword} --${flag.name} needs BuildKit, which Berth's builder does not use`, [
        `remove --${flag.name}, or build this Dockerfile with \`docker buildx build\``,
      ], 'DOCKERFILE_NEEDS_BUILDKIT')
    }
    if (!spec.allowed.includes(flag.name)) {
      const allowed = spec.allowed.length > 0 ? ` (${raw.keyword} takes ${spec.allowed.map((f) => `--${f}`).join(', ')})` : ''
      fail(where, at, `unknown flag: --${flag.name}${allowed}`, undefined, 'DOCKERFILE_FLAG')
    }
    if (out.has(flag.name)) fail(where, at, `duplicate flag specified: --${flag.name}`, undefined, 'DOCKERFILE_FLAG')
    const boolean = spec.booleans?.includes(flag.name)
    if (flag.value === undefined && !boolean) fail(where, at, `missing a value on flag: --${flag.name}`, undefined, 'DOCKERFILE_FLAG')
    if (boolean && flag.value !== undefined && !['true', 'false'].includes(flag.value)) {
      fail(where, at, `expecting boolean value for flag --${flag.name}, not: ${flag.value}`, undefined, 'DOCKERFILE_FLAG')
    }
    out.set(flag.name, flag.value ?? 'true')
  }
  return out
}

function commandOf(raw: RawInstruction): CommandSpec {
  return raw.json ? {form: 'exec', argv: raw.json} : {form: 'shell', text: raw.args}
}

/**
 * Splits on unquoted whitespace, keeping quotes and escapes in the words (they are removed when
 * the word is expanded).
 */
export function splitQuotedWords(text: string, escape: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quote === undefined && /\s/.test(ch)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      continue
    }
    inWord = true
    word += ch
    if (ch === escape && i + 1 < text.length && quote !== "'") {
      word += text[++i]
      continue
    }
    if (quote === undefined && (ch === '"' || ch === "'")) quote = ch
    else if (quote === ch) quote = undefined
  }
  if (inWord) words.push(word)
  return words
}

function keyValues(raw: RawInstruction, where: Where, escape: string): {pairs: KeyValueWord[]; legacy: boolean} {
  const words = splitQuotedWords(raw.args, escape)
  if (!words[0].includes('=')) {
    // Legacy form: `ENV key the rest of the line`.
    const rest = raw.args.slice(raw.args.indexOf(words[0]) + words[0].length).trim()
    if (raw.keyword === 'ENV' && rest === '') fail(where, raw, 'ENV must have two arguments (ENV key value, or ENV key=value ...)')
    if (raw.keyword === 'LABEL' && rest === '') fail(where, raw, 'LABEL requires key=value pairs')
    return {pairs: [{key: words[0], value: rest}], legacy: true}
  }
  const pairs = words.map((word) => {
    const eq = word.indexOf('=')
    if (eq < 0) fail(where, raw, `Syntax error - can't find = in "${word}". Must be of the form: name=value`)
    if (eq === 0) fail(where, raw, `${raw.keyword} names can not be blank`)
    return {key: word.slice(0, eq), value: word.slice(eq + 1)}
  })
  return {pairs, legacy: false}
}

function healthcheck(raw: RawInstruction, base: Base, flags: Map<string, string>, where: Where): HealthcheckInstruction {
  const words = raw.args.split(/\s+/)
  const type = words[0]?.toUpperCase()
  const common = {...base, kind: 'HEALTHCHECK' as const, interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0}
  if (type === 'NONE') {
    if (words.length > 1 || raw.flags.length > 0) fail(where, raw, 'HEALTHCHECK NONE takes no arguments')
    return common
  }
  if (type !== 'CMD') fail(where, raw, `unknown type for healthcheck: "${words[0] ?? ''}" (expected CMD or NONE)`)
  const rest = raw.args.slice(words[0].length).trim()
  if (rest === '') fail(where, raw, 'missing command after HEALTHCHECK CMD')
  const json = rest.startsWith('[') ? tryJson(rest) : undefined
  const duration = (name: string) => {
    const text = flags.get(name)
    if (text === undefined) return 0
    const ns = parseGoDuration(text)
    if (ns === undefined) fail(where, flagAt(raw, name), `invalid duration for --${name}: "${text}" (e.g. 30s, 1m30s, 500ms)`, undefined, 'DOCKERFILE_FLAG')
    if (ns !== 0 && ns < 1_000_000) fail(where, flagAt(raw, name), `--${name} cannot be less than 1ms`, undefined, 'DOCKERFILE_FLAG')
    return ns
  }
  let retries = 0
  const retriesText = flags.get('retries')
  if (retriesText !== undefined) {
    if (!/^\d+$/.test(retriesText) || Number(retriesText) < 1) fail(where, flagAt(raw, 'retries'), '--retries must be at least 1', undefined, 'DOCKERFILE_FLAG')
    retries = Number(retriesText)
  }
  return {
    ...common,
    command: json ? {form: 'exec', argv: json} : {form: 'shell', text: rest},
    interval: duration('interval'),
    timeout: duration('timeout'),
    startPeriod: duration('start-period'),
    startInterval: duration('start-interval'),
    retries,
  }
}

function tryJson(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text)
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
  } catch {
    // shell form
  }
  return undefined
}

const UNITS: Record<string, number> = {ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9}

/** Go's time.ParseDuration, in nanoseconds; undefined when malformed. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y
  let total = 0
  let pos = 0
  while (pos < text.length) {
    re.lastIndex = pos
    const m = re.exec(text)
    if (!m) return undefined
    total += Number(m[1]) * UNITS[m[2]]
    pos = re.lastIndex
  }
  return pos === 0 ? undefined : Math.round(total)
}

function closest(word: string): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of INSTRUCTION_KEYWORDS) {
    const d = editDistance(word, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  const row = [...Array(b.length + 1).keys()]
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length]
}

export type {RawFlag}
