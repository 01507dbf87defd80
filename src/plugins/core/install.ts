/**
 * What Berth adds around @oclif/plugin-plugins' install and link:
 * - a path on disk is installed as a `file:` tarball (a bare `dir/name` would otherwise be read as
 *   a GitHub repo): a .tgz as it is, a directory packed first into the data dir, so that it is a
 *   copy (later edits to the folder do not leak in) and plugin-plugins finds its name reliably;
 * - `berth` stays resolvable for installed plugins (a symlink in the data dir's node_modules,
 *   which npm prunes on every install) and for linked ones (a symlink in the plugin's own
 *   node_modules when nothing there provides `berth`).
 */
import {execFile} from 'node:child_process'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {lstat, mkdir, readFile, symlink} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {dirname, isAbsolute, join, resolve} from 'node:path'
import {UserInputError} from '../../errors.js'
import {ensureBerthLink, packageResolvable} from './health.js'

export interface LocalSource {
  kind: 'directory' | 'tarball'
  /** Absolute path. */
  path: string
}

/** The local directory (with a package.json) or tarball an install argument names; undefined for npm names and URLs. */
export function localSource(arg: string, cwd: string = process.cwd()): LocalSource | undefined {
  if (arg.startsWith('-') || arg.includes(':')) return undefined
  const looksLikePath = arg.startsWith('.') || arg.startsWith('~') || isAbsolute(arg) || /\.(tgz|tar\.gz)$/.test(arg) || arg.includes('/')
  if (!looksLikePath) return undefined
  const path = resolve(cwd, arg.startsWith('~/') ? join(process.env.HOME ?? '~', arg.slice(2)) : arg)
  if (!existsSync(path)) return undefined
  if (statSync(path).isDirectory()) return existsSync(join(path, 'package.json')) ? {kind: 'directory', path} : undefined
  return /\.(tgz|tar\.gz)$/.test(path) ? {kind: 'tarball', path} : undefined
}

/** npm's CLI as @oclif/plugin-plugins runs it (its pinned copy), else the one on PATH. */
function npmCommand(): string[] {
  try {
    const from = createRequire(import.meta.resolve('@oclif/plugin-plugins'))
    const pjsonPath = from.resolve('npm/package.json')
    const bin = (JSON.parse(readFileSync(pjsonPath, 'utf8')) as {bin: {npm: string}}).bin.npm
    return [process.execPath, join(dirname(pjsonPath), bin)]
  } catch {
    return ['npm']
  }
}

/**
 * A directory is installed as a snapshot: packed (npm pack, which runs its prepack/prepare
 * scripts) into `<dataDir>/sources/`, then installed like any tarball. Returns the tarball's path.
 */
export async function packDirectory(dir: string, dataDir: string): Promise<string> {
  const dest = join(dataDir, 'sources')
  await mkdir(dest, {recursive: true})
  const [command, ...args] = npmCommand()
  const {stdout} = await run(command!, [...args, 'pack', '--json', '--pack-destination', dest], dir)
  const start = stdout.indexOf('[')
  const packed = JSON.parse(start === -1 ? stdout : stdout.slice(start)) as Array<{filename: string}>
  const filename = packed[0]?.filename
  if (!filename) throw new UserInputError('PLUGIN_PACK_FAILED', `npm pack ${dir} made no tarball`)
  return join(dest, filename.replace(/^@/, '').replace('/', '-'))
}

function run(command: string, args: string[], cwd: string): Promise<{stdout: string}> {
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, {cwd, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
      if (error) reject(new UserInputError('PLUGIN_PACK_FAILED', `npm pack in ${cwd} failed: ${(stderr || error.message).trim().split('\n').at(-1)}`, {cause: error}))
      else resolvePromise({stdout})
    })
  })
}

/** What to hand plugin-plugins for an install argument: local paths become `file:` tarball specs. */
export async function installSpec(arg: string, dataDir: string, cwd: string = process.cwd()): Promise<string> {
  const source = localSource(arg, cwd)
  if (!source) return arg
  return `file:${source.kind === 'directory' ? await packDirectory(source.path, dataDir) : source.path}`
}

export async function ensureDataDirLink(config: {dataDir: string; root: string}): Promise<void> {
  if (existsSync(join(config.dataDir, 'package.json'))) await ensureBerthLink(config.dataDir, config.root)
}

/** Links `berth` into `<dir>/node_modules/berth` when `berth` does not resolve from `dir`; returns the link path when it made one. */
export async function linkBerthInto(dir: string, berthRoot: string): Promise<string | undefined> {
  const root = resolve(dir)
  let pjson: {berth?: unknown; peerDependencies?: Record<string, string>}
  try {
    pjson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'))
  } catch {
    return undefined // not a package: plugin-plugins will say so
  }
  if (pjson.berth === undefined && pjson.peerDependencies?.berth === undefined) return undefined
  if (packageResolvable(root, 'berth')) return undefined
  const link = join(root, 'node_modules', 'berth')
  try {
    await lstat(link)
    return undefined // something is there (a dangling link?): leave the user's folder alone
  } catch {
    // absent: make it
  }
  await mkdir(join(root, 'node_modules'), {recursive: true})
  await symlink(berthRoot, link, 'dir')
  return link
}

/** Whether the package in `dir` declares dependencies (which `plugins link` would install). */
export async function hasDependencies(dir: string): Promise<boolean> {
  try {
    const pjson = JSON.parse(await readFile(join(resolve(dir), 'package.json'), 'utf8')) as {dependencies?: Record<string, string>}
    return Object.keys(pjson.dependencies ?? {}).length > 0
  } catch {
    return true
  }
}
