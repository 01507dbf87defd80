import assert from 'node:assert/strict'
import {Readable} from 'node:stream'
import {EngineStreamError, JsonLinesDecoder, followProgress, type ProgressMessage} from '../../../src/engine/index.js'

async function decode(chunks: (string | Buffer)[]): Promise<unknown[]> {
  const out: unknown[] = []
  for await (const value of Readable.from(chunks.map((c) => Buffer.from(c))).pipe(new JsonLinesDecoder())) out.push(value)
  return out
}

describe('engine/streams: JSON lines', () => {
  it('parses objects split anywhere, including inside a multi-byte character', async () => {
    const text = Buffer.from('{"status":"Pulling fs layer","id":"a1"}\r\n{"status":"naïve ✓"}\n\n{"aux":{"ID":"sha256:1"}}')
    const expected = [{status: 'Pulling fs layer', id: 'a1'}, {status: 'naïve ✓'}, {aux: {ID: 'sha256:1'}}]
    for (let cut = 1; cut < text.length; cut++) {
      assert.deepEqual(await decode([text.subarray(0, cut), text.subarray(cut)]), expected, `cut at ${cut}`)
    }
  })

  it('fails on a line that is not JSON', async () => {
    await assert.rejects(decode(['{"ok":1}\nnot json\n']), /not JSON: not json/)
  })

  it('follows a progress stream: reports messages, collects aux, skips progress bars in the result', async () => {
    const seen: ProgressMessage[] = []
    const body = Readable.from([
      Buffer.from('{"status":"Pushing","progressDetail":{"current":1,"total":10},"id":"l1"}\n'),
      Buffer.from('{"status":"Pushed","id":"l1"}\n{"aux":{"Tag":"v1","Digest":"sha256:abc","Size":528}}\n'),
    ])
    const result = await followProgress(body, 'push app:v1', (m) => seen.push(m))
    assert.equal(seen.length, 3)
    assert.deepEqual(result.aux, [{Tag: 'v1', Digest: 'sha256:abc', Size: 528}])
    assert.deepEqual(result.messages.map((m) => m.status), ['Pushed', undefined])
  })

  it('turns errorDetail into EngineStreamError naming the operation', async () => {
    const body = Readable.from([Buffer.from('{"status":"Pulling"}\n{"errorDetail":{"code":1,"message":"manifest unknown"},"error":"manifest unknown"}\n{"status":"never read"}\n')])
    await assert.rejects(followProgress(body, 'pull app:v2'), (error: unknown) => {
      assert.ok(error instanceof EngineStreamError)
      assert.equal(error.message, 'pull app:v2 failed: manifest unknown')
      assert.equal(error.detailCode, 1)
      assert.equal(error.code, 'ENGINE_STREAM_ERROR')
      return true
    })
  })
})
