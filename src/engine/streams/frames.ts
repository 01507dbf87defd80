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
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** Header of the frame being read, or undefined while waiting for one. */
  private current: {stream: OutputStreamName; size: number} | undefined

  constructor() {
    super({readableObjectMode: true})
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    try {
      this.drain()
    } catch (error) {
      callback(error as Error)
      return
    }
    callback()
  }

  override _flush(callback: TransformCallback): void {
    if (this.pendingBytes > 0 || this.current) {
      // A truncated last frame (the connection was cut): hand out what arrived.
      const data = this.takeBytes(this.pendingBytes)
      if (this.current && data.length > 0) this.push({stream: this.current.stream, data} satisfies OutputChunk)
    }
    callback()
  }

  private drain(): void {
    for (;;) {
      if (!this.current) {
        if (this.pendingBytes < HEADER) return
        const header = this.takeBytes(HEADER)
        const kind = header[0]
        if (kind > 3 || header[1] !== 0 || header[2] !== 0 || header[3] !== 0) {
          throw new Error(`not a multiplexed stream (header ${header.toString('hex')}); was the container started with a TTY?`)
        }
        this.current = {stream: STREAMS[kind], size: header.readUInt32BE(4)}
      }
      if (this.current.size === 0) {
        this.current = undefined
        continue
      }
      if (this.pendingBytes === 0) return
      // Hand out partial frames as they arrive: large frames need not wait for their last byte.
      const n = Math.min(this.current.size, this.pendingBytes)
      this.push({stream: this.current.stream, data: this.takeBytes(n)} satisfies OutputChunk)
      this.current.size -= n
      if (this.current.size === 0) this.current = undefined
    }
  }

  /** Removes and returns the next n pending bytes, copying only when they span chunks. */
  private takeBytes(n: number): Buffer {
    const first = this.pending[0]
    if (first && first.length >= n) {
      this.pendingBytes -= n
      if (first.length === n) this.pending.shift()
      else this.pending[0] = first.subarray(n)
      return first.subarray(0, n)
    }
    const out = Buffer.allocUnsafe(n)
    let filled = 0
    while (filled < n) {
      const head = this.pending[0]
      const count = Math.min(head.length, n - filled)
      head.copy(out, filled, 0, count)
      filled += count
      if (count === head.length) this.pending.shift()
      else this.pending[0] = head.subarray(count)
    }
    this.pendingBytes -= n
    return out
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
