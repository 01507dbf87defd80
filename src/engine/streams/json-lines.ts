/**
 * JSON lines: the engine's progress streams (pull, push, load, import, build) and its events
 * stream send one JSON object per line. `JsonLinesDecoder` turns bytes into parsed objects however
 * they were split; `followProgress` reads a whole progress stream, reports each message, and
 * turns an `errorDetail` into an EngineStreamError.
 */
import {Transform, type Readable, type TransformCallback} from 'node:stream'
import {EngineStreamError} from '../errors.js'

export class JsonLinesDecoder extends Transform {
  private partial = ''
  private readonly decoder = new TextDecoder('utf8')

  constructor() {
    super({readableObjectMode: true})
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const text = this.partial + this.decoder.decode(chunk, {stream: true})
    const lines = text.split('\n')
    this.partial = lines.pop() ?? ''
    try {
      for (const line of lines) this.emitLine(line)
    } catch (error) {
      callback(error as Error)
      return
    }
    callback()
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.emitLine(this.partial + this.decoder.decode())
    } catch (error) {
      callback(error as Error)
      return
    }
    callback()
  }

  private emitLine(line: string): void {
    const trimmed = line.trim()
    if (trimmed === '') return
    let value: unknown
    try {
      value = JSON.parse(trimmed)
    } catch {
      throw new Error(`the engine sent a line that is not JSON: ${trimmed.slice(0, 200)}`)
    }
    this.push(value)
  }
}

/** One message of a progress stream. */
export interface ProgressMessage {
  status?: string
  id?: string
  progress?: string
  progressDetail?: {current?: number; total?: number}
  /** Build output. */
  stream?: string
  /** Structured results: `{ID: "sha256:..."}` for build, `{Tag, Digest, Size}` for push. */
  aux?: Record<string, unknown>
  error?: string
  errorDetail?: {code?: number; message?: string}
}

export interface ProgressResult {
  /** Every message, in order (progress bars excluded: only messages without progressDetail totals). */
  messages: ProgressMessage[]
  /** The `aux` payloads, in order. */
  aux: Record<string, unknown>[]
}

/**
 * Reads a progress stream to its end. `operation` names it in errors ("pull busybox:latest").
 * Resolves when the stream ends; rejects with EngineStreamError on an `errorDetail`/`error`.
 */
export async function followProgress(body: Readable, operation: string, onProgress?: (message: ProgressMessage) => void): Promise<ProgressResult> {
  const result: ProgressResult = {messages: [], aux: []}
  const decoder = body.pipe(new JsonLinesDecoder())
  body.once('error', (error) => decoder.destroy(error))
  for await (const value of decoder) {
    const message = value as ProgressMessage
    if (message.errorDetail || message.error) {
      body.destroy()
      throw new EngineStreamError(operation, message.errorDetail?.message ?? message.error ?? 'unknown error', message.errorDetail?.code)
    }
    onProgress?.(message)
    if (message.aux) result.aux.push(message.aux)
    if (!message.progressDetail?.total) result.messages.push(message)
  }
  return result
}
