/**
 * The terminal side of an attached `exec` or `run`: copy the user's stdin into the hijacked
 * socket, the socket's output to stdout/stderr (raw with a TTY, demultiplexed frames without),
 * put a real terminal in raw mode while a TTY session runs, and resize the remote TTY on start and
 * on every SIGWINCH. Resolves when the remote side closes its output.
 */
import type {Socket} from 'node:net'
import {outputDecoder, type OutputChunk} from '../engine/streams/frames.js'

export interface TerminalStreams {
  stdin: NodeJS.ReadableStream & {isTTY?: boolean; setRawMode?: (raw: boolean) => unknown}
  stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number; rows?: number; on?: (event: 'resize', listener: () => void) => unknown}
  stderr: NodeJS.WritableStream
}

export interface AttachIoOptions {
  socket: Socket
  tty: boolean
  /** Send the user's stdin (-i / interactive). */
  stdin: boolean
  streams: TerminalStreams
  /** Called with the terminal size at start and on SIGWINCH (TTY sessions on a terminal). */
  resize?: (size: {rows: number; columns: number}) => Promise<void>
}

export async function attachIo(options: AttachIoOptions): Promise<void> {
  const {socket, tty, streams} = options
  const input = streams.stdin
  const rawMode = tty && options.stdin && input.isTTY === true && typeof input.setRawMode === 'function'
  if (rawMode) input.setRawMode?.(true)

  const onResize = () => {
    const {columns, rows} = streams.stdout
    if (columns && rows) void options.resize?.({rows, columns}).catch(() => undefined)
  }
  if (tty && options.resize && streams.stdout.isTTY) {
    onResize()
    process.on('SIGWINCH', onResize)
  }

  const onInput = (chunk: Buffer) => {
    if (!socket.destroyed && socket.writable) socket.write(chunk)
  }
  const onInputEnd = () => {
    if (socket.destroyed) return
    // EOF on our stdin: with a TTY, the terminal's end-of-file character (^D), which the
    // container's terminal turns into EOF for the reader while its output still drains (closing
    // the stream would hang up the terminal and lose that output); without one, close the
    // container's stdin (half-close) and let the output keep flowing.
    if (tty) socket.write('\x04')
    else socket.end()
  }
  if (options.stdin) {
    input.on('data', onInput)
    input.once('end', onInputEnd)
    input.resume()
  }

  try {
    const decoder = outputDecoder(tty)
    socket.pipe(decoder)
    socket.resume()
    for await (const chunk of decoder as AsyncIterable<OutputChunk>) {
      const target = chunk.stream === 'stderr' || chunk.stream === 'system' ? streams.stderr : streams.stdout
      if (!target.write(chunk.data)) await new Promise<void>((resolve) => target.once('drain', () => resolve()))
    }
  } finally {
    process.off('SIGWINCH', onResize)
    if (options.stdin) {
      input.off('data', onInput)
      input.off('end', onInputEnd)
      input.pause()
    }
    if (rawMode) input.setRawMode?.(false)
    socket.destroy()
  }
}
