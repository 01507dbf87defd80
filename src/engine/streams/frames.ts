/**
 * The engine's multiplexed stream format (logs, attach and exec of a container without a TTY):
 * frames of an 8-byte header — [stream, 0, 0, 0, size as uint32 big-endian] — then `size` bytes.
 * Stream 0 is stdin, 1 stdout, 2 stderr, 3 an engine-side error (newer engines).
 *
 * `FrameDecoder` is an object-mode Transform: bytes in, `OutputChunk`s out, in order, however
 * the bytes were split across reads. `RawDecoder` is the same interface for TTY streams, where
 * everything is stdout.
 */
import {Transform, type TransformCallback} from 'node:stream'

export type OutputStreamName = 'stdin' | 'stdout' | 'stderr' | 'system'

export interface OutputChunk {
  stream: OutputStreamName
  data: Buffer
}

const STREAMS: readonly OutputStreamName[] = ['stdin', 'stdout', 'stderr', 'system']
const HEADER = 8

export class FrameDecoder extends Transform {
  /** Bytes of a header split across reads (fewer than 8). */
  private headerPart: Buffer | undefined
  /** The stream of the frame being read and how many of its bytes are still to come. */
  private stream: OutputStreamName = 'stdout'
  private remaining = 0
  /** [start, end) offsets in the current chunk of consecutive payloads of one stream. */
  private readonly run: number[] = []
  private runStream: OutputStreamName | undefined

  constructor() {
    super({readableObjectMode: true})
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decode(chunk)
    } catch (error) {
      callback(error as Error)
      return
    }
    callback()
  }

  // A truncated last frame (the connection was cut) was already handed out as far as it arrived.

  /**
   * Walks one chunk by offsets. Consecutive frames of one stream are handed out as one chunk:
   * engines write a frame per log line, and one object per line would cost more than copying the
   * lines together. Partial frames go out as they arrive, so large frames need not wait.
   */
  private decode(chunk: Buffer): void {
    let offset = 0
    if (this.headerPart) {
      const need = HEADER - this.headerPart.length
      if (chunk.length < need) {
        this.headerPart = Buffer.concat([this.headerPart, chunk])
        return
      }
      this.startFrame(Buffer.concat([this.headerPart, chunk.subarray(0, need)]), 0)
      this.headerPart = undefined
      offset = need
    }
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const end = Math.min(chunk.length, offset + this.remaining)
        if (this.runStream !== this.stream) this.flushRun(chunk)
        this.runStream = this.stream
        this.run.push(offset, end)
        this.remaining -= end - offset
        offset = end
        continue
      }
      if (chunk.length - offset < HEADER) {
        this.headerPart = Buffer.from(chunk.subarray(offset))
        break
      }
      this.startFrame(chunk, offset)
      offset += HEADER
    }
    this.flushRun(chunk)
  }

  private startFrame(buffer: Buffer, at: number): void {
    const kind = buffer[at]
    if (kind > 3 || buffer[at + 1] !== 0 || buffer[at + 2] !== 0 || buffer[at + 3] !== 0) {
      throw new Error(`not a multiplexed stream (header ${buffer.subarray(at, at + HEADER).toString('hex')}); was the container started with a TTY?`)
    }
    this.stream = STREAMS[kind]
    this.remaining = buffer.readUInt32BE(at + 4)
  }

  private flushRun(chunk: Buffer): void {
    const run = this.run
    if (this.runStream && run.length > 0) {
      let data: Buffer
      if (run.length === 2) {
        data = chunk.subarray(run[0], run[1])
      } else {
        let size = 0
        for (let i = 0; i < run.length; i += 2) size += run[i + 1] - run[i]
        data = Buffer.allocUnsafe(size)
        let at = 0
        for (let i = 0; i < run.length; i += 2) at += chunk.copy(data, at, run[i], run[i + 1])
      }
      this.push({stream: this.runStream, data} satisfies OutputChunk)
    }
    run.length = 0
    this.runStream = undefined
  }
}

/** A TTY stream: no frames, all output is stdout. */
export class RawDecoder extends Transform {
  constructor() {
    super({readableObjectMode: true})
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(null, {stream: 'stdout', data: chunk} satisfies OutputChunk)
  }
}

/** Encodes one frame; the inverse of FrameDecoder (tests and in-process fakes use it). */
export function encodeFrame(stream: OutputStreamName, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data
  const header = Buffer.alloc(HEADER)
  header[0] = STREAMS.indexOf(stream)
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

/** A decoder for a container's output: frames without a TTY, raw with one. */
export function outputDecoder(tty: boolean): Transform {
  return tty ? new RawDecoder() : new FrameDecoder()
}
