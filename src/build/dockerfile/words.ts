/**
 * Variable substitution in Dockerfile words, as the Dockerfile reference specifies: `$v`, `${v}`,
 * `${v:-w}`, `${v-w}`, `${v:+w}`, `${v+w}`, `${v:?msg}`, `${v?msg}`, `${v#p}`, `${v##p}`, `${v%p}`,
 * `${v%%p}`, `${v/p/r}`, `${v//p/r}`; single quotes are literal, double quotes group and expand,
 * the escape character (`\` or the `# escape=` directive) makes the next character literal.
 *
 * `expandWord` keeps whitespace (ENV values, WORKDIR, USER); `expandWords` also splits on
 * unquoted whitespace, including whitespace that came out of an unquoted expansion (COPY sources,
 * EXPOSE, VOLUME).
 */
import {SubstitutionError} from './errors.js'

/** The value of a variable, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined

export function lookupIn(vars: ReadonlyMap<string, string> | Record<string, string>): Lookup {
  if (vars instanceof Map) return (name) => vars.get(name)
  const record = vars as Record<string, string>
  return (name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined)
}

export function expandWord(word: string, lookup: Lookup, escape = '\\'): string {
  return new Lexer(word, lookup, escape).run().text
}

export function expandWords(word: string, lookup: Lookup, escape = '\\'): string[] {
  return new Lexer(word, lookup, escape).run().words
}

/** Names referenced by a word (used to tell which build args an instruction consumed). */
export function referencedNames(word: string, escape = '\\'): string[] {
  const names = new Set<string>()
  try {
    new Lexer(word, (name) => {
      names.add(name)
      return undefined
    }, escape).run()
  } catch {
    // A word that does not expand references whatever was seen before the error.
  }
  return [...names]
}

/** Collects characters into the whole text and into whitespace-separated words. */
class Words {
  text = ''
  words: string[] = []
  private current = ''
  private inWord = false

  /** Unquoted characters: whitespace ends a word. */
  addChar(ch: string): void {
    this.text += ch
    if (/\s/.test(ch)) {
      if (this.inWord) this.words.push(this.current)
      this.current = ''
      this.inWord = false
    } else {
      this.current += ch
      this.inWord = true
    }
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch)
  }

  /** Quoted or escaped characters: part of the word whatever they are. */
  addRaw(s: string): void {
    this.text += s
    this.current += s
    this.inWord = true
  }

  finish(): {text: string; words: string[]} {
    if (this.inWord) this.words.push(this.current)
    return {text: this.text, words: this.words}
  }
}

const NAME_START = /[A-Za-z_]/
const NAME_CHAR = /[A-Za-z0-9_]/

class Lexer {
  private pos = 0

  constructor(private readonly src: string, private readonly lookup: Lookup, private readonly escape: string) {}

  run(): {text: string; words: string[]} {
    const words = new Words()
    this.processUntil(words, undefined)
    return words.finish()
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset]
  }

  /** Process characters until `stop` (not consumed) or the end; `stop` is used inside `${...}`. */
  private processUntil(words: Words, stop: string | undefined): void {
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos]
      if (stop !== undefined && ch === stop) return
      if (ch === this.escape) {
        this.pos++
        if (this.pos >= this.src.length) {
          // A trailing escape stays literal.
          words.addRaw(ch)
          return
        }
        words.addRaw(this.src[this.pos++])
        continue
      }
      if (ch === "'") {
        words.addRaw(this.singleQuoted())
        continue
      }
      if (ch === '"') {
        words.addRaw(this.doubleQuoted())
        continue
      }
      if (ch === '$') {
        const value = this.dollar()
        words.addString(value)
        continue
      }
      words.addChar(ch)
      this.pos++
    }
    if (stop !== undefined) throw new SubstitutionError(`missing '${stop}' in substitution`)
  }

  private singleQuoted(): string {
    this.pos++ // opening quote
    const end = this.src.indexOf("'", this.pos)
    if (end < 0) throw new SubstitutionError('unexpected end of statement while looking for matching single-quote')
    const out = this.src.slice(this.pos, end)
    this.pos = end + 1
    return out
  }

  private doubleQuoted(): string {
    this.pos++ // opening quote
    let out = ''
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos]
      if (ch === '"') {
        this.pos++
        return out
      }
      if (ch === '$') {
        out += this.dollar()
        continue
      }
      if (ch === this.escape) {
        const next = this.peek(1)
        if (next === '"' || next === '$' || next === this.escape) {
          out += next
          this.pos += 2
          continue
        }
      }
      out += ch
      this.pos++
    }
    throw new SubstitutionError('unexpected end of statement while looking for matching double-quote')
  }

  /** At a `$`: the expansion, or a literal `$` when no name follows. */
  private dollar(): string {
    this.pos++ // $
    const next = this.peek()
    if (next === '{') {
      this.pos++
      return this.braced()
    }
    if (next !== undefined && /[0-9]/.test(next)) {
      this.pos++
      return this.lookup(next) ?? ''
    }
    if (next === undefined || !NAME_START.test(next)) return '$'
    const name = this.name()
    return this.lookup(name) ?? ''
  }

  private name(): string {
    const start = this.pos
    while (this.pos < this.src.length && NAME_CHAR.test(this.src[this.pos])) this.pos++
    return this.src.slice(start, this.pos)
  }

  /** Expands a nested word up to (and consuming) the closing brace. */
  private wordUntilBrace(): string {
    const words = new Words()
    this.processUntil(words, '}')
    this.pos++ // }
    return words.finish().text
  }

  private braced(): string {
    const first = this.peek()
    if (first === undefined || !(NAME_START.test(first) || /[0-9]/.test(first))) {
      throw new SubstitutionError(`bad substitution: expected a variable name after '\${'`)
    }
    const name = this.name()
    const value = this.lookup(name)
    const op = this.peek()
    if (op === '}') {
      this.pos++
      return value ?? ''
    }
    if (op === undefined) throw new SubstitutionError(`missing '}' in substitution of ${name}`)
    this.pos++
    if (op === ':') {
      const mod = this.peek()
      this.pos++
      const word = this.wordUntilBrace()
      const empty = value === undefined || value === ''
      if (mod === '-') return empty ? word : value
      if (mod === '+') return empty ? '' : word
      if (mod === '?') {
        if (empty) throw new SubstitutionError(`${name}: ${word || 'is not allowed to be unset or empty'}`)
        return value
      }
      throw new SubstitutionError(`unsupported modifier (:${mod ?? ''}) in substitution of ${name}`)
    }
    if (op === '-' || op === '+' || op === '?') {
      const word = this.wordUntilBrace()
      if (op === '-') return value ?? word
      if (op === '+') return value === undefined ? '' : word
      if (value === undefined) throw new SubstitutionError(`${name}: ${word || 'is not allowed to be unset'}`)
      return value
    }
    if (op === '#' || op === '%') {
      const longest = this.peek() === op
      if (longest) this.pos++
      const pattern = this.wordUntilBrace()
      return trimPattern(value ?? '', pattern, op === '#' ? 'prefix' : 'suffix', longest)
    }
    if (op === '/') {
      const all = this.peek() === '/'
      if (all) this.pos++
      const pattern = this.expandUntil(['/', '}'])
      let replacement = ''
      if (this.peek() === '/') {
        this.pos++
        replacement = this.wordUntilBrace()
      } else {
        this.pos++ // }
      }
      return replacePattern(value ?? '', pattern, replacement, all)
    }
    throw new SubstitutionError(`unsupported modifier (${op}) in substitution of ${name}`)
  }

  /** Expands up to the first of `stops` (not consumed). */
  private expandUntil(stops: string[]): string {
    let out = ''
    while (this.pos < this.src.length && !stops.includes(this.src[this.pos])) {
      const ch = this.src[this.pos]
      if (ch === this.escape && this.pos + 1 < this.src.length) {
        out += this.src[this.pos + 1]
        this.pos += 2
      } else if (ch === '$') {
        out += this.dollar()
      } else if (ch === "'") {
        out += this.singleQuoted()
      } else if (ch === '"') {
        out += this.doubleQuoted()
      } else {
        out += ch
        this.pos++
      }
    }
    if (this.pos >= this.src.length) throw new SubstitutionError("missing '}' in substitution")
    return out
  }
}

/** A shell glob (`*`, `?`, `[...]`) as an anchored regular expression body. */
function globBody(pattern: string): string {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]
    if (ch === '*') out += '[\\s\\S]*'
    else if (ch === '?') out += '[\\s\\S]'
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2)
      if (end < 0) out += '\\['
      else {
        let set = pattern.slice(i + 1, end)
        if (set.startsWith('!')) set = '^' + set.slice(1)
        out += `[${set.replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return out
}

function trimPattern(value: string, pattern: string, side: 'prefix' | 'suffix', longest: boolean): string {
  const re = new RegExp(`^${globBody(pattern)}$`)
  if (side === 'prefix') {
    const lengths = [...Array(value.length + 1).keys()]
    if (longest) lengths.reverse()
    for (const n of lengths) if (re.test(value.slice(0, n))) return value.slice(n)
  } else {
    const starts = [...Array(value.length + 1).keys()]
    if (!longest) starts.reverse()
    for (const n of starts) if (re.test(value.slice(n))) return value.slice(0, n)
  }
  return value
}

function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
  if (pattern === '') return value
  // Longest match at the leftmost position, as the shell does.
  const re = new RegExp(globBody(pattern).replace(/\[\\s\\S\]\*/g, '[\\s\\S]*'), all ? 'g' : '')
  return value.replace(re, () => replacement)
}
