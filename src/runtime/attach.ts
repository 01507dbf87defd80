/**
 * `attach SERVICE`: the terminal joined to a running service container (`--index`, default the
 * first): its output (and, when the container keeps stdin open and --no-stdin is not given, the
 * user's input) over a hijacked connection, with a TTY when the container has one. Without a TTY,
 * signals Berth receives are passed on to the container (--sig-proxy, the default); in a TTY
 * session the detach keys (default Ctrl-P Ctrl-Q) leave the container running, as in docker.
 * Resolves with the container's exit code when it stops, 0 after a detach or once our stdin has
 * ended and the output has been quiet for half a second (the container runs on).
 */
import type {Socket} from 'node:net'
import type {EngineClient} from '../engine/client.js'
import {outputDecoder, type OutputChunk} from '../engine/streams/frames.js'
import {UserInputError} from '../errors.js'
import type {TerminalStreams} from './attach-io.js'
import {serviceContainer} from './exec.js'
import {NoContainerError, nameOf, type ProjectRef} from './select.js'

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q'

/** Signals passed on to the container with --sig-proxy (those a terminal user sends). */
export const PROXIED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']

/**
 * The bytes of a detach sequence in docker's notation: comma-separated keys, each one character
 * or `ctrl-X` (X one of a-z, @, [, \, ], ^, _).
 */
export function parseDetachKeys(keys: string): number[] {
  const bad = (why: string) => new UserInputError('BAD_DETACH_KEYS', `bad --detach-keys "${keys}": ${why}`, {hints: ['write keys as a comma-separated list such as "ctrl-p,ctrl-q" or "ctrl-a,x"']})
  if (keys === '') throw bad('no keys')
  return keys.split(',').map((key) => {
    if (key.length === 1) return key.charCodeAt(0)
    const which = key === keys ? '' : `"${key}": `
    const ctrl = /^ctrl-(.)$/i.exec(key)
    if (!ctrl) throw bad(`${which}neither one character nor ctrl-<key>`)
    const c = ctrl[1].toLowerCase()
    if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 96
    const special = '@[\\]^_'.indexOf(c)
    if (special < 0) throw bad(`${which}ctrl- goes with a letter or one of @ [ \\ ] ^ _`)
    return special === 0 ? 0 : 26 + special
  })
}

/** Watches input for a byte sequence across chunks. */
export function sequenceWatcher(sequence: readonly number[]): (chunk: Uint8Array) => boolean {
  let matched = 0
  let seen = false
  return (chunk) => {
    for (const byte of chunk) {
      if (byte === sequence[matched]) matched++
      else matched = byte === sequence[0] ? 1 : 0
      if (matched === sequence.length) {
        seen = true
        matched = 0
      }
    }
    return seen
  }
}

export interface AttachOptions {
  service: string
  index?: number
  /** --no-stdin: output only. */
  noStdin?: boolean
  /** Pass signals on to the container (only without a TTY, as in docker). */
  sigProxy: boolean
  detachKeys?: string
  streams: TerminalStreams
  /** Ctrl-C detaches (without --sig-proxy) or is passed on; this signal ends the session early. */
  signal?: AbortSignal
  /** A line for the user (the third Ctrl-C while signals are passed on). */
  notice?: (line: string) => void
}

export async function attachToService(engine: EngineClient, ref: ProjectRef, options: AttachOptions): Promise<number> {
  const detachKeys = options.detachKeys ?? DEFAULT_DETACH_KEYS
  const sequence = parseDetachKeys(detachKeys)
  const summary = await serviceContainer(engine, ref, options.service, options.index, options.signal)
  const name = nameOf(summary)
  const info = await engine.containers.inspect(summary.Id, {signal: options.signal})
  if (info.State.Paused) throw new NoContainerError(`container ${name} is paused`, [`unpause it first: \`berth unpause ${options.service}\``])
  if (!info.State.Running) throw new NoContainerError(`service "${options.service}" is not running`, [`start it with \`berth up -d ${options.service}\``])
  const tty = info.Config.Tty === true
  const stdin = !options.noStdin && info.Config.OpenStdin === true
  if (tty && stdin && options.streams.stdin.isTTY !== true) {
    throw new UserInputError('NOT_A_TTY', 'the input device is not a TTY', {hints: [`${name} has a TTY: attach from a terminal, or add --no-stdin`]})
  }

  const hijacked = await engine.containers.attach(summary.Id, {stdin, stdout: true, stderr: true, detachKeys, signal: options.signal})
  let detached = false
  // The engine acts on the detach keys in a TTY session only (as docker does); it then closes the
  // stream, and the keys in what the user typed say why.
  const watch = tty && stdin ? sequenceWatcher(sequence) : undefined
  const session = relay({
    socket: hijacked.socket,
    tty,
    stdin,
    streams: options.streams,
    onInput: (chunk) => {
      if (watch?.(chunk)) detached = true
    },
    resize: (size) => engine.containers.resize(summary.Id, size),
  })

  const cleanups: Array<() => void> = []
  const leave = () => {
    detached = true
    session.stop()
  }
  if (options.sigProxy && !tty) {
    let interrupts = 0
    for (const signal of PROXIED_SIGNALS) {
      const forward = () => {
        if (signal === 'SIGINT' && ++interrupts >= 3) {
          options.notice?.(`detached from ${name} after three Ctrl-C; it keeps running`)
          leave()
          return
        }
        engine.containers.kill(summary.Id, {killSignal: signal}).catch(() => undefined)
      }
      process.on(signal, forward)
      cleanups.push(() => process.off(signal, forward))
    }
  } else {
    // Without a proxy, Ctrl-C leaves the container running and ends the session (in a raw TTY
    // session it is a key for the container instead, and never comes here).
    process.on('SIGINT', leave)
    cleanups.push(() => process.off('SIGINT', leave))
  }
  const onAbort = () => session.stop()
  options.signal?.addEventListener('abort', onAbort, {once: true})
  cleanups.push(() => options.signal?.removeEventListener('abort', onAbort))

  try {
    await session.done
  } finally {
    for (const cleanup of cleanups) cleanup()
  }
  if (detached) return 0
  if (options.signal?.aborted) return 130
  // The output can end a moment before the engine records the exit; or it ended because our
  // stdin did (the engine closes the session then), and the container runs on.
  for (let attempt = 0; attempt < 100; attempt++) {
    const state = (await engine.containers.inspect(summary.Id)).State
    if (!state.Running) return state.ExitCode ?? 0
    if (session.inputEnded()) return 0
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return 0
}

/** How long the output must be quiet after our input ended before the session ends. */
const QUIET_AFTER_INPUT_MS = 500

interface RelayOptions {
  socket: Socket
  tty: boolean
  stdin: boolean
  streams: TerminalStreams
  onInput: (chunk: Buffer) => void
  resize: (size: {rows: number; columns: number}) => Promise<void>
}

/**
 * The terminal side of an attach: the user's input into the socket (a real terminal in raw mode
 * for a TTY session), the container's output to stdout/stderr (frames decoded without a TTY),
 * the TTY size on start and on SIGWINCH. `stop()` ends it at once (detach, Ctrl-C, cancellation).
 */
function relay(options: RelayOptions): {done: Promise<void>; stop(): void; inputEnded(): boolean} {
  const {socket, tty, streams} = options
  const input = streams.stdin
  const rawMode = tty && options.stdin && input.isTTY === true && typeof input.setRawMode === 'function'
  const decoder = outputDecoder(tty)
  let ended = false
  const onData = (chunk: Buffer) => {
    options.onInput(chunk)
    if (!socket.destroyed && socket.writable) socket.write(chunk)
  }
  // At the end of our input the engine would end the session at once (the container keeps its
  // stdin open) and cut the answer to what was just sent: close our side once the output has
  // been quiet for a moment instead.
  let closer: NodeJS.Timeout | undefined
  const closeWhenQuiet = () => {
    clearTimeout(closer)
    closer = setTimeout(() => {
      if (!socket.destroyed) socket.end()
    }, QUIET_AFTER_INPUT_MS)
  }
  const onEnd = () => {
    ended = true
    closeWhenQuiet()
  }
  const onResize = () => {
    const {columns, rows} = streams.stdout
    if (columns && rows) void options.resize({rows, columns}).catch(() => undefined)
  }
  const stop = () => {
    socket.unpipe(decoder)
    decoder.end()
  }
  const done = (async () => {
    if (rawMode) input.setRawMode?.(true)
    if (tty && streams.stdout.isTTY) {
      onResize()
      process.on('SIGWINCH', onResize)
    }
    if (options.stdin) {
      input.on('data', onData)
      input.once('end', onEnd)
      input.resume()
    }
    socket.once('error', stop)
    try {
      socket.pipe(decoder)
      for await (const chunk of decoder as AsyncIterable<OutputChunk>) {
        const target = chunk.stream === 'stderr' || chunk.stream === 'system' ? streams.stderr : streams.stdout
        if (ended) closeWhenQuiet()
        if (!target.write(chunk.data)) await new Promise<void>((resolve) => target.once('drain', () => resolve()))
      }
    } finally {
      clearTimeout(closer)
      process.off('SIGWINCH', onResize)
      if (options.stdin) {
        input.off('data', onData)
        input.off('end', onEnd)
        input.pause()
      }
      if (rawMode) input.setRawMode?.(false)
      socket.off('error', stop)
      socket.destroy()
    }
  })()
  return {done, stop, inputEnded: () => ended}
}
