/** Shared bits of the build integration tests: run a command in an image, build a fixture. */
import os from 'node:os'
import path from 'node:path'
import {mkdtempSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {EngineClient} from '../../../src/engine/index.js'
import {buildImage, type BuildImageOptions} from '../../../src/build/index.js'
import type {BuildProgress} from '../../../src/build/progress.js'

export const FIXTURES = path.resolve(fileURLToPath(import.meta.url), '../../../../fixtures/build')

/** A private hash cache per test run, so the user's cache dir is never touched. */
process.env.XDG_CACHE_HOME ??= mkdtempSync(path.join(os.tmpdir(), 'berth-build-cache-'))

/** Runs `cmd` in a fresh container of `image`; resolves with its output and exit code. */
export async function runIn(engine: EngineClient, image: string, cmd: string[], user?: string): Promise<{out: string; code: number}> {
  const {Id} = await engine.containers.create({Image: image, Entrypoint: [cmd[0]], Cmd: cmd.slice(1), User: user, HostConfig: {NetworkMode: 'none'}})
  try {
    await engine.containers.start(Id)
    const {StatusCode} = await engine.containers.wait(Id)
    const logs = await engine.containers.logs(Id, {tty: false})
    let out = ''
    for await (const chunk of logs) out += chunk.data.toString('utf8')
    return {out, code: StatusCode}
  } finally {
    await engine.containers.remove(Id, {force: true, volumes: true})
  }
}

export interface Built {
  imageId: string
  steps: Array<{text: string; cached: boolean}>
  output: string
  warnings: string[]
}

/** Builds a fixture directory; collects RUN output. */
export async function buildFixture(engine: EngineClient, name: string, options: Partial<BuildImageOptions> = {}): Promise<Built> {
  let output = ''
  const progress: BuildProgress = {output: (_s, chunk) => (output += chunk)}
  const result = await buildImage(engine, {context: path.resolve(FIXTURES, name), ...options}, progress)
  return {imageId: result.imageId, steps: result.steps.map((s) => ({text: s.text, cached: s.cached})), output, warnings: result.warnings}
}

/** `CACHED`/`RAN` per step, for step-by-step cache assertions. */
export function cacheMap(built: Built): string[] {
  return built.steps.map((s) => `${s.cached ? 'CACHED' : 'RAN'} ${s.text.split('\n')[0].slice(0, 60)}`)
}
