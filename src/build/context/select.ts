/**
 * COPY/ADD sources -> the exact entries to put into the image, following the Dockerfile
 * reference: sources are relative to the context (a leading `/` too) and may not leave it; globs
 * match one path segment per `*`; a directory source copies its contents; several sources need a
 * destination ending in `/`; a file source lands at `dest` or, for `dest/`, at `dest/<name>`.
 * A symlink named as a source is followed inside the context and refused when it points out;
 * symlinks below a copied directory are copied as links.
 */
import {createHash} from 'node:crypto'
import path from 'node:path'
import {BerthError} from '../../errors.js'
import {cleanPath, compilePattern} from './dockerignore.js'
import type {StatCache} from './stat-cache.js'
import type {ContextEntry, WalkedContext} from './walk.js'

export class CopySourceError extends BerthError {}

export interface PlannedEntry {
  /** Absolute path in the image, without a trailing slash. */
  dest: string
  type: 'file' | 'dir' | 'symlink'
  mode: number
  mtimeMs: number
  /** Where the bytes come from: a context entry, an inline (heredoc) body. */
  source?: ContextEntry
  content?: Buffer
  linkTarget?: string
  /** ADD: a local tar to unpack at `dest` instead of copying it. */
  extract?: boolean
}

export interface SelectOptions {
  instruction: 'COPY' | 'ADD'
  sources: string[]
  inline?: Array<{name: string; content: string}>
  /** Absolute destination; a trailing `/` means "into this directory". */
  dest: string
  /** Whether `dest` (without slash) is an existing directory in the parent image. */
  destIsDir?: boolean
  chmod?: number
}

const GLOB = /[*?[]/

export function selectSources(ctx: WalkedContext, opts: SelectOptions): PlannedEntry[] {
  const matched: Array<{entry: ContextEntry; name: string}> = []
  for (const source of opts.sources) matched.push(...resolveSource(ctx, source, opts.instruction))
  const count = matched.length + (opts.inline?.length ?? 0)
  const intoDir = opts.dest.endsWith('/') || opts.destIsDir === true
  const destBase = opts.dest === '/' ? '/' : opts.dest.replace(/\/+$/, '')
  if (count > 1 && !opts.dest.endsWith('/') && !opts.destIsDir) {
    throw new CopySourceError('BUILD_COPY_DEST', `When using ${opts.instruction} with more than one source file, the destination must be a directory and end with a / (${opts.dest})`)
  }
  const out: PlannedEntry[] = []
  const join = (...parts: string[]) => path.posix.join(...parts)
  for (const {entry, name} of matched) {
    if (entry.type === 'dir') {
      if (destBase !== '/') out.push({dest: destBase, type: 'dir', mode: opts.chmod ?? entry.mode, mtimeMs: entry.mtimeMs, source: entry})
      const prefix = entry.rel === '.' ? '' : entry.rel + '/'
      for (const below of ctx.entries.values()) {
        if (below.rel === '.' || (prefix !== '' && !below.rel.startsWith(prefix))) continue
        out.push(planned(join(destBase, below.rel.slice(prefix.length)), below, opts))
      }
      continue
    }
    const target = intoDir ? join(destBase, name) : destBase
    const plan = planned(target, entry, opts)
    if (opts.instruction === 'ADD' && entry.type === 'file' && isTarName(entry.rel)) {
      plan.extract = true
      plan.dest = destBase
    }
    out.push(plan)
  }
  for (const doc of opts.inline ?? []) {
    const target = intoDir || count > 1 ? join(destBase, doc.name) : destBase
    out.push({dest: target, type: 'file', mode: opts.chmod ?? 0o644, mtimeMs: 0, content: Buffer.from(doc.content)})
  }
  return out
}

function planned(dest: string, entry: ContextEntry, opts: SelectOptions): PlannedEntry {
  return {
    dest,
    type: entry.type,
    mode: entry.type === 'symlink' ? 0o777 : (opts.chmod ?? entry.mode),
    mtimeMs: entry.mtimeMs,
    source: entry.type === 'symlink' ? undefined : entry,
    linkTarget: entry.linkTarget,
  }
}

/** Local archives ADD unpacks; the content is checked again when the tar is written. */
function isTarName(rel: string): boolean {
  return /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$/i.test(rel)
}

/** One source word -> the context entries it names (symlinks named directly are followed). */
export function resolveSource(ctx: WalkedContext, source: string, instruction: string): Array<{entry: ContextEntry; name: string}> {
  const rel = cleanPath(source.replace(/^\/+/, ''))
  if (rel === '..' || rel.startsWith('../')) {
    throw new CopySourceError('BUILD_OUTSIDE_CONTEXT', `${instruction} failed: forbidden path outside the build context: ${source}`, {hints: ['sources are relative to the build context; move the file into the context or use a larger context']})
  }
  if (GLOB.test(rel)) {
    const pattern = compilePattern(rel)
    const segments = rel.split('/').length
    const out: Array<{entry: ContextEntry; name: string}> = []
    for (const entry of ctx.entries.values()) {
      if (entry.rel === '.' || entry.rel.split('/').length !== segments) continue
      if (pattern.regex.test(entry.rel)) out.push({entry: follow(ctx, entry, source, instruction), name: path.posix.basename(entry.rel)})
    }
    if (out.length === 0) throw new CopySourceError('BUILD_NO_SOURCE', `${instruction} failed: no source files were specified: nothing in the build context matches ${source}`, {hints: ['check the pattern and .dockerignore']})
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }
  const entry = lookupThroughLinks(ctx, rel, source, instruction)
  return [{entry: follow(ctx, entry, source, instruction), name: path.posix.basename(rel)}]
}

/** Finds `rel`, following symlinked parent directories inside the context. */
function lookupThroughLinks(ctx: WalkedContext, rel: string, source: string, instruction: string): ContextEntry {
  const direct = ctx.entries.get(rel)
  if (direct) return direct
  const parts = rel.split('/')
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/')
    const entry = ctx.entries.get(prefix)
    if (entry?.type === 'symlink') {
      const target = follow(ctx, entry, source, instruction)
      return lookupThroughLinks(ctx, [target.rel === '.' ? '' : target.rel, ...parts.slice(i)].filter(Boolean).join('/'), source, instruction)
    }
  }
  throw new CopySourceError('BUILD_NO_SOURCE', `${instruction} failed: file not found in build context or excluded by .dockerignore: ${source}`, {hints: ['check the path (relative to the build context) and .dockerignore']})
}

function follow(ctx: WalkedContext, entry: ContextEntry, source: string, instruction: string, depth = 0): ContextEntry {
  if (entry.type !== 'symlink') return entry
  if (depth > 40) throw new CopySourceError('BUILD_SYMLINK_LOOP', `${instruction} failed: too many levels of symbolic links: ${source}`)
  const target = entry.linkTarget ?? ''
  const resolved = path.posix.isAbsolute(target) ? undefined : cleanPath(path.posix.join(path.posix.dirname(entry.rel), target))
  if (resolved === undefined || resolved === '..' || resolved.startsWith('../')) {
    throw new CopySourceError('BUILD_OUTSIDE_CONTEXT', `${instruction} failed: ${source} is a symlink to ${target}, outside the build context`, {hints: ['copy the file into the context instead of linking to it']})
  }
  const next = ctx.entries.get(resolved)
  if (!next) throw new CopySourceError('BUILD_NO_SOURCE', `${instruction} failed: ${source} is a symlink to ${target}, which is not in the build context (or is excluded by .dockerignore)`)
  return follow(ctx, next, source, instruction, depth + 1)
}

/**
 * The digest of exactly what a COPY puts into the image: destination path, type, mode, owner
 * (the --chown text; the parent image id in the key pins how names resolve), content hash or link
 * target. Mtimes are left out, so a `touch` stays a cache hit.
 */
export async function digestEntries(entries: PlannedEntry[], owner: string, cache: StatCache): Promise<string> {
  const hashes = new Array<string>(entries.length)
  let next = 0
  const worker = async () => {
    while (next < entries.length) {
      const i = next++
      const e = entries[i]
      if (e.type === 'file') hashes[i] = e.content ? createHash('sha256').update(e.content).digest('hex') : await cache.hash(e.source!)
      else hashes[i] = e.linkTarget ?? ''
    }
  }
  await Promise.all(Array.from({length: Math.min(32, entries.length)}, worker))
  const lines = entries.map((e, i) => `${e.dest}\0${e.type}\0${e.mode.toString(8)}\0${owner}\0${e.extract ? 'extract\0' : ''}${hashes[i]}`)
  lines.sort()
  return createHash('sha256').update(lines.join('\n')).digest('hex')
}
