/**
 * The canonical-output fixtures under fixtures/compose/<feature>/: each holds a compose.yaml (plus
 * env files, other Compose files), an optional fixture.json ({files, profiles, env}) and
 * expected.json, what `berth config --format json` prints for it. Machine-specific paths are
 * written as `<fixture>` (the fixture directory) and `<fixtures>` (fixtures/compose); the home
 * directory is HOME_DIR. docker compose v5 (scripts/peers.sh) is the oracle that produced them.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const FIXTURES_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/compose')
export const ORACLE = '/opt/berth-peers/bin/docker-compose-v5'
export const HOME_DIR = '/home/berth'

/** Folders other helpers own (loader stages, bad input): not canonical-output fixtures. */
const NOT_CANONICAL = new Set(['loader', 'invalid'])

export interface FixtureMeta {
  files?: string[]
  profiles?: string[]
  env?: Record<string, string>
}

export interface Fixture {
  name: string
  dir: string
  meta: FixtureMeta
  expectedPath: string
}

export function listFixtures(): Fixture[] {
  return readdirSync(FIXTURES_ROOT, {withFileTypes: true})
    .filter((e) => e.isDirectory() && !NOT_CANONICAL.has(e.name) && existsSync(join(FIXTURES_ROOT, e.name, 'compose.yaml')))
    .map((e) => {
      const dir = join(FIXTURES_ROOT, e.name)
      const metaPath = join(dir, 'fixture.json')
      const meta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as FixtureMeta) : {}
      return {name: e.name, dir, meta, expectedPath: join(dir, 'expected.json')}
    })
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** The whole environment both tools see: nothing from the machine but PATH and a fixed HOME. */
export function fixtureEnv(fixture: Fixture): Record<string, string> {
  return {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: HOME_DIR, ...fixture.meta.env}
}

/** Absolute paths of this machine -> placeholders, then keys sorted (key order is not compared). */
export function portable(doc: unknown, fixture: Fixture): unknown {
  const text = JSON.stringify(doc).replaceAll(fixture.dir, '<fixture>').replaceAll(FIXTURES_ROOT, '<fixtures>')
  return sortKeys(JSON.parse(text))
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key])
    return out
  }
  return value
}

export function readExpected(fixture: Fixture): unknown {
  return JSON.parse(readFileSync(fixture.expectedPath, 'utf8'))
}

export function oracleAvailable(): boolean {
  return existsSync(ORACLE)
}

/** `docker-compose-v5 config --format json|yaml` for the fixture, parsed and made portable. */
export async function runOracle(fixture: Fixture, format: 'json' | 'yaml' = 'json'): Promise<unknown> {
  const args = [...(fixture.meta.files ?? []).flatMap((f) => ['-f', f]), ...(fixture.meta.profiles ?? []).flatMap((p) => ['--profile', p]), 'config', '--format', format]
  const out = execFileSync(ORACLE, args, {cwd: fixture.dir, env: fixtureEnv(fixture), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
  const {parse} = await import('yaml')
  return portable(format === 'json' ? JSON.parse(out) : parse(out), fixture)
}

/** What `berth config --format json|yaml` prints for the fixture, as data, made portable. */
export async function runBerth(fixture: Fixture, format: 'json' | 'yaml' = 'json'): Promise<unknown> {
  const {loadProject} = await import('../../../../src/compose/load.js')
  const {toComposeDocument} = await import('../../../../src/compose/normalize/index.js')
  const result = await loadProject({
    cwd: fixture.dir,
    files: fixture.meta.files,
    profiles: fixture.meta.profiles,
    env: fixtureEnv(fixture),
  })
  return portable(toComposeDocument(result.project!, {format}), fixture)
}
