/**
 * What each instruction does to the build state, without an engine: variable substitution in
 * exactly the instructions the Dockerfile reference names (ADD, COPY, ENV, EXPOSE, FROM, LABEL,
 * STOPSIGNAL, USER, VOLUME, WORKDIR, and ONBUILD triggers when they run), ARG scoping (global
 * ARGs only in FROM unless redeclared, build-arg overrides, ENV over ARG, predefined proxy args),
 * and the image config each metadata step produces. Each step also gets a canonical text (after
 * substitution) that is shown to the user and goes into its cache key.
 */
import path from 'node:path'
import {DockerfileError, SubstitutionError} from './dockerfile/errors.js'
import type {CommandSpec, CopyInstruction, Instruction, RunInstruction} from './dockerfile/instructions.js'
import {splitQuotedWords} from './dockerfile/instructions.js'
import type {Dockerfile} from './dockerfile/stages.js'
import {expandWord, expandWords, type Lookup} from './dockerfile/words.js'
import {envToMap, setEnv, type ImageConfig} from './image-config.js'

/** Build args usable without an ARG line; never part of a cache key or the image history. */
export const PREDEFINED_ARGS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']

export const DEFAULT_SHELL = ['/bin/sh', '-c']

export interface StageState {
  config: ImageConfig
  /** ARGs declared in this stage so far, with their values (undefined: declared without a value). */
  args: Map<string, string | undefined>
  /** `CMD` given in this stage (so ENTRYPOINT does not reset it). */
  cmdSet: boolean
  author?: string
}

export interface BuildVariables {
  /** --build-arg values (a name given without a value takes it from the environment, as docker does). */
  buildArgs: Record<string, string>
  /** Global ARG values after build-arg overrides. */
  globals: Map<string, string | undefined>
  /** Build args some ARG declared (for the "not consumed" warning). */
  consumed: Set<string>
  escape: string
  file: string
  text: string
}

export function createVariables(dockerfile: Dockerfile, buildArgs: Record<string, string>): BuildVariables {
  const vars: BuildVariables = {buildArgs, globals: new Map(), consumed: new Set(), escape: dockerfile.escape, file: dockerfile.file, text: dockerfile.text}
  for (const arg of dockerfile.globalArgs) {
    for (const {name, default: def} of arg.args) {
      const lookup: Lookup = (n) => vars.globals.get(n) ?? undefined
      const value = name in buildArgs ? buildArgs[name] : def === undefined ? undefined : expandAt(vars, arg, def, lookup)
      if (name in buildArgs) vars.consumed.add(name)
      vars.globals.set(name, value)
    }
  }
  return vars
}

/** Expands a FROM line's image with the global ARGs. */
export function expandFrom(vars: BuildVariables, from: Extract<Instruction, {kind: 'FROM'}>): {image: string; platform?: string} {
  const lookup: Lookup = (name) => vars.globals.get(name) ?? undefined
  const image = expandAt(vars, from, from.image, lookup)
  if (image === '') throw new DockerfileError('DOCKERFILE_FROM', `base name (${from.image}) should not be blank`, {file: vars.file, text: vars.text, position: {line: from.line, col: from.col}})
  return {image, platform: from.platform === undefined ? undefined : expandAt(vars, from, from.platform, lookup)}
}

export function initialState(base: ImageConfig): StageState {
  const config: ImageConfig = {...base, OnBuild: null}
  return {config, args: new Map(), cmdSet: false}
}

/** Variables visible to substitution: ENV over declared ARGs over predefined proxy args. */
export function lookupFor(state: StageState, vars: BuildVariables): Lookup {
  const env = envToMap(state.config.Env)
  return (name) => {
    if (env.has(name)) return env.get(name)
    if (state.args.has(name)) return state.args.get(name)
    if (PREDEFINED_ARGS.includes(name) && name in vars.buildArgs) return vars.buildArgs[name]
    return undefined
  }
}

/** Build args a RUN sees as environment (not committed): declared ARGs and given proxy args. */
export function runArgs(state: StageState, vars: BuildVariables): Array<[string, string]> {
  const env = envToMap(state.config.Env)
  const out: Array<[string, string]> = []
  for (const [name, value] of state.args) if (value !== undefined && !env.has(name)) out.push([name, value])
  for (const name of PREDEFINED_ARGS) if (name in vars.buildArgs && !state.args.has(name) && !env.has(name)) out.push([name, vars.buildArgs[name]])
  return out
}

/** The ARG values that go into a cache key (declared ARGs only; proxies excluded). */
export function cacheArgs(state: StageState): string[] {
  return [...state.args].filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).sort()
}

function expandAt(vars: BuildVariables, at: {line: number; col: number}, word: string, lookup: Lookup): string {
  try {
    return expandWord(word, lookup, vars.escape)
  } catch (error) {
    if (error instanceof SubstitutionError) throw new DockerfileError('DOCKERFILE_SUBSTITUTION', error.message, {file: vars.file, text: vars.text, position: {line: at.line, col: at.col}})
    throw error
  }
}

function expandAllAt(vars: BuildVariables, at: {line: number; col: number}, word: string, lookup: Lookup): string[] {
  try {
    return expandWords(word, lookup, vars.escape)
  } catch (error) {
    if (error instanceof SubstitutionError) throw new DockerfileError('DOCKERFILE_SUBSTITUTION', error.message, {file: vars.file, text: vars.text, position: {line: at.line, col: at.col}})
    throw error
  }
}

function userError(vars: BuildVariables, at: {line: number; col: number}, message: string, code = 'DOCKERFILE_SYNTAX'): never {
  throw new DockerfileError(code, message, {file: vars.file, text: vars.text, position: {line: at.line, col: at.col}})
}

export type MetadataKind = 'ENV' | 'LABEL' | 'EXPOSE' | 'CMD' | 'ENTRYPOINT' | 'USER' | 'VOLUME' | 'STOPSIGNAL' | 'HEALTHCHECK' | 'SHELL' | 'ONBUILD' | 'MAINTAINER' | 'WORKDIR' | 'ARG'

export function isMetadata(instruction: Instruction): instruction is Extract<Instruction, {kind: MetadataKind}> {
  return !['FROM', 'RUN', 'COPY', 'ADD'].includes(instruction.kind)
}

/**
 * Applies a metadata instruction to the state (mutating it) and returns the step's canonical text.
 * WORKDIR also needs the directory created; the executor does that.
 */
export function applyMetadata(state: StageState, vars: BuildVariables, instruction: Extract<Instruction, {kind: MetadataKind}>): string {
  const lookup = lookupFor(state, vars)
  const c = state.config
  switch (instruction.kind) {
    case 'ARG': {
      const parts: string[] = []
      for (const {name, default: def} of instruction.args) {
        let value: string | undefined
        if (name in vars.buildArgs) {
          value = vars.buildArgs[name]
          vars.consumed.add(name)
        } else if (def !== undefined) value = expandAt(vars, instruction, def, lookupFor(state, vars))
        else if (vars.globals.has(name)) value = vars.globals.get(name)
        state.args.set(name, value)
        parts.push(def === undefined ? name : `${name}=${def}`)
      }
      return `ARG ${parts.join(' ')}`
    }
    case 'ENV': {
      const parts: string[] = []
      for (const pair of instruction.pairs) {
        const key = expandAt(vars, instruction, pair.key, lookupFor(state, vars))
        const value = expandAt(vars, instruction, pair.value, lookupFor(state, vars))
        if (key === '') userError(vars, instruction, 'ENV names can not be blank')
        c.Env = setEnv(c.Env, key, value)
        parts.push(`${key}=${quoteIfNeeded(value)}`)
      }
      return `ENV ${parts.join(' ')}`
    }
    case 'LABEL': {
      const parts: string[] = []
      const labels = {...(c.Labels ?? {})}
      for (const pair of instruction.pairs) {
        const key = expandAt(vars, instruction, pair.key, lookup)
        const value = expandAt(vars, instruction, pair.value, lookup)
        if (key === '') userError(vars, instruction, 'LABEL names can not be blank')
        labels[key] = value
        parts.push(`${quoteIfNeeded(key)}=${quoteIfNeeded(value)}`)
      }
      c.Labels = labels
      return `LABEL ${parts.join(' ')}`
    }
    case 'EXPOSE': {
      const ports = {...(c.ExposedPorts ?? {})}
      const added: string[] = []
      for (const word of expandAllAt(vars, instruction, instruction.words, lookup)) {
        for (const port of exposedPorts(word, vars, instruction)) {
          ports[port] = {}
          added.push(port)
        }
      }
      c.ExposedPorts = ports
      return `EXPOSE ${added.join(' ')}`
    }
    case 'CMD':
      c.Cmd = commandArgv(instruction.command, c.Shell)
      state.cmdSet = true
      return `CMD ${JSON.stringify(c.Cmd)}`
    case 'ENTRYPOINT':
      c.Entrypoint = commandArgv(instruction.command, c.Shell)
      if (!state.cmdSet) c.Cmd = null
      return `ENTRYPOINT ${JSON.stringify(c.Entrypoint)}`
    case 'USER': {
      const user = expandAt(vars, instruction, instruction.user, lookup)
      if (user === '') userError(vars, instruction, 'USER requires a user name or id')
      c.User = user
      return `USER ${user}`
    }
    case 'WORKDIR': {
      const dir = expandAt(vars, instruction, instruction.path, lookup)
      if (dir === '') userError(vars, instruction, 'WORKDIR requires a path')
      c.WorkingDir = path.posix.resolve(c.WorkingDir || '/', dir)
      return `WORKDIR ${c.WorkingDir}`
    }
    case 'VOLUME': {
      const volumes = {...(c.Volumes ?? {})}
      const list = 'json' in instruction.words
        ? instruction.words.json.map((w) => expandAt(vars, instruction, w, lookup))
        : expandAllAt(vars, instruction, instruction.words.shell, lookup)
      for (const v of list) {
        if (v.trim() === '') userError(vars, instruction, 'VOLUME specified can not be an empty string')
        volumes[v] = {}
      }
      c.Volumes = volumes
      return `VOLUME ${JSON.stringify(list)}`
    }
    case 'STOPSIGNAL': {
      const signal = expandAt(vars, instruction, instruction.signal, lookup)
      if (!/^(SIG)?[A-Z0-9+-]+$/i.test(signal) || (/^\d+$/.test(signal) && (Number(signal) < 1 || Number(signal) > 64))) {
        userError(vars, instruction, `invalid signal: ${signal}`)
      }
      c.StopSignal = signal
      return `STOPSIGNAL ${signal}`
    }
    case 'HEALTHCHECK': {
      if (!instruction.command) {
        c.Healthcheck = {Test: ['NONE']}
        return 'HEALTHCHECK NONE'
      }
      const test = instruction.command.form === 'exec' ? ['CMD', ...instruction.command.argv] : ['CMD-SHELL', instruction.command.text]
      const hc: ImageConfig['Healthcheck'] = {Test: test}
      if (instruction.interval) hc.Interval = instruction.interval
      if (instruction.timeout) hc.Timeout = instruction.timeout
      if (instruction.startPeriod) hc.StartPeriod = instruction.startPeriod
      if (instruction.startInterval) hc.StartInterval = instruction.startInterval
      if (instruction.retries) hc.Retries = instruction.retries
      c.Healthcheck = hc
      return `HEALTHCHECK ${JSON.stringify(hc)}`
    }
    case 'SHELL':
      c.Shell = [...instruction.argv]
      return `SHELL ${JSON.stringify(c.Shell)}`
    case 'ONBUILD':
      c.OnBuild = [...(c.OnBuild ?? []), instruction.trigger]
      return `ONBUILD ${instruction.trigger}`
    case 'MAINTAINER':
      state.author = instruction.name
      return `MAINTAINER ${instruction.name}`
  }
}

/** `80`, `80/udp`, `8000-8002/tcp` -> `80/tcp` ... */
function exposedPorts(word: string, vars: BuildVariables, at: {line: number; col: number}): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(word)
  if (!m) userError(vars, at, `invalid port for EXPOSE: "${word}" (expected PORT[-PORT][/PROTO])`)
  const start = Number(m[1])
  const end = m[2] === undefined ? start : Number(m[2])
  if (start > 65535 || end > 65535 || end < start) userError(vars, at, `invalid port range for EXPOSE: "${word}"`)
  const proto = (m[3] ?? 'tcp').toLowerCase()
  const out: string[] = []
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`)
  return out
}

export function commandArgv(command: CommandSpec, shell: string[] | null | undefined): string[] {
  if (command.form === 'exec') return [...command.argv]
  return [...(shell && shell.length > 0 ? shell : DEFAULT_SHELL), command.text]
}

/** The argv a RUN executes; heredoc-only RUNs run their body as the script. */
export function runArgv(run: RunInstruction, shell: string[] | null | undefined): string[] {
  if (run.command.form === 'exec') return [...run.command.argv]
  const sh = shell && shell.length > 0 ? shell : DEFAULT_SHELL
  if (run.heredocs.length === 1 && /^<<-?["']?[A-Za-z0-9_][A-Za-z0-9_./-]*["']?$/.test(run.command.text.trim())) {
    return [...sh, run.heredocs[0].content]
  }
  if (run.heredocs.length > 0) {
    const bodies = run.heredocs.map((h) => `${h.content}${h.name}\n`).join('')
    return [...sh, `${run.command.text}\n${bodies}`]
  }
  return [...sh, run.command.text]
}

export interface CopySpec {
  /** Source words after substitution (heredoc sources are in `inline`). */
  sources: string[]
  /** Heredoc sources: a file named after the delimiter with the given content. */
  inline: Array<{name: string; content: string}>
  dest: string
  from?: string
  chown?: string
  chmod?: number
  link: boolean
  /** Canonical step text. */
  text: string
}

/** Expands a COPY/ADD: sources, destination (relative to WORKDIR), flags. */
export function expandCopy(state: StageState, vars: BuildVariables, copy: CopyInstruction): CopySpec {
  const lookup = lookupFor(state, vars)
  const words = 'json' in copy.words
    ? copy.words.json.map((w) => expandAt(vars, copy, w, lookup))
    : splitQuotedWords(copy.words.shell, vars.escape).flatMap((w) => /^<<-?["']?[A-Za-z0-9_]/.test(w) ? [w] : expandAllAt(vars, copy, w, lookup))
  if (words.length < 2) userError(vars, copy, `${copy.kind} requires at least two arguments, but only one was provided. Destination could not be determined`)
  const destWord = words[words.length - 1]
  const inline: CopySpec['inline'] = []
  const sources: string[] = []
  for (const word of words.slice(0, -1)) {
    const marker = /^<<-?["']?([A-Za-z0-9_][A-Za-z0-9_./-]*)["']?$/.exec(word)
    const doc = marker ? copy.heredocs.find((h) => h.name === marker[1]) : undefined
    if (doc) inline.push({name: doc.name, content: doc.expand ? expandAt(vars, copy, doc.content, lookup) : doc.content})
    else sources.push(word)
  }
  for (const s of sources) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
      if (copy.kind === 'COPY') userError(vars, copy, `COPY does not take URLs (${s}); use ADD`)
      userError(vars, copy, `ADD of a URL (${s}) is not supported: this builder has no network access for downloads; download the file into the build context and COPY it`, 'BUILD_ADD_URL')
    }
  }
  const workdir = state.config.WorkingDir || '/'
  const endsWithSlash = destWord.endsWith('/') || destWord === '.' || destWord.endsWith('/.')
  let dest = path.posix.resolve(workdir, destWord)
  if (endsWithSlash && dest !== '/') dest += '/'
  const chown = copy.chown === undefined ? undefined : expandAt(vars, copy, copy.chown, lookup)
  const chmodText = copy.chmod === undefined ? undefined : expandAt(vars, copy, copy.chmod, lookup)
  let chmod: number | undefined
  if (chmodText !== undefined) {
    if (!/^[0-7]{3,4}$/.test(chmodText)) userError(vars, copy, `invalid --chmod value "${chmodText}": expected an octal mode like 0755`, 'DOCKERFILE_FLAG')
    chmod = parseInt(chmodText, 8)
  }
  const from = copy.from === undefined ? undefined : expandAt(vars, copy, copy.from, lookup)
  const flags = [from !== undefined ? `--from=${from}` : '', chown !== undefined ? `--chown=${chown}` : '', chmodText !== undefined ? `--chmod=${chmodText}` : '', copy.link ? '--link' : ''].filter(Boolean)
  const shown = [...flags, ...sources, ...inline.map((i) => `<<${i.name}`), dest].join(' ')
  return {sources, inline, dest, from, chown, chmod, link: copy.link, text: `${copy.kind} ${shown}`}
}

function quoteIfNeeded(value: string): string {
  return value === '' || /[\s"'\\$]/.test(value) ? JSON.stringify(value) : value
}
