/** Small readers for response bodies and headers. */
import type {Readable} from 'node:stream'

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** The body parsed as JSON, or undefined when it is empty. */
export async function readJson(body: Readable): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of body) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8').trim()
  return text === '' ? undefined : JSON.parse(text)
}

export async function drain(body: Readable): Promise<void> {
  for await (const _chunk of body) {
    // discard
  }
}

/** `filters` as the engine wants them: a JSON object of string arrays, omitted when empty. */
export function encodeFilters(filters: Record<string, readonly string[]> | undefined): string | undefined {
  if (!filters) return undefined
  const entries = Object.entries(filters).filter(([, values]) => values.length > 0)
  return entries.length === 0 ? undefined : JSON.stringify(Object.fromEntries(entries))
}
