/**
 * Sync: copy changed host files into every container of a service, and delete in the containers
 * what was deleted on the host. Files go in one tar per batch (PUT archive at `/`, owned by the
 * container's user as `docker compose watch` does); deletions are one `rm -rf` exec per container.
 */
import {promises as fs} from 'node:fs'
import path from 'node:path'
import type {EntryHeader} from '../../build/context/archive.js'
import type {EngineClient} from '../../engine/index.js'
import type {ContainerSummary} from '../../engine/types.js'
import {isIgnoredAnywhere, type PathMapping} from './rules.js'
import {runInContainer} from './exec.js'

export interface SyncEntry {
  header: EntryHeader
  body?: Buffer
}

export interface SyncSplit {
  /** Archive entries for what exists on the host (directories with all they hold). */
  entries: SyncEntry[]
  /** Container paths of what no longer exists on the host. */
  deleted: string[]
}

/** Reads what each mapping names on the host now: entries to copy, or a path to delete. */
export async function splitMappings(mappings: readonly PathMapping[]): Promise<SyncSplit> {
  const entries: SyncEntry[] = []
  const deleted: string[] = []
  for (const m of mappings) {
    if (m.containerPath === undefined) continue
    const st = await fs.lstat(m.hostPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined
      throw error
    })
    if (!st) deleted.push(m.containerPath)
    else await addEntries(entries, m.hostPath, m.containerPath)
  }
  return {entries: dedupe(entries), deleted: [...new Set(deleted)].sort()}
}

async function addEntries(out: SyncEntry[], hostPath: string, containerPath: string): Promise<void> {
  const st = await fs.lstat(hostPath).catch(() => undefined)
  if (!st) return // gone while the batch was read: the next batch deletes it
  const base = {name: containerPath, mode: st.mode & 0o7777, uid: 0, gid: 0, mtimeMs: st.mtimeMs}
  if (st.isSymbolicLink()) {
    out.push({header: {...base, type: 'symlink', linkname: await fs.readlink(hostPath)}})
  } else if (st.isDirectory()) {
    out.push({header: {...base, type: 'directory'}})
    const names = await fs.readdir(hostPath).catch(() => [] as string[])
    for (const name of names.sort()) {
      const child = path.join(hostPath, name)
      if (isIgnoredAnywhere(child)) continue
      await addEntries(out, child, path.posix.join(containerPath, name))
    }
  } else if (st.isFile()) {
    const body = await fs.readFile(hostPath).catch(() => undefined)
    if (body) out.push({header: {...base, type: 'file', size: body.length}, body})
  }
}

function dedupe(entries: SyncEntry[]): SyncEntry[] {
  const byName = new Map<string, SyncEntry>()
  for (const e of entries) byName.set(e.header.name, e)
  return [...byName.values()].sort((a, b) => (a.header.name < b.header.name ? -1 : a.header.name > b.header.name ? 1 : 0))
}

/**
 * Applies one service's changes to its containers, side by side. Deletions need a running
 * container (`rm -rf` is an exec); copies reach stopped ones too, so they start with the new files.
 * Resolves with one message per container that failed (empty when all went well).
 */
export async function syncToContainers(engine: EngineClient, containers: readonly ContainerSummary[], split: SyncSplit, signal?: AbortSignal): Promise<string[]> {
  const {tarBuffer} = await import('../../build/context/archive.js')
  const tar = split.entries.length > 0 ? await tarBuffer(split.entries) : undefined
  const failures = await Promise.all(
    containers.map(async (c) => {
      const name = (c.Names?.[0] ?? c.Id).replace(/^\//, '')
      try {
        if (split.deleted.length > 0 && c.State === 'running') {
          const result = await runInContainer(engine, c.Id, {command: ['rm', '-rf', ...split.deleted]}, {signal})
          if (result.exitCode !== 0) return `deleting paths in ${name}: exit code ${result.exitCode}${result.stderr ? `: ${result.stderr.trim()}` : ''}`
        }
        if (tar) await engine.containers.putArchive(c.Id, '/', tar, {copyUIDGID: true, signal})
        return undefined
      } catch (error) {
        return `copying files to ${name}: ${(error as Error).message}`
      }
    }),
  )
  return failures.filter((f): f is string => f !== undefined)
}
