/** Shared by the runtime integration tests: a project from inline YAML, the engine, cleanup. */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadProject} from '../../../src/compose/load.js'
import type {Project} from '../../../src/compose/types.js'
import type {EngineClient} from '../../../src/engine/index.js'
import {down} from '../../../src/runtime/down.js'
import {runtimeEngine} from '../../../src/runtime/engine-adapter.js'
import type {RuntimeEngine} from '../../../src/runtime/engine-port.js'
import type {ProgressEvent} from '../../../src/runtime/progress-events.js'
import {testClient} from '../../support/engine-hooks.js'

let counter = 0

/** A unique project name per test: berth-rt-<pid>-<n>-<label>. */
export function uniqueName(label: string): string {
  return `brt${process.pid % 10000}-${++counter}-${label}`.toLowerCase()
}

export interface TestProject {
  name: string
  dir: string
  load(yaml?: string, env?: Record<string, string>): Promise<Project>
  write(yaml: string): void
}

export function testProject(label: string, yaml: string): TestProject {
  const name = uniqueName(label)
  const dir = mkdtempSync(join(tmpdir(), 'berth-rt-'))
  const file = join(dir, 'compose.yaml')
  writeFileSync(file, yaml)
  return {
    name,
    dir,
    write: (text) => writeFileSync(file, text),
    async load(text?: string, env: Record<string, string> = {}) {
      if (text !== undefined) writeFileSync(file, text)
      const result = await loadProject({files: [file], projectName: name, cwd: dir, env: {...process.env, ...env}})
      if (!result.project) throw new Error('no project')
      return result.project
    },
  }
}

export interface Harness {
  client: EngineClient
  engine: RuntimeEngine
  warnings: string[]
  events: ProgressEvent[]
  cleanups: Array<() => Promise<void>>
  /** Removes everything of the project (down -v) when the test ends. */
  track(project: TestProject): void
  close(): Promise<void>
}

export function harness(): Harness {
  const client = testClient()
  const warnings: string[] = []
  const h: Harness = {
    client,
    engine: runtimeEngine(client, (m) => warnings.push(m)),
    warnings,
    events: [],
    cleanups: [],
    track(project) {
      h.cleanups.push(async () => {
        await down(h.engine, project.name, undefined, {volumes: true, timeout: 0}).catch(() => {})
        rmSync(project.dir, {recursive: true, force: true})
      })
    },
    async close() {
      for (const c of h.cleanups.splice(0).reverse()) await c()
      await client.close()
    },
  }
  return h
}

/** The index of the first event for a resource with a status (-1 when absent). */
export function indexOf(events: ProgressEvent[], resource: string, status: string): number {
  return events.findIndex((e) => e.resource === resource && e.status === status)
}

/**
 * A fresh harness for each test of the calling suite, closed (with its cleanups) after it:
 * `let h!: Harness; useHarness((x) => (h = x))`.
 */
export function useHarness(set: (h: Harness) => void): void {
  let current: Harness | undefined
  beforeEach(() => {
    current = harness()
    set(current)
  })
  afterEach(async () => {
    await current?.close()
  })
}
