/**
 * `.dockerignore` with the Docker CLI's semantics: one pattern a line, `#` comment lines, blank
 * lines skipped, whitespace trimmed, patterns cleaned like Go's filepath.Clean with a leading `/`
 * dropped; `*` and `?` stay within one path segment, `**` spans any number of segments, `[...]`
 * classes and `\` escapes; `!pattern` re-includes; the last matching pattern wins; a pattern that
 * matches a parent directory matches everything under it.
 */
import path from 'node:path'

export interface IgnorePattern {
  /** Cleaned pattern text without the `!`. */
  text: string
  exclusion: boolean
  regex: RegExp
  /** Number of path segments in the pattern (for parent-directory matching). */
  segments: number
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  for (const line of lines) {
    if (line.startsWith('#')) continue
    let pattern = line.trim()
    if (pattern === '') continue
    const exclusion = pattern.startsWith('!')
    if (exclusion) pattern = pattern.slice(1).trim()
    if (pattern !== '') {
      pattern = cleanPath(pattern)
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1)
    }
    out.push(compilePattern(pattern, exclusion))
  }
  return out
}

/** Go's path.Clean (forward slashes). */
export function cleanPath(p: string): string {
  if (p === '') return '.'
  const rooted = p.startsWith('/')
  const parts: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop()
      else if (!rooted) parts.push('..')
      continue
    }
    parts.push(part)
  }
  const joined = parts.join('/')
  if (rooted) return '/' + joined
  return joined === '' ? '.' : joined
}

export function compilePattern(text: string, exclusion = false): IgnorePattern {
  let re = '^'
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '*') {
      if (text[i + 1] === '*') {
        i++
        while (text[i + 1] === '*') i++
        if (text[i + 1] === '/') i++
        re += i + 1 >= text.length ? '.*' : '(.*/)?'
      } else {
        re += '[^/]*'
      }
    } else if (ch === '?') {
      re += '[^/]'
    } else if (ch === '[') {
      const end = text.indexOf(']', i + 1)
      if (end < 0) re += '\\['
      else {
        let set = text.slice(i + 1, end)
        if (set.startsWith('^') || set.startsWith('!')) set = '^' + set.slice(1)
        re += `[${set.replace(/\\(?!\])/g, '\\\\')}]`
        i = end
      }
    } else if (ch === '\\') {
      i++
      if (i < text.length) re += escapeRegex(text[i])
    } else {
      re += escapeRegex(ch)
    }
  }
  re += '$'
  return {text, exclusion, regex: new RegExp(re, 's'), segments: text.split('/').length}
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch
}

export class IgnoreMatcher {
  readonly hasExclusions: boolean

  constructor(readonly patterns: IgnorePattern[]) {
    this.hasExclusions = patterns.some((p) => p.exclusion)
  }

  static fromText(text: string): IgnoreMatcher {
    return new IgnoreMatcher(parseDockerignore(text))
  }

  /** Whether a context-relative path (forward slashes) is excluded. */
  ignores(rel: string): boolean {
    const parentDirs = rel.split('/')
    parentDirs.pop()
    let matched = false
    for (const pattern of this.patterns) {
      let match = pattern.regex.test(rel)
      if (!match && parentDirs.length > 0 && pattern.segments <= parentDirs.length) {
        match = pattern.regex.test(parentDirs.slice(0, pattern.segments).join('/'))
      }
      if (match) matched = !pattern.exclusion
    }
    return matched
  }

  /**
   * Whether a directory that is itself excluded may still hold re-included files, so the walker
   * must descend into it. Conservative: true when any exception pattern could match below `dir`.
   */
  mayIncludeUnder(dir: string): boolean {
    if (!this.hasExclusions) return false
    const prefix = dir + '/'
    for (const pattern of this.patterns) {
      if (!pattern.exclusion) continue
      const literal = literalPrefix(pattern.text)
      // An exception that starts with a wildcard may match anywhere.
      if (literal.length === 0) return true
      if (literal.startsWith(prefix) || prefix.startsWith(literal) || literal === dir) return true
    }
    return false
  }
}

function literalPrefix(text: string): string {
  const at = text.search(/[*?[\\]/)
  return at < 0 ? text : text.slice(0, at)
}

/** The `.dockerignore` to use: `<Dockerfile>.dockerignore` next to the Dockerfile first, then the context's. */
export function dockerignoreCandidates(contextDir: string, dockerfilePath: string | undefined): string[] {
  const out: string[] = []
  if (dockerfilePath) out.push(`${dockerfilePath}.dockerignore`)
  out.push(path.join(contextDir, '.dockerignore'))
  return out
}
