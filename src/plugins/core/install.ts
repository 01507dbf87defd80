/**
 * What Berth adds around @oclif/plugin-plugins' install and link:
 * - a path on disk (a directory, or a .tgz from npm pack) is installed as `file:<absolute path>`,
 *   which plugin-plugins hands to npm (a bare `dir/name` would otherwise be read as a GitHub repo);
 * - `berth` stays resolvable for installed plugins (a symlink in the data dir's node_modules,
 *   which npm prunes on every install) and for linked ones (a symlink in the plugin's own
 *   node_modules when nothing there provides `berth`).
 */
import {existsSync, statSync} from 'node:fs'
import {lstat, mkdir, readFile, symlink} from 'node:fs/promises'
import {isAbsolute, join, resolve} from 'node:path'
import {ensureBerthLink, packageResolvable} from './health.js'

/** `file:<abs>` for an argument that names a local directory or tarball; undefined otherwise. */
export function localInstallSpec(arg: string, cwd: string = process.cwd()): string | undefined {
  if (arg.startsWith('-') || arg.includes(':')) return undefined
  const looksLikePath = arg.startsWith('.') || arg.startsWith('~') || isAbsolute(arg) || /\.(tgz|tar\.gz)$/.test(arg) || arg.includes('/')
  if (!looksLikePath) return undefined
  const path = resolve(cwd, arg.startsWith('~/') ? join(process.env.HOME ?? '~', arg.slice(2)) : arg)
  if (!existsSync(path)) return undefined
  const stat = statSync(path)
  if (stat.isDirectory() ? !existsSync(join(path, 'package.json')) : !/\.(tgz|tar\.gz)$/.test(path)) return undefined
  return `file:${path}`
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
