/**
 * `commit SERVICE [REPOSITORY[:TAG]]`: an image from a service container's changes, through the
 * engine's /commit (paused meanwhile unless --no-pause). The reference and the -c instructions are
 * checked before any engine call, so a typo is one line naming it. As with `export`, a stopped
 * container can be committed too (docker compose wants a running one).
 */
import type {EngineClient} from '../engine/client.js'
import {UserInputError} from '../errors.js'
import {anyServiceContainer} from './export.js'
import {nameOf, type ProjectRef} from './select.js'

/** The Dockerfile instructions the engine applies in a commit (`-c`). */
export const COMMIT_INSTRUCTIONS = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'] as const

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const DOMAIN_PART = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/
const TAG = /^[\w][\w.-]{0,127}$/

/** `REPOSITORY[:TAG]` checked as docker's reference grammar has it; no digest. */
export function parseCommitReference(reference: string): {repository: string; tag?: string} {
  const bad = (why: string) => new UserInputError('BAD_REFERENCE', `invalid reference "${reference}": ${why}`)
  if (reference === '') throw bad('empty')
  if (reference.includes('@')) throw bad('a commit cannot be tagged with a digest')
  const slash = reference.lastIndexOf('/')
  const colon = reference.lastIndexOf(':')
  const repository = colon > slash ? reference.slice(0, colon) : reference
  const tag = colon > slash ? reference.slice(colon + 1) : undefined
  if (tag !== undefined && !TAG.test(tag)) throw bad(`"${tag}" is not a tag (letters, digits, _ . -; up to 128; not starting with . or -)`)
  if (repository.length > 255) throw bad('the repository name is longer than 255 characters')
  const parts = repository.split('/')
  const first = parts[0]
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())
  if (hasDomain) {
    const [host, port, ...extra] = first.split(':')
    if (extra.length > 0 || (port !== undefined && !/^\d+$/.test(port)) || !host.split('.').every((p) => DOMAIN_PART.test(p))) throw bad(`"${first}" is not a registry host[:port]`)
  }
  const path = hasDomain ? parts.slice(1) : parts
  for (const part of path) {
    if (part !== part.toLowerCase()) throw bad('repository name must be lowercase')
    if (!COMPONENT.test(part)) throw bad(part === '' ? 'empty path component' : `"${part}" is not a repository name component (lowercase letters, digits, separators . _ __ -)`)
  }
  return {repository, tag}
}

/** Checks `-c` instructions: each starts with one the engine applies in a commit. */
export function checkChanges(changes: readonly string[]): void {
  for (const change of changes) {
    const instruction = change.trim().split(/\s+/)[0]?.toUpperCase() ?? ''
    if (!(COMMIT_INSTRUCTIONS as readonly string[]).includes(instruction)) {
      throw new UserInputError('BAD_CHANGE', `-c "${change}": ${instruction ? `${instruction} cannot be applied in a commit` : 'empty instruction'} (use one of ${COMMIT_INSTRUCTIONS.join(', ')})`)
    }
    if (change.trim().split(/\s+/).length < 2) throw new UserInputError('BAD_CHANGE', `-c "${change}": ${instruction} needs an argument`)
  }
}

export interface CommitOptions {
  service: string
  index?: number
  reference?: string
  author?: string
  message?: string
  changes?: string[]
  /** Pause the container while committing (default true). */
  pause?: boolean
  signal?: AbortSignal
}

/** Commits; resolves with the new image's ID and the container's name. */
export async function commitService(engine: EngineClient, ref: ProjectRef, options: CommitOptions): Promise<{id: string; container: string}> {
  const target = options.reference === undefined ? undefined : parseCommitReference(options.reference)
  checkChanges(options.changes ?? [])
  const container = await anyServiceContainer(engine, ref, options.service, options.index, options.signal)
  const id = await engine.images.commit(container.Id, {
    repository: target?.repository,
    tag: target?.tag,
    author: options.author,
    comment: options.message,
    changes: options.changes && options.changes.length > 0 ? options.changes : undefined,
    pause: options.pause ?? true,
    signal: options.signal,
  })
  return {id, container: nameOf(container)}
}

/** --dry-run: the step a commit would take, in the layout of `up --dry-run`; nothing is changed. */
export async function planCommit(engine: EngineClient, ref: ProjectRef, options: CommitOptions): Promise<string> {
  if (options.reference !== undefined) parseCommitReference(options.reference)
  checkChanges(options.changes ?? [])
  const container = await anyServiceContainer(engine, ref, options.service, options.index, options.signal)
  return `#1 container:${nameOf(container)}  commit  ${options.reference ? `as ${options.reference}` : 'as an untagged image'}\n`
}
