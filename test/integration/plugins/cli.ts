/**
 * Runs the built CLI (`node bin/run.js`, after `npm run build`) with its own HOME and XDG dirs, so
 * plugin installs never touch the user's real data directory.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const REPO = resolve(fileURLToPath(import.meta.url), '../../../..')
export const BIN = join(REPO, 'bin', 'run.js')
export const EXAMPLE_PLUGIN = join(REPO, 'fixtures', 'plugins', 'berth-plugin-example')

export interface Result {
  status: number
  stdout: string
  stderr: string
}

export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'berth-plugins-'))
  readonly dataDir = join(this.dir, 'xdg-data', 'berth')

  constructor() {
    if (!existsSync(join(REPO, 'dist', 'plugins', 'sdk', 'index.js')) || !existsSync(join(REPO, 'oclif.manifest.json'))) {
      throw new Error('build first: npx tsc -p tsconfig.build.json && npx oclif manifest')
    }
  }

  env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      // the private test engine, when the suite runs with test/support/engine-hooks.ts
      ...(process.env.DOCKER_HOST ? {DOCKER_HOST: process.env.DOCKER_HOST} : {}),
      HOME: this.dir,
      XDG_DATA_HOME: join(this.dir, 'xdg-data'),
      XDG_CACHE_HOME: join(this.dir, 'xdg-cache'),
      XDG_CONFIG_HOME: join(this.dir, 'xdg-config'),
      npm_config_cache: join(this.dir, 'npm-cache'),
      npm_config_offline: 'true',
      NO_COLOR: '1',
    }
  }

  berth(args: string[], cwd: string = this.dir): Result {
    const r = spawnSync(process.execPath, [BIN, ...args], {cwd, env: this.env(), encoding: 'utf8', timeout: 120_000})
    return {status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
  }

  run(command: string, args: string[], cwd: string = this.dir): Result {
    const r = spawnSync(command, args, {cwd, env: this.env(), encoding: 'utf8', timeout: 120_000})
    return {status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
  }

  remove(): void {
    rmSync(this.dir, {recursive: true, force: true})
  }
}

export function ok(r: Result, what: string): Result {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`)
  return r
}
