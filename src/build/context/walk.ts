/**
 * The build context on disk: every path that `.dockerignore` lets through, with what a tar header
 * and a cache key need (type, mode, size, mtime, inode, link target). An excluded directory is not
 * descended into unless an exception pattern could re-include something below it; the parents of
 * re-included files are kept.
 */
import {promises as fs} from 'node:fs'
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

export async function walkContext(dir: string, ignore: IgnoreMatcher): Promise<WalkedContext> {
  const root = path.resolve(dir)
  const entries = new Map<string, ContextEntry>()
  const rootStat = await fs.lstat(root)
  entries.set('.', {rel: '.', abs: root, type: 'dir', mode: rootStat.mode & 0o7777, size: 0, mtimeMs: rootStat.mtimeMs, ino: rootStat.ino})

  /** Walks `rel` (a directory); resolves to whether anything below it was kept. */
  async function walk(relDir: string, absDir: string): Promise<boolean> {
    const names = await fs.readdir(absDir)
    let keptAny = false
    await Promise.all(names.map(async (name) => {
      const rel = relDir === '.' ? name : `${relDir}/${name}`
      const abs = path.join(absDir, name)
      const excluded = ignore.ignores(rel)
      const st = await fs.lstat(abs)
      const type: EntryType | undefined = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : undefined
      if (type === undefined) return // sockets, fifos, devices are not sent
      const entry: ContextEntry = {rel, abs, type, mode: st.mode & 0o7777, size: type === 'file' ? st.size : 0, mtimeMs: st.mtimeMs, ino: st.ino}
      if (type === 'symlink') entry.linkTarget = await fs.readlink(abs)
      if (type === 'dir') {
        if (excluded && !ignore.mayIncludeUnder(rel)) return
        const below = await walk(rel, abs)
        if (!excluded || below) {
          entries.set(rel, entry)
          keptAny = true
        }
        return
      }
      if (excluded) return
      entries.set(rel, entry)
      keptAny = true
    }))
    return keptAny
  }

  await walk('.', root)
  return {dir: root, entries}
}
