/**
 * Wires a hijacked attach/exec stream to the user's terminal: stdin into the container (raw mode
 * when it is a TTY, so Ctrl-C and arrows reach the program), output to stdout/stderr (raw with a
 * TTY, frames decoded without), and the TTY size on start and on every SIGWINCH. Resolves when
 * the container side closes; the terminal is restored whatever happens.
 */
import type {Readable, Writable} from 'node:stream'
import type {HijackedStream} from './hijack.js'
import {outputDecoder, type OutputChunk} from './streams/frames.js'

export interface TerminalOptions {
  stream: HijackedStream
  /** Whether the container side has a TTY (raw output, no frames). */
  tty: boolean
  /** Forward this input (usually process.stdin); none when undefined. */
  stdin?: Readable & {isTTY?: boolean; setRawMode?: (mode: boolean) => unknown}
  stdout?: Writable & {columns?: number; rows?: number; isTTY?: boolean}
  stderr?: Writable
  /** Called with the terminal size at start and on SIGWINCH (containers.resize or exec.resize). */
  resize?: (size: {rows: number; columns: number}) => Promise<void>
}

export async function connectTerminal(options: TerminalOptions): Promise<void> {
  const {stream, tty, stdin, resize} = options
  const stdout = options.stdout ?? process.stdout
  const stderr = options.stderr ?? process.stderr
  const socket = stream.socket
  const cleanups: (() => void)[] = []

  if (stdin) {
    if (tty && stdin.isTTY && stdin.setRawMode) {
      stdin.setRawMode(true)
      cleanups.push(() => stdin.setRawMode?.(false))
    }
    const onData = (chunk: Buffer) => socket.write(chunk)
    const onEnd = () => socket.end()
    stdin.on('data', onData)
    stdin.once('end', onEnd)
    stdin.resume()
    cleanups.push(() => {
      stdin.off('data', onData)
      stdin.off('end', onEnd)
      stdin.pause()
    })
  }

  if (resize && tty && stdout.isTTY) {
    const apply = () => {
      if (stdout.columns && stdout.rows) resize({rows: stdout.rows, columns: stdout.columns}).catch(() => undefined)
    }
    apply()
    process.on('SIGWINCH', apply)
    cleanups.push(() => process.off('SIGWINCH', apply))
  }

  try {
    const decoded = socket.pipe(outputDecoder(tty))
    for await (const chunk of decoded as AsyncIterable<OutputChunk>) {
      const target = chunk.stream === 'stderr' ? stderr : stdout
      if (!target.write(chunk.data)) await new Promise((resolve) => target.once('drain', resolve))
    }
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup()
    socket.destroy()
  }
}
