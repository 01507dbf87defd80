/**
 * Go text/template's grammar: text and {{actions}} with {{- -}} trimming and comments; pipelines
 * of commands with variables ($x := / $x =), fields (.a.b), parentheses, literals; control
 * structures if / else if / else with / range (with $i, $v := and break / continue), define,
 * template, block. Every node keeps its byte offset so errors say file:line:col (Go's column:
 * the 0-based byte in the line).
 */
import {TemplateParseError} from './errors.js'

export type Node =
  | {type: 'text'; pos: number; text: string}
  | {type: 'action'; pos: number; pipe: Pipe}
  | {type: 'if' | 'with'; pos: number; pipe: Pipe; list: Node[]; elseList?: Node[]}
  | {type: 'range'; pos: number; pipe: Pipe; list: Node[]; elseList?: Node[]}
  | {type: 'template'; pos: number; name: string; pipe?: Pipe}
  | {type: 'break' | 'continue'; pos: number}

export interface Pipe {
  pos: number
  decl: string[]
  assign: boolean
  cmds: Command[]
}

export interface Command {
  pos: number
  args: Arg[]
}

export type Arg =
  | {type: 'field'; pos: number; idents: string[]}
  | {type: 'variable'; pos: number; name: string; idents: string[]}
  | {type: 'dot'; pos: number}
  | {type: 'nil'; pos: number}
  | {type: 'bool'; pos: number; value: boolean}
  | {type: 'number'; pos: number; value: bigint | number; text: string}
  | {type: 'string'; pos: number; value: string; text: string}
  | {type: 'identifier'; pos: number; name: string}
  | {type: 'pipe'; pos: number; pipe: Pipe}
  | {type: 'chain'; pos: number; node: Arg; idents: string[]}

export interface ParsedTemplates {
  /** The body of the file itself. */
  root: Node[]
  /** {{define}} and {{block}} bodies by name. */
  defines: Map<string, {list: Node[]; file: string}>
}

type TokType =
  | 'text' | 'left' | 'right' | 'field' | 'variable' | 'dot' | 'ident' | 'string' | 'raw' | 'char' | 'number'
  | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'space' | 'eof' | 'comment'

interface Token {
  type: TokType
  pos: number
  val: string
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', 'false'])

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n'
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_]/u.test(c)
}

/** Splits a template into tokens, applying {{- and -}} to the neighbouring text. */
export function lex(text: string, name: string): Token[] {
  const out: Token[] = []
  let i = 0
  const fail = (pos: number, msg: string): never => {
    throw new TemplateParseError(name, text, pos, msg)
  }
  while (i < text.length) {
    const start = text.indexOf('{{', i)
    const end = start === -1 ? text.length : start
    let trimLeft = false
    if (start !== -1 && text[start + 2] === '-' && isSpace(text[start + 3])) trimLeft = true
    let chunk = text.slice(i, end)
    if (trimLeft) chunk = chunk.replace(/[ \t\r\n]+$/, '')
    if (chunk.length > 0) out.push({type: 'text', pos: i, val: chunk})
    if (start === -1) break
    i = start + 2 + (trimLeft ? 2 : 0)
    // comment
    let j = i
    while (isSpace(text[j]) && trimLeft) j++
    if (text.startsWith('/*', trimLeft ? j : i)) {
      const cstart = trimLeft ? j : i
      const cend = text.indexOf('*/', cstart + 2)
      if (cend === -1) fail(cstart, 'unclosed comment')
      let k = cend + 2
      let trimRight = false
      if (text[k] === ' ' && text[k + 1] === '-' && text.startsWith('}}', k + 2)) {
        trimRight = true
        k += 2
      }
      if (!text.startsWith('}}', k)) fail(cstart, 'comment ends before closing delimiter')
      i = k + 2
      if (trimRight) i = skipSpace(text, i)
      continue
    }
    out.push({type: 'left', pos: start, val: '{{'})
    // inside action
    let parenDepth = 0
    for (;;) {
      if (i >= text.length) fail(start, 'unclosed action')
      const c = text[i]!
      if (isSpace(c)) {
        let k = i
        while (isSpace(text[k])) k++
        if (text[k] === '-' && text.startsWith('}}', k + 1)) {
          out.push({type: 'right', pos: k, val: '}}'})
          i = skipSpace(text, k + 3)
          break
        }
        if (text.startsWith('}}', k) && parenDepth === 0) {
          out.push({type: 'right', pos: k, val: '}}'})
          i = k + 2
          break
        }
        if (text.slice(i, k).includes('\n') && !text.startsWith('}}', k)) {
          // newlines inside actions are allowed since Go 1.16
        }
        out.push({type: 'space', pos: i, val: ' '})
        i = k
        continue
      }
      if (text.startsWith('}}', i)) {
        if (parenDepth > 0) fail(i, 'unclosed left paren')
        out.push({type: 'right', pos: i, val: '}}'})
        i += 2
        break
      }
      if (c === '|') {
        out.push({type: 'pipe', pos: i, val: '|'})
        i++
      } else if (c === '(') {
        parenDepth++
        out.push({type: 'lparen', pos: i, val: '('})
        i++
      } else if (c === ')') {
        parenDepth--
        if (parenDepth < 0) fail(i, "unexpected right paren")
        out.push({type: 'rparen', pos: i, val: ')'})
        i++
      } else if (c === ':' && text[i + 1] === '=') {
        out.push({type: 'declare', pos: i, val: ':='})
        i += 2
      } else if (c === '=') {
        out.push({type: 'assign', pos: i, val: '='})
        i++
      } else if (c === ',') {
        out.push({type: 'comma', pos: i, val: ','})
        i++
      } else if (c === '"') {
        let k = i + 1
        while (k < text.length && text[k] !== '"') {
          if (text[k] === '\\') k++
          if (text[k] === '\n') fail(i, 'unterminated quoted string')
          k++
        }
        if (k >= text.length) fail(i, 'unterminated quoted string')
        out.push({type: 'string', pos: i, val: text.slice(i, k + 1)})
        i = k + 1
      } else if (c === '`') {
        const k = text.indexOf('`', i + 1)
        if (k === -1) fail(i, 'unterminated raw quoted string')
        out.push({type: 'raw', pos: i, val: text.slice(i, k + 1)})
        i = k + 1
      } else if (c === "'") {
        let k = i + 1
        while (k < text.length && text[k] !== "'") {
          if (text[k] === '\\') k++
          k++
        }
        out.push({type: 'char', pos: i, val: text.slice(i, k + 1)})
        i = k + 1
      } else if (c === '$') {
        let k = i + 1
        while (isAlnum(text[k])) k++
        out.push({type: 'variable', pos: i, val: text.slice(i, k)})
        i = k
      } else if (c === '.') {
        if (/[0-9]/.test(text[i + 1] ?? '')) {
          i = lexNumber(text, i, out, fail)
        } else if (isAlnum(text[i + 1])) {
          let k = i + 1
          while (isAlnum(text[k])) k++
          out.push({type: 'field', pos: i, val: text.slice(i, k)})
          i = k
        } else {
          out.push({type: 'dot', pos: i, val: '.'})
          i++
        }
      } else if (/[0-9+-]/.test(c)) {
        i = lexNumber(text, i, out, fail)
      } else if (isAlnum(c)) {
        let k = i
        while (isAlnum(text[k])) k++
        out.push({type: 'ident', pos: i, val: text.slice(i, k)})
        i = k
      } else {
        fail(i, `unexpected ${JSON.stringify(c)} in command`)
      }
    }
  }
  out.push({type: 'eof', pos: text.length, val: ''})
  return out
}

function skipSpace(text: string, i: number): number {
  while (isSpace(text[i])) i++
  return i
}

function lexNumber(text: string, i: number, out: Token[], fail: (pos: number, msg: string) => never): number {
  const m = /^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?)/.exec(text.slice(i))
  if (!m || m[0] === '' || m[0] === '+' || m[0] === '-') fail(i, `bad number syntax: ${JSON.stringify(text.slice(i, i + 5))}`)
  let k = i + m![0].length
  if (isAlnum(text[k])) {
    while (isAlnum(text[k])) k++
    fail(i, `bad number syntax: ${JSON.stringify(text.slice(i, k))}`)
  }
  out.push({type: 'number', pos: i, val: m![0]})
  return k
}

function parseNumber(text: string): bigint | number | undefined {
  const t = text.replace(/_/g, '')
  if (/^[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+)$/.test(t)) {
    const neg = t.startsWith('-')
    const body = t.replace(/^[+-]/, '')
    const v = BigInt(body.toLowerCase().startsWith('0o') ? '0o' + body.slice(2) : body)
    return neg ? -v : v
  }
  if (/^[+-]?\d+$/.test(t)) {
    if (/^[+-]?0\d+$/.test(t)) {
      const neg = t.startsWith('-')
      const v = BigInt('0o' + t.replace(/^[+-]?0/, ''))
      return neg ? -v : v
    }
    return BigInt(t)
  }
  const f = Number(t)
  return Number.isNaN(f) ? undefined : f
}

/** Go's strconv.Unquote for "..." strings. */
export function unquote(s: string): string {
  let out = ''
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i]!
    if (c !== '\\') {
      out += c
      continue
    }
    const n = s[++i]!
    switch (n) {
      case 'n': out += '\n'; break
      case 't': out += '\t'; break
      case 'r': out += '\r'; break
      case 'a': out += '\x07'; break
      case 'b': out += '\b'; break
      case 'f': out += '\f'; break
      case 'v': out += '\v'; break
      case '\\': out += '\\'; break
      case '"': out += '"'; break
      case "'": out += "'"; break
      case 'x': out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; break
      case 'u': out += String.fromCodePoint(parseInt(s.slice(i + 1, i + 5), 16)); i += 4; break
      case 'U': out += String.fromCodePoint(parseInt(s.slice(i + 1, i + 9), 16)); i += 8; break
      default:
        if (/[0-7]/.test(n)) {
          out += String.fromCharCode(parseInt(s.slice(i, i + 3), 8))
          i += 2
        } else out += n
    }
  }
  return out
}

class Parser {
  private i = 0
  readonly defines = new Map<string, {list: Node[]; file: string}>()
  private rangeDepth = 0

  constructor(private readonly toks: Token[], private readonly name: string, private readonly text: string) {}

  fail(pos: number, msg: string): never {
    throw new TemplateParseError(this.name, this.text, pos, msg)
  }

  peek(): Token {
    return this.toks[this.i]!
  }

  next(): Token {
    return this.toks[this.i++]!
  }

  peekNonSpace(): Token {
    while (this.peek().type === 'space') this.i++
    return this.peek()
  }

  nextNonSpace(): Token {
    this.peekNonSpace()
    return this.next()
  }

  /** Parses a list until one of the stop keywords ({{end}}, {{else}}); returns the list and the stop word. */
  list(stops: string[]): {list: Node[]; stop: string; pos: number} {
    const list: Node[] = []
    for (;;) {
      const t = this.next()
      if (t.type === 'eof') {
        if (stops.length > 0) this.fail(t.pos, 'unexpected EOF')
        return {list, stop: '', pos: t.pos}
      }
      if (t.type === 'text') {
        list.push({type: 'text', pos: t.pos, text: t.val})
        continue
      }
      if (t.type !== 'left') this.fail(t.pos, `unexpected ${t.val}`)
      const kw = this.peekNonSpace()
      if (kw.type === 'ident' && (kw.val === 'end' || kw.val === 'else')) {
        if (!stops.includes(kw.val)) this.fail(kw.pos, `unexpected {{${kw.val}}}`)
        this.next()
        return {list, stop: kw.val, pos: kw.pos}
      }
      const node = this.action()
      if (node) list.push(node)
    }
  }

  expectRight(context: string): void {
    const t = this.nextNonSpace()
    if (t.type !== 'right') this.fail(t.pos, `unexpected ${describe(t)} in ${context}`)
  }

  action(): Node | undefined {
    const t = this.peekNonSpace()
    if (t.type === 'ident') {
      switch (t.val) {
        case 'if': case 'with': case 'range':
          this.next()
          return this.control(t.val, t.pos)
        case 'define': {
          this.next()
          const name = this.stringArg('define clause')
          this.expectRight('define clause')
          const saved = this.rangeDepth
          this.rangeDepth = 0
          const {list} = this.list(['end'])
          this.rangeDepth = saved
          this.expectRight('end')
          this.defines.set(name, {list, file: this.name})
          return undefined
        }
        case 'block': {
          this.next()
          const name = this.stringArg('block clause')
          const pipe = this.pipeline('block', true)
          const {list} = this.list(['end'])
          this.expectRight('end')
          this.defines.set(name, {list, file: this.name})
          return {type: 'template', pos: t.pos, name, pipe}
        }
        case 'template': {
          this.next()
          const name = this.stringArg('template clause')
          const nt = this.peekNonSpace()
          if (nt.type === 'right') {
            this.next()
            return {type: 'template', pos: t.pos, name}
          }
          const pipe = this.pipeline('template', true)
          return {type: 'template', pos: t.pos, name, pipe}
        }
        case 'break': case 'continue':
          this.next()
          if (this.rangeDepth === 0) this.fail(t.pos, `{{${t.val}}} outside {{range}}`)
          this.expectRight(t.val)
          return {type: t.val, pos: t.pos}
      }
    }
    const pipe = this.pipeline('command', true)
    return {type: 'action', pos: pipe.pos, pipe}
  }

  stringArg(context: string): string {
    const t = this.nextNonSpace()
    if (t.type === 'string') return unquote(t.val)
    if (t.type === 'raw') return t.val.slice(1, -1)
    return this.fail(t.pos, `unexpected ${describe(t)} in ${context}`)
  }

  control(kind: 'if' | 'with' | 'range', pos: number): Node {
    const pipe = this.pipeline(kind, true)
    if (kind === 'range') this.rangeDepth++
    const body = this.list(['end', 'else'])
    if (kind === 'range') this.rangeDepth--
    let elseList: Node[] | undefined
    if (body.stop === 'else') {
      const nt = this.peekNonSpace()
      if (nt.type === 'ident' && (nt.val === 'if' || nt.val === 'with') && kind !== 'range') {
        // {{else if ...}} / {{else with ...}}: a nested control that shares this {{end}}
        this.next()
        const nested = this.control(nt.val, nt.pos)
        elseList = [nested]
      } else {
        this.expectRight('else')
        const rest = this.list(['end'])
        elseList = rest.list
        this.expectRight('end')
      }
    } else {
      this.expectRight('end')
    }
    return {type: kind, pos, pipe, list: body.list, elseList} as Node
  }

  /** A pipeline up to }} (or a right paren when inside one). */
  pipeline(context: string, toRight: boolean): Pipe {
    const start = this.peekNonSpace()
    const pipe: Pipe = {pos: start.pos, decl: [], assign: false, cmds: []}
    // declarations: $x := or $i, $v :=
    if (start.type === 'variable') {
      const save = this.i
      const vars: string[] = [this.next().val]
      let t = this.peekNonSpace()
      if (t.type === 'comma' && (context === 'range')) {
        this.next()
        const v2 = this.nextNonSpace()
        if (v2.type !== 'variable') this.fail(v2.pos, `range can only initialize variables`)
        vars.push(v2.val)
        t = this.peekNonSpace()
      }
      if (t.type === 'declare' || t.type === 'assign') {
        this.next()
        pipe.decl = vars
        pipe.assign = t.type === 'assign'
      } else {
        this.i = save
      }
    }
    for (;;) {
      const t = this.peekNonSpace()
      if (t.type === 'right' && toRight) {
        this.next()
        break
      }
      if (t.type === 'rparen' && !toRight) {
        break
      }
      if (t.type === 'eof' || t.type === 'right' || t.type === 'rparen') this.fail(t.pos, `unclosed action`)
      pipe.cmds.push(this.command())
      const after = this.peekNonSpace()
      if (after.type === 'pipe') {
        this.next()
        continue
      }
    }
    if (pipe.cmds.length === 0) this.fail(pipe.pos, `missing value for ${context}`)
    return pipe
  }

  command(): Command {
    const cmd: Command = {pos: this.peekNonSpace().pos, args: []}
    for (;;) {
      const t = this.peekNonSpace()
      if (t.type === 'pipe' || t.type === 'right' || t.type === 'rparen' || t.type === 'eof') break
      cmd.args.push(this.operand())
    }
    if (cmd.args.length === 0) this.fail(cmd.pos, 'empty command')
    return cmd
  }

  operand(): Arg {
    let node = this.term()
    if (this.peek().type === 'field') {
      const chainPos = this.peek().pos
      const idents: string[] = []
      while (this.peek().type === 'field') idents.push(this.next().val.slice(1))
      if (node.type === 'field') node = {type: 'field', pos: chainPos, idents: [...node.idents, ...idents]}
      else if (node.type === 'variable') node = {type: 'variable', pos: chainPos, name: node.name, idents: [...node.idents, ...idents]}
      else if (['bool', 'string', 'number', 'nil', 'dot'].includes(node.type)) this.fail(chainPos, `unexpected . after term ${JSON.stringify(describeArg(node))}`)
      else node = {type: 'chain', pos: chainPos, node, idents}
    }
    return node
  }

  term(): Arg {
    const t = this.nextNonSpace()
    switch (t.type) {
      case 'ident':
        if (t.val === 'true' || t.val === 'false') return {type: 'bool', pos: t.pos, value: t.val === 'true'}
        if (t.val === 'nil') return {type: 'nil', pos: t.pos}
        if (KEYWORDS.has(t.val)) this.fail(t.pos, `unexpected <${t.val}> in command`)
        return {type: 'identifier', pos: t.pos, name: t.val}
      case 'dot': return {type: 'dot', pos: t.pos}
      case 'variable': return {type: 'variable', pos: t.pos, name: t.val, idents: []}
      case 'field': return {type: 'field', pos: t.pos, idents: [t.val.slice(1)]}
      case 'string': return {type: 'string', pos: t.pos, value: unquote(t.val), text: t.val}
      case 'raw': return {type: 'string', pos: t.pos, value: t.val.slice(1, -1), text: t.val}
      case 'char': {
        const s = unquote('"' + t.val.slice(1, -1) + '"')
        return {type: 'number', pos: t.pos, value: BigInt(s.codePointAt(0) ?? 0), text: t.val}
      }
      case 'number': {
        const v = parseNumber(t.val)
        if (v === undefined) this.fail(t.pos, `bad number syntax: ${JSON.stringify(t.val)}`)
        return {type: 'number', pos: t.pos, value: v!, text: t.val}
      }
      case 'lparen': {
        const pipe = this.pipeline('parenthesized pipeline', false)
        const close = this.nextNonSpace()
        if (close.type !== 'rparen') this.fail(close.pos, 'unclosed left paren')
        return {type: 'pipe', pos: t.pos, pipe}
      }
      default:
        return this.fail(t.pos, `unexpected ${describe(t)} in operand`)
    }
  }
}

function describe(t: Token): string {
  if (t.type === 'eof') return 'EOF'
  if (t.type === 'right') return '"}}"'
  return `"${t.val}"`
}

export function describeArg(a: Arg): string {
  switch (a.type) {
    case 'field': return '.' + a.idents.join('.')
    case 'variable': return a.name + a.idents.map((i) => '.' + i).join('')
    case 'dot': return '.'
    case 'nil': return 'nil'
    case 'bool': return String(a.value)
    case 'number': return a.text
    case 'string': return a.text
    case 'identifier': return a.name
    case 'pipe': return '(' + describePipe(a.pipe) + ')'
    case 'chain': return describeArg(a.node) + a.idents.map((i) => '.' + i).join('')
  }
}

export function describePipe(p: Pipe): string {
  const decl = p.decl.length > 0 ? p.decl.join(', ') + (p.assign ? ' = ' : ' := ') : ''
  return decl + p.cmds.map((c) => c.args.map(describeArg).join(' ')).join(' | ')
}

/** Parses one template file (or tpl string) into its body and its {{define}}s. */
export function parseTemplate(name: string, text: string): ParsedTemplates {
  const toks = lex(text, name)
  const p = new Parser(toks, name, text)
  const {list} = p.list([])
  return {root: list, defines: p.defines}
}
