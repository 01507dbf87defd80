/**
 * Runs parsed templates as Go's text/template does with helm's options: missing map keys give
 * nil (printed as nothing), `and`/`or` stop early, `range` walks a map in sorted key order, a
 * list with $i/$v, or an int; `include` and `tpl` render into a string.
 */
import {FailSignal, TemplateExecError, TemplateFailError, TemplateParseError, type TemplatePlace} from './errors.js'
import {formatV} from './fmt.js'
import {describeArg, describePipe, parseTemplate, type Arg, type Command, type Node, type ParsedTemplates, type Pipe} from './parse.js'
import {isMap, isNil, isStruct, truth, typeName} from './values.js'

/** What a function sees besides its arguments: the engine (for include/tpl) and the current data. */
export interface CallContext {
  engine: TemplateEngine
  /** Where the call is, for errors from required/fail. */
  place: TemplatePlace
}

export type TemplateFunc = (ctx: CallContext, ...args: unknown[]) => unknown

/** A function's own error: Go prints `error calling NAME: message`. */
export class FuncError extends Error {}

export interface Defined {
  list: Node[]
  /** The file the define is in, and its text (for positions). */
  file: string
  text: string
}

const NO_FINAL = Symbol('no final')
class BreakSignal {}
class ContinueSignal {}

interface Scope {
  name: string
  value: unknown
}

interface State {
  /** The template being executed (a file or a define's name), as Go names it in errors. */
  name: string
  file: string
  text: string
  vars: Scope[]
  out: string[]
  depth: number
}

const MAX_DEPTH = 1000

export class TemplateEngine {
  readonly templates = new Map<string, Defined>()
  readonly files = new Map<string, {text: string; root: Node[]}>()

  constructor(readonly funcs: Record<string, TemplateFunc>) {}

  /** Parses a file and records its body and its defines (a later define of a name wins, as in helm's sorted load). */
  addFile(name: string, text: string): ParsedTemplates {
    const parsed = parseTemplate(name, text)
    this.checkFunctions(parsed, name, text)
    this.files.set(name, {text, root: parsed.root})
    for (const [defName, def] of parsed.defines) this.templates.set(defName, {list: def.list, file: name, text})
    return parsed
  }

  /** Go reports an unknown function when the template is parsed. */
  private checkFunctions(parsed: ParsedTemplates, name: string, text: string): void {
    const visitPipe = (p: Pipe | undefined): void => {
      if (!p) return
      for (const c of p.cmds) for (const a of c.args) visitArg(a)
    }
    const visitArg = (a: Arg): void => {
      if (a.type === 'identifier' && !(a.name in this.funcs) && !BUILTIN_SPECIAL.has(a.name)) {
        throw new TemplateParseError(name, text, a.pos, `function "${a.name}" not defined`)
      }
      if (a.type === 'pipe') visitPipe(a.pipe)
      if (a.type === 'chain') visitArg(a.node)
    }
    const visit = (list: Node[] | undefined): void => {
      for (const n of list ?? []) {
        if (n.type === 'action') visitPipe(n.pipe)
        else if (n.type === 'if' || n.type === 'with' || n.type === 'range') {
          visitPipe(n.pipe)
          visit(n.list)
          visit(n.elseList)
        } else if (n.type === 'template') visitPipe(n.pipe)
      }
    }
    visit(parsed.root)
    for (const d of parsed.defines.values()) visit(d.list)
  }

  /** Renders a file added with addFile. */
  renderFile(name: string, data: unknown): string {
    const f = this.files.get(name)
    if (!f) throw new Error(`no template file ${name}`)
    const st: State = {name, file: name, text: f.text, vars: [{name: '$', value: data}], out: [], depth: 0}
    this.walkList(st, data, f.root)
    return st.out.join('')
  }

  /** include / template: a named define rendered with data. */
  renderNamed(name: string, data: unknown, depth: number, place: TemplatePlace): string {
    const def = this.templates.get(name)
    if (!def) throw new FuncError(`template: no template "${name}" associated with template "gotpl"`)
    if (depth > MAX_DEPTH) throw new FuncError(`rendering template has a nested reference name: ${name}: unable to execute template`)
    void place
    const st: State = {name, file: def.file, text: def.text, vars: [{name: '$', value: data}], out: [], depth: depth + 1}
    this.walkList(st, data, def.list)
    return st.out.join('')
  }

  /** tpl: a string parsed as a template (its defines join the set) and rendered with data. */
  renderString(name: string, text: string, data: unknown, depth: number): string {
    const parsed = parseTemplate(name, text)
    this.checkFunctions(parsed, name, text)
    for (const [defName, def] of parsed.defines) this.templates.set(defName, {list: def.list, file: name, text})
    const st: State = {name, file: name, text, vars: [{name: '$', value: data}], out: [], depth: depth + 1}
    this.walkList(st, data, parsed.root)
    return st.out.join('')
  }

  private place(st: State, pos: number): TemplatePlace {
    return {name: st.file, text: st.text, pos}
  }

  private execError(st: State, pos: number, node: string, message: string): TemplateExecError {
    const e = new TemplateExecError(this.place(st, pos), node, message)
    // Go names the executing template, which for a define differs from its file.
    if (st.name !== st.file) {
      Object.defineProperty(e, 'message', {value: e.message.replace(`executing "${st.file}"`, `executing "${st.name}"`)})
    }
    return e
  }

  private walkList(st: State, dot: unknown, list: Node[]): void {
    for (const n of list) this.walk(st, dot, n)
  }

  private walk(st: State, dot: unknown, n: Node): void {
    switch (n.type) {
      case 'text':
        st.out.push(n.text)
        return
      case 'action': {
        const v = this.evalPipe(st, dot, n.pipe)
        if (n.pipe.decl.length === 0) st.out.push(printable(v))
        return
      }
      case 'if': case 'with': {
        const mark = st.vars.length
        const v = this.evalPipe(st, dot, n.pipe)
        try {
          if (truth(v)) this.walkList(st, n.type === 'with' ? v : dot, n.list)
          else if (n.elseList) this.walkList(st, dot, n.elseList)
        } finally {
          st.vars.length = mark
        }
        return
      }
      case 'range':
        this.walkRange(st, dot, n)
        return
      case 'template': {
        const data = n.pipe ? this.evalPipe(st, dot, n.pipe) : null
        try {
          st.out.push(this.renderNamed(n.name, data, st.depth, this.place(st, n.pos)))
        } catch (e) {
          if (e instanceof FuncError) throw this.execError(st, n.pos, `template "${n.name}"`, e.message)
          throw e
        }
        return
      }
      case 'break': throw new BreakSignal()
      case 'continue': throw new ContinueSignal()
    }
  }

  private walkRange(st: State, dot: unknown, n: Extract<Node, {type: 'range'}>): void {
    const mark = st.vars.length
    const pipe: Pipe = {...n.pipe, decl: []}
    const v = this.evalPipe(st, dot, pipe)
    const entries: Array<[unknown, unknown]> = []
    if (Array.isArray(v)) v.forEach((item, i) => entries.push([BigInt(i), item]))
    else if (isMap(v)) for (const k of Object.keys(v).sort()) entries.push([k, v[k]])
    else if (typeof v === 'bigint') for (let i = 0n; i < v; i++) entries.push([i, i])
    else if (!isNil(v)) throw this.execError(st, n.pos, describePipe(n.pipe), `range can't iterate over ${formatV(v)}`)
    if (entries.length === 0) {
      if (n.elseList) this.walkList(st, dot, n.elseList)
      st.vars.length = mark
      return
    }
    try {
      for (const [k, item] of entries) {
        const inner = st.vars.length
        if (n.pipe.decl.length === 1) this.setVar(st, n.pipe.decl[0]!, typeof v === 'bigint' ? k : item, n.pipe.assign, n.pos)
        else if (n.pipe.decl.length === 2) {
          this.setVar(st, n.pipe.decl[0]!, k, n.pipe.assign, n.pos)
          this.setVar(st, n.pipe.decl[1]!, item, n.pipe.assign, n.pos)
        }
        try {
          this.walkList(st, item, n.list)
        } catch (e) {
          if (e instanceof BreakSignal) break
          if (!(e instanceof ContinueSignal)) throw e
        } finally {
          st.vars.length = Math.max(inner, n.pipe.assign ? st.vars.length : inner)
        }
      }
    } finally {
      st.vars.length = mark
    }
  }

  private setVar(st: State, name: string, value: unknown, assign: boolean, pos: number): void {
    if (assign) {
      for (let i = st.vars.length - 1; i >= 0; i--) {
        if (st.vars[i]!.name === name) {
          st.vars[i]!.value = value
          return
        }
      }
      throw this.execError(st, pos, name, `undefined variable: ${name}`)
    }
    st.vars.push({name, value})
  }

  private lookupVar(st: State, name: string, pos: number): unknown {
    for (let i = st.vars.length - 1; i >= 0; i--) if (st.vars[i]!.name === name) return st.vars[i]!.value
    throw new TemplateParseError(st.file, st.text, pos, `undefined variable "${name}"`)
  }

  evalPipe(st: State, dot: unknown, pipe: Pipe): unknown {
    let v: unknown = NO_FINAL
    for (const cmd of pipe.cmds) v = this.evalCommand(st, dot, cmd, v)
    for (const d of pipe.decl) this.setVar(st, d, v, pipe.assign, pipe.pos)
    return v
  }

  private evalCommand(st: State, dot: unknown, cmd: Command, final: unknown): unknown {
    const first = cmd.args[0]!
    switch (first.type) {
      case 'field':
        return this.evalFields(st, dot, dot, first, first.idents, cmd.args, final)
      case 'chain':
        return this.evalFields(st, dot, this.evalArg(st, dot, first.node), first, first.idents, cmd.args, final)
      case 'variable': {
        const v = this.lookupVar(st, first.name, first.pos)
        if (first.idents.length === 0) {
          this.notAFunction(st, cmd, final)
          return v
        }
        return this.evalFields(st, dot, v, first, first.idents, cmd.args, final)
      }
      case 'identifier':
        return this.callFunction(st, dot, first, cmd.args.slice(1), final)
      case 'pipe':
        this.notAFunction(st, cmd, final)
        return this.evalPipe(st, dot, first.pipe)
      default:
        this.notAFunction(st, cmd, final)
        return this.evalArg(st, dot, first)
    }
  }

  private notAFunction(st: State, cmd: Command, final: unknown): void {
    if (cmd.args.length > 1 || final !== NO_FINAL) {
      const first = cmd.args[0]!
      throw this.execError(st, first.pos, describeArg(first), `can't give argument to non-function ${describeArg(first)}`)
    }
  }

  private evalFields(st: State, dot: unknown, receiver: unknown, node: Arg, idents: string[], args: Arg[], final: unknown): unknown {
    let v = receiver
    for (let i = 0; i < idents.length; i++) {
      const last = i === idents.length - 1
      const name = idents[i]!
      if (isNil(v)) throw this.execError(st, node.pos, describeArg(node), `nil pointer evaluating interface {}.${name}`)
      if (isStruct(v)) {
        if (!(name in v.fields)) throw this.execError(st, node.pos, describeArg(node), `can't evaluate field ${name} in type ${v.typeName}`)
        const f = v.fields[name]
        if (typeof f === 'function') {
          const callArgs = last ? args.slice(1).map((a) => this.evalArg(st, dot, a)) : []
          if (last && final !== NO_FINAL) callArgs.push(final)
          try {
            v = (f as (...a: unknown[]) => unknown)(...callArgs)
          } catch (e) {
            if (e instanceof FuncError) throw this.execError(st, node.pos, describeArg(node), `error calling ${name}: ${e.message}`)
            throw e
          }
          continue
        }
        v = f
      } else if (isMap(v)) {
        v = Object.prototype.hasOwnProperty.call(v, name) ? v[name] : undefined
      } else {
        throw this.execError(st, node.pos, describeArg(node), `can't evaluate field ${name} in type ${typeName(v)}`)
      }
      if (last && (args.length > 1 || final !== NO_FINAL)) {
        throw this.execError(st, node.pos, describeArg(node), `${name} is not a method but has arguments`)
      }
    }
    return v
  }

  private evalArg(st: State, dot: unknown, a: Arg): unknown {
    switch (a.type) {
      case 'dot': return dot
      case 'nil': return null
      case 'bool': case 'number': case 'string': return a.value
      case 'field': return this.evalFields(st, dot, dot, a, a.idents, [a], NO_FINAL)
      case 'variable': {
        const v = this.lookupVar(st, a.name, a.pos)
        return a.idents.length === 0 ? v : this.evalFields(st, dot, v, a, a.idents, [a], NO_FINAL)
      }
      case 'chain': return this.evalFields(st, dot, this.evalArg(st, dot, a.node), a, a.idents, [a], NO_FINAL)
      case 'pipe': {
        const mark = st.vars.length
        try {
          return this.evalPipe(st, dot, a.pipe)
        } finally {
          st.vars.length = mark
        }
      }
      case 'identifier': return this.callFunction(st, dot, a, [], NO_FINAL)
    }
  }

  private callFunction(st: State, dot: unknown, ident: Extract<Arg, {type: 'identifier'}>, argNodes: Arg[], final: unknown): unknown {
    const name = ident.name
    const nodeText = (): string => [ident, ...argNodes].map(describeArg).join(' ')
    if (name === 'and' || name === 'or') {
      const all: Array<() => unknown> = argNodes.map((a) => () => this.evalArg(st, dot, a))
      if (final !== NO_FINAL) all.push(() => final)
      if (all.length === 0) throw this.execError(st, ident.pos, nodeText(), `wrong number of args for ${name}: want at least 1 got 0`)
      let v: unknown
      for (const f of all) {
        v = f()
        if (name === 'and' ? !truth(v) : truth(v)) return v
      }
      return v
    }
    const fn = this.funcs[name]
    if (!fn) throw this.execError(st, ident.pos, nodeText(), `function "${name}" not defined`)
    const args = argNodes.map((a) => this.evalArg(st, dot, a))
    if (final !== NO_FINAL) args.push(final)
    const place = this.place(st, ident.pos)
    try {
      return fn({engine: this, place: {...place, name: st.file}, depth: st.depth, templateName: st.name} as CallContext, ...args)
    } catch (e) {
      if (e instanceof FailSignal) throw new TemplateFailError(place, e.message)
      if (e instanceof FuncError) throw this.execError(st, ident.pos, nodeText(), `error calling ${name}: ${e.message}`)
      throw e
    }
  }
}

/** Identifiers the parser accepts that are not in the function map. */
const BUILTIN_SPECIAL = new Set(['and', 'or'])

/** An action's value as text: nil is `<no value>` (helm removes it from the output). */
function printable(v: unknown): string {
  if (isNil(v)) return '<no value>'
  return formatV(v)
}

/** The depth of include nesting, passed to functions that render. */
export function callDepth(ctx: CallContext): number {
  return (ctx as CallContext & {depth: number}).depth
}

export function callTemplateName(ctx: CallContext): string {
  return (ctx as CallContext & {templateName: string}).templateName
}
