/**
 * The build context on disk: every path that `.dockerignore` lets through, with what a tar header
 * and a cache key need (type, mode, size, mtime, inode, link target). An excluded directory is not
 * descended into unless an exception pattern could re-include something below it; the parents of
 * re-included files are kept.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {IgnoreMatcher} from './dockerignore.js'

export type EntryType = 'file' | 'dir' | 'symlink'

export interface ContextEntry {
  /** Context-relative path with forward slashes; '.' for the root. */
  rel: string
  abs: string
  type: EntryType
  /** Permission and special bits (mode & 0o7777). */
  mode: number
  size: number
  mtimeMs: number
  ino: number
  linkTarget?: string
}

export interface WalkedContext {
  dir: string
  entries: Map<string, ContextEntry>
}

/**
 * Walks synchronously: one lstat per path with no promise or thread-pool round trip is several
 * times faster for large contexts (20,000 files in ~0.1-0.5 s), and nothing else needs the event
 * loop meanwhile except the cache lookup, whose answer simply waits.
 */
export async function walkContext(dir: string, ignore: IgnoreMatcher): Promise<WalkedContext> {
  const root = path.resolve(dir)
  const entries = new Map<string, ContextEntry>()
  const rootStat = fs.lstatSync(root)
  entries.set('.', {rel: '.', abs: root, type: 'dir', mode: rootStat.mode & 0o7777, size: 0, mtimeMs: rootStat.mtimeMs, ino: rootStat.ino})

  /** Walks `relDir`; returns whether anything below it was kept. */
  function walk(relDir: string, absDir: string): boolean {
    let keptAny = false
    for (const name of fs.readdirSync(absDir).sort()) {
      const rel = relDir === '.' ? name : `${relDir}/${name}`
      const abs = `${absDir}/${name}`
      const excluded = ignore.ignores(rel)
      const st = fs.lstatSync(abs)
      const type: EntryType | undefined = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : undefined
      if (type === undefined) continue // sockets, fifos, devices are not sent
      const entry: ContextEntry = {rel, abs, type, mode: st.mode & 0o7777, size: type === 'file' ? st.size : 0, mtimeMs: st.mtimeMs, ino: st.ino}
      if (type === 'symlink') entry.linkTarget = fs.readlinkSync(abs)
      if (type === 'dir') {
        if (excluded && !ignore.mayIncludeUnder(rel)) continue
        // Parents go in before their children, so archives list directories first.
        entries.set(rel, entry)
        const below = walk(rel, abs)
        if (excluded && !below) entries.delete(rel)
        else keptAny = true
        continue
      }
      if (excluded) continue
      entries.set(rel, entry)
      keptAny = true
    }
    return keptAny
  }

  walk('.', root)
  return {dir: root, entries}
}
