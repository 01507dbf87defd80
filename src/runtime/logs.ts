/**
 * The log multiplexer: merges many containers' log streams into one terminal, each line behind a
 * coloured `web-1  | ` prefix padded to the longest name, as docker compose prints them.
 *
 * Input is the engine's raw response body for one container: either the multiplexed frame format
 * (8-byte header: stream type, 3 zero bytes, big-endian payload size) or, for a container with a
 * TTY, the raw byte stream. Parsing is push-based and synchronous per chunk, and everything a chunk
 * produces for one output stream leaves in ONE write of whole lines, so lines from different
 * containers never interleave mid-line. A partial last line waits for its newline (or the end of
 * the stream). Writes honour back-pressure: a source waits for `drain` before reading more.
 */
import {Chalk, type ChalkInstance} from 'chalk'

/** Where merged lines go: stdout frames to `out`, stderr frames to `err` (as compose does). */
export interface LogSinks {
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
}

export interface MultiplexerOptions extends LogSinks {
  /** Colour the prefixes (chalk, same colours and order as docker compose). */
  color: boolean
  /** Print the `name  | ` prefix at all (`--no-log-prefix` turns it off). */
  prefix: boolean
}

/**
 * The prefix colours, in the order docker compose hands them out (one per name, first come first
 * served): cyan, yellow, green, magenta, blue, then the same five bold ("intense").
 */
const PALETTE = ['cyan', 'yellow', 'green', 'magenta', 'blue'] as const
let chalk: ChalkInstance | undefined

function colorize(text: string, index: number): string {
  chalk ??= new Chalk({level: 1})
  const color = PALETTE[index % PALETTE.length]
  return index % (PALETTE.length * 2) >= PALETTE.length ? chalk.bold[color](text) : chalk[color](text)
}

const NEWLINE = 0x0a
const NEWLINE_BUF = Buffer.from('\n')

/** One source's view of the multiplexer. */
class Presenter {
  prefix: Buffer = Buffer.alloc(0)
  constructor(
    readonly name: string,
    readonly colorIndex: number,
  ) {}
}

/** Stream kinds in the multiplexed frame header. */
const STDIN = 0
const STDOUT = 1
const STDERR = 2

export class LogMultiplexer {
  private readonly presenters = new Map<string, Presenter>()
  private nextColor = 0
  private width = 0

  constructor(private readonly options: MultiplexerOptions) {}

  /** Registers a name (e.g. `web-1`) and returns its presenter; widens everyone's prefix if needed. */
  register(name: string): void {
    if (this.presenters.has(name)) return
    const presenter = new Presenter(name, this.nextColor++)
    this.presenters.set(name, presenter)
    const width = Math.max(this.width, name.length + 1)
    if (width !== this.width) {
      this.width = width
      for (const p of this.presenters.values()) this.setPrefix(p)
    } else {
      this.setPrefix(presenter)
    }
  }

  /** A status line in the name's colour, e.g. `web-1 exited with code 0`. */
  status(name: string, text: string): void {
    this.register(name)
    const p = this.presenters.get(name) as Presenter
    this.options.out.write(this.options.color ? colorize(text, p.colorIndex) + '\n' : text + '\n')
  }

  /** The current prefix of a registered name (for tests and for status lines). */
  prefixOf(name: string): string {
    return this.presenters.get(name)?.prefix.toString('utf8') ?? ''
  }

  /**
   * Reads one container's log body to its end and writes its lines. `tty` says the body is a raw
   * stream (container created with a TTY) rather than multiplexed frames.
   */
  async pump(name: string, body: AsyncIterable<Buffer | Uint8Array>, tty: boolean): Promise<void> {
    this.register(name)
    const reader = this.reader(name, tty)
    for await (const chunk of body) {
      const pending = reader.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      if (pending) await pending
    }
    reader.end()
  }

  /**
   * A push-based reader for one source: `push(chunk)` writes the whole lines the chunk completes
   * and returns a promise when a sink asked to wait (back-pressure); `end()` flushes partial lines.
   */
  reader(name: string, tty: boolean): SourceReader {
    this.register(name)
    return new SourceReader(this.presenters.get(name) as Presenter, tty, this.options)
  }

  private setPrefix(p: Presenter): void {
    if (!this.options.prefix) {
      p.prefix = Buffer.alloc(0)
      return
    }
    const text = `${p.name.padEnd(this.width)} | `
    p.prefix = Buffer.from(this.options.color ? colorize(text, p.colorIndex) : text)
  }
}

/** Splits one source's bytes into whole lines per output stream. */
export class SourceReader {
  private readonly partial: [Buffer[], Buffer[]] = [[], []]
  private header = Buffer.alloc(8)
  private headerFill = 0
  private frameLeft = 0
  private frameStream = STDOUT

  constructor(
    private readonly presenter: Presenter,
    private readonly tty: boolean,
    private readonly sinks: LogSinks,
  ) {}

  push(chunk: Buffer): Promise<void> | undefined {
    const out: Buffer[] = []
    const err: Buffer[] = []
    if (this.tty) {
      this.lines(chunk, 0, out)
    } else {
      this.frames(chunk, out, err)
    }
    return this.flush(out, err)
  }

  /** Flushes partial lines (with a newline added), as compose does when a stream ends. */
  end(): void {
    const out: Buffer[] = []
    const err: Buffer[] = []
    for (const [index, parts] of [out, err].entries()) {
      const pending = this.partial[index]
      if (pending.length === 0) continue
      parts.push(this.presenter.prefix, ...pending, NEWLINE_BUF)
      this.partial[index] = []
    }
    void this.flush(out, err)
  }

  private frames(chunk: Buffer, out: Buffer[], err: Buffer[]): void {
    let pos = 0
    const length = chunk.length
    while (pos < length) {
      if (this.frameLeft === 0) {
        // Fast path: a whole header inside this chunk.
        if (this.headerFill === 0 && length - pos >= 8) {
          this.frameStream = chunk[pos]
          this.frameLeft = chunk.readUInt32BE(pos + 4)
          pos += 8
        } else {
          const take = Math.min(8 - this.headerFill, length - pos)
          chunk.copy(this.header, this.headerFill, pos, pos + take)
          this.headerFill += take
          pos += take
          if (this.headerFill < 8) return
          this.frameStream = this.header[0]
          this.frameLeft = this.header.readUInt32BE(4)
          this.headerFill = 0
        }
        continue
      }
      const end = Math.min(length, pos + this.frameLeft)
      const slice = chunk.subarray(pos, end)
      this.frameLeft -= end - pos
      pos = end
      if (this.frameStream === STDERR) this.lines(slice, 1, err)
      else if (this.frameStream === STDOUT || this.frameStream === STDIN) this.lines(slice, 0, out)
    }
  }

  /** Appends the whole lines of `data` (after any pending partial line) to `parts`, each prefixed. */
  private lines(data: Buffer, index: 0 | 1, parts: Buffer[]): void {
    const prefix = this.presenter.prefix
    const pending = this.partial[index]
    let start = 0
    let nl = data.indexOf(NEWLINE)
    if (nl === -1) {
      if (data.length > 0) pending.push(data)
      return
    }
    if (pending.length > 0) {
      if (prefix.length > 0) parts.push(prefix)
      parts.push(...pending, data.subarray(0, nl + 1))
      this.partial[index] = []
      start = nl + 1
      nl = data.indexOf(NEWLINE, start)
    }
    if (prefix.length === 0) {
      // No prefix: every complete line passes through as one slice.
      const last = data.lastIndexOf(NEWLINE)
      if (last >= start) parts.push(data.subarray(start, last + 1))
      if (last + 1 < data.length) this.partial[index].push(Buffer.from(data.subarray(last + 1)))
      return
    }
    while (nl !== -1) {
      parts.push(prefix, data.subarray(start, nl + 1))
      start = nl + 1
      nl = data.indexOf(NEWLINE, start)
    }
    // Copy the tail: the chunk it lives in may be reused by the socket reader.
    if (start < data.length) this.partial[index].push(Buffer.from(data.subarray(start)))
  }

  private flush(out: Buffer[], err: Buffer[]): Promise<void> | undefined {
    const waits: Array<Promise<void>> = []
    if (out.length > 0) {
      const wait = write(this.sinks.out, out)
      if (wait) waits.push(wait)
    }
    if (err.length > 0) {
      const wait = write(this.sinks.err, err)
      if (wait) waits.push(wait)
    }
    if (waits.length === 0) return undefined
    return Promise.all(waits).then(() => undefined)
  }
}

function write(stream: NodeJS.WritableStream, parts: Buffer[]): Promise<void> | undefined {
  const data = parts.length === 1 ? parts[0] : Buffer.concat(parts)
  if (stream.write(data)) return undefined
  return new Promise((resolve) => stream.once('drain', () => resolve()))
}
