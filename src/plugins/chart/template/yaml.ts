/**
 * YAML as helm's toYaml writes it (sigs.k8s.io/yaml: JSON first, then go-yaml v2's emitter):
 * map keys in go-yaml's natural order (digits compared as numbers), sequences under a key not
 * indented, strings that would read as another type ("80", "yes", "") double-quoted, strings
 * with indicators or edge spaces single-quoted, multi-line strings as literal blocks (|, |-, |+),
 * and long plain strings folded at 80 columns. Values from JSON: integers stay integers.
 */
import {formatFloat, isMap, isNil, isStruct} from './values.js'

const BEST_WIDTH = 80

/** go-yaml v2's keyList.Less for string keys. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a]
  const br = [...b]
  const isLetter = (c: string): boolean => /\p{L}/u.test(c)
  const isDigit = (c: string | undefined): boolean => c !== undefined && /[0-9]/.test(c)
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue
    const al = isLetter(ar[i]!)
    const bl = isLetter(br[i]!)
    if (al && bl) return ar[i]! < br[i]!
    if (al || bl) return bl
    let an = 0
    let bn = 0
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1
          bn = 1
          break
        }
      }
    }
    let ai = i
    let bi = i
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai])
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi])
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return ar[i]! < br[i]!
  }
  return ar.length < br.length
}

function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort((x, y) => (x === y ? 0 : yamlKeyLess(x, y) ? -1 : 1))
}

/** Would a YAML 1.1 reader (go-yaml v2) take this plain scalar for something other than a string? */
function resolvesToNonString(s: string): boolean {
  if (s === '' || s === '~' || /^(null|Null|NULL)$/.test(s)) return true
  if (/^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(s)) return true
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return true
  if (/^[-+]?0x[0-9a-fA-F_]+$/.test(s) || /^[-+]?0b[01_]+$/.test(s) || /^[-+]?[0-9][0-9_]*$/.test(s)) return true
  if (/^[-+]?(\.inf|\.Inf|\.INF)$/.test(s) || /^(\.nan|\.NaN|\.NAN)$/.test(s)) return true
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s)) return true
  if (s === '<<' || s === '=') return true
  if (/^\d{4}-\d\d?-\d\d?([Tt ]|$)/.test(s)) return false
  return false
}

interface Analysis {
  blockPlain: boolean
  flowPlain: boolean
  singleQuoted: boolean
  block: boolean
  multiline: boolean
}

/** libyaml's yaml_emitter_analyze_scalar. */
function analyze(s: string): Analysis {
  const r: Analysis = {blockPlain: true, flowPlain: true, singleQuoted: true, block: true, multiline: false}
  if (s.length === 0) {
    r.blockPlain = r.flowPlain = r.block = false
    return r
  }
  let flowInd = false
  let blockInd = false
  if (s.startsWith('---') || s.startsWith('...')) flowInd = blockInd = true
  let precededByWs = true
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
  let breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false, lineBreaks = false, special = false
  const chars = [...s]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    const next = chars[i + 1]
    const followedByWs = next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r'
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowInd = blockInd = true
      if (c === '?' || c === ':') {
        flowInd = true
        if (followedByWs) blockInd = true
      }
      if (c === '-' && followedByWs) flowInd = blockInd = true
    } else {
      if (',?[]{}'.includes(c)) flowInd = true
      if (c === ':') {
        flowInd = true
        if (followedByWs) blockInd = true
      }
      if (c === '#' && precededByWs) flowInd = blockInd = true
    }
    const cp = c.codePointAt(0)!
    const printable = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0x7e) || cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff)
    if (!printable) special = true
    const isBreak = c === '\n' || c === '\r' || cp === 0x85 || cp === 0x2028 || cp === 0x2029
    if (isBreak) lineBreaks = true
    if (c === ' ') {
      if (i === 0) leadingSpace = true
      if (i === chars.length - 1) trailingSpace = true
      if (prevBreak) breakSpace = true
      prevSpace = true
      prevBreak = false
    } else if (isBreak) {
      if (i === 0) leadingBreak = true
      if (i === chars.length - 1) trailingBreak = true
      if (prevSpace) spaceBreak = true
      prevBreak = true
      prevSpace = false
    } else {
      prevSpace = prevBreak = false
    }
    precededByWs = c === ' ' || c === '\t' || isBreak
  }
  r.multiline = lineBreaks
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) r.flowPlain = r.blockPlain = false
  if (trailingSpace) r.block = false
  if (breakSpace) r.flowPlain = r.blockPlain = r.singleQuoted = false
  if (spaceBreak || special) r.flowPlain = r.blockPlain = r.singleQuoted = r.block = false
  if (lineBreaks) r.flowPlain = r.blockPlain = false
  if (flowInd) r.flowPlain = false
  if (blockInd) r.blockPlain = false
  return r
}

function doubleQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (c === 0) out += '\\0'
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).toUpperCase().padStart(2, '0')
    else if (c === 0xfeff) out += '\\uFEFF'
    else out += ch
  }
  return out + '"'
}

/** Writes words, breaking at a single space once past the best width (go-yaml's plain/single-quoted folding). */
function fold(s: string, column: number, indent: number, quote: string): string {
  let out = quote
  let col = column + quote.length
  const chars = [...s]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (c === ' ' && quote !== '"' && col > BEST_WIDTH && chars[i - 1] !== ' ' && chars[i + 1] !== ' ' && i !== 0 && i !== chars.length - 1) {
      out += '\n' + ' '.repeat(indent)
      col = indent
      continue
    }
    if (c === "'" && quote === "'") {
      out += "''"
      col += 2
      continue
    }
    out += c
    col++
  }
  return out + quote
}

/** A scalar string in block context at `column`, continuation lines at `indent`. */
function scalarString(s: string, column: number, indent: number, isKey: boolean): string {
  if (!isKey && s.includes('\n')) {
    const a = analyze(s)
    if (a.block) {
      let chomp = '-'
      if (s.endsWith('\n')) chomp = /\n\n$/.test(s) || s === '\n' ? '+' : ''
      const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : ''
      const body = s.replace(/\n$/, chomp === '+' ? '\n' : '').split('\n')
      if (chomp === '+') body.pop()
      const pad = ' '.repeat(indent)
      return `|${hint}${chomp}\n` + body.map((l) => (l === '' ? '' : pad + l)).join('\n')
    }
    return doubleQuote(s)
  }
  if (resolvesToNonString(s)) return doubleQuote(s)
  const a = analyze(s)
  if (isKey ? a.flowPlain && a.blockPlain && s.length > 0 : a.blockPlain) return isKey ? s : fold(s, column, indent, '')
  if (a.singleQuoted && !a.multiline) return isKey ? `'${s.replace(/'/g, "''")}'` : fold(s, column, indent, "'")
  return doubleQuote(s)
}

function scalar(v: unknown, column: number, indent: number): string {
  if (isNil(v)) return 'null'
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toFixed(0)
    return formatFloat(v)
  }
  if (typeof v === 'string') return scalarString(v, column, indent, false)
  return String(v)
}

/** Normalises through JSON as sigs.k8s.io/yaml does: structs become maps, functions vanish. */
export function toJsonShape(v: unknown): unknown {
  if (isNil(v)) return null
  if (Array.isArray(v)) return v.map(toJsonShape)
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  if (isStruct(v)) {
    const out: Record<string, unknown> = {}
    for (const [k, f] of Object.entries(v.fields)) if (typeof f !== 'function') out[k] = toJsonShape(f)
    return out
  }
  if (isMap(v)) {
    const out: Record<string, unknown> = {}
    for (const [k, f] of Object.entries(v)) if (typeof f !== 'function') out[k] = toJsonShape(f)
    return out
  }
  return v
}

function emit(v: unknown, indent: number, lines: string[], prefix: string): void {
  // prefix: text already on the current line (e.g. "- " or "key: ")
  if (Array.isArray(v)) {
    if (v.length === 0) {
      lines.push(prefix + '[]')
      return
    }
    if (prefix.trim() !== '' && !prefix.endsWith('- ')) {
      lines.push(prefix.replace(/ $/, ''))
      prefix = ' '.repeat(indent)
    }
    let first = true
    for (const item of v) {
      const p = first ? prefix + '- ' : ' '.repeat(indent) + '- '
      first = false
      emit(item, indent + 2, lines, p)
    }
    return
  }
  if (isMap(v)) {
    const keys = sortedKeys(v)
    if (keys.length === 0) {
      lines.push(prefix + '{}')
      return
    }
    let childIndent = indent
    if (prefix.trim() !== '' && !prefix.endsWith('- ')) {
      lines.push(prefix.replace(/ $/, ''))
      prefix = ' '.repeat(indent)
    } else if (prefix.endsWith('- ')) {
      childIndent = prefix.length
    }
    let first = true
    for (const k of keys) {
      const p = first ? prefix : ' '.repeat(childIndent)
      first = false
      const keyText = scalarString(k, p.length, childIndent, true)
      const item = v[k]
      if ((Array.isArray(item) && item.length > 0)) {
        lines.push(p + keyText + ':')
        emit(item, childIndent, lines, ' '.repeat(childIndent))
      } else if (isMap(item) && Object.keys(item).length > 0) {
        lines.push(p + keyText + ':')
        emit(item, childIndent + 2, lines, ' '.repeat(childIndent + 2))
      } else {
        emit(item, childIndent + 2, lines, p + keyText + ': ')
      }
    }
    return
  }
  lines.push(prefix + scalar(v, prefix.length, indent))
}

/** toYaml's text (without helm's trimmed final newline: the caller trims). */
export function toYamlText(v: unknown): string {
  const shaped = toJsonShape(v)
  const lines: string[] = []
  emit(shaped, 0, lines, '')
  return lines.join('\n') + '\n'
}
