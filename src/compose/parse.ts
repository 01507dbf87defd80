/**
 * Stage 1 of the loader: Compose file text -> plain JSON-like values, with the source position of
 * every node kept so that later stages can report `file:line:col` and a snippet.
 *
 * YAML 1.2 core schema (as docker compose reads it), anchors and aliases, merge keys (`<<`),
 * duplicate keys rejected, and the Compose tags `!reset` (drop the value, and the value earlier
 * files gave it) and `!override` (replace the earlier value instead of merging). Tagged paths are
 * returned as merge directives; the tags themselves never reach the model.
 */
import {LineCounter, parseAllDocuments, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node} from 'yaml'
import {ComposeFileError, type ModelPath, type SourceFile, type SourcePosition} from './source.js'

/** Paths (in one document) tagged `!reset` or `!override`, applied when the document is merged. */
export interface MergeDirectives {
  /** `!reset`: the key is absent from this document and removed from earlier ones. */
  resets: ModelPath[]
  /** `!override`: the value replaces the earlier one instead of being merged with it. */
  overrides: ModelPath[]
}

/** One YAML document of a Compose file, as plain values. */
export interface ParsedDocument {
  source: ComposeSource
  model: Record<string, unknown>
  directives: MergeDirectives
}

/** Where a container (mapping or list) of the model came from: a file and the path in it. */
export interface Origin {
  source: ComposeSource
  path: ModelPath
}

/**
 * Provenance of model containers across stages: parse registers every mapping and list, merge and
 * extends carry it over to the containers they build. Lets a later stage (the normaliser) find the
 * file, line and column of any path of the merged model.
 */
export class Origins {
  private readonly map = new WeakMap<object, Origin[]>()
  /** For lists built by merging: the origins of each item, by index. */
  private readonly itemMap = new WeakMap<unknown[], Origin[][]>()

  add(container: object, source: ComposeSource, path: ModelPath): void {
    const list = this.map.get(container)
    if (list) list.push({source, path})
    else this.map.set(container, [{source, path}])
  }

  get(container: object): readonly Origin[] {
    return this.map.get(container) ?? []
  }

  /** `to` gains the origins of each `from` (later arguments first in lookup order). */
  inherit(to: object, ...from: unknown[]): void {
    const list: Origin[] = []
    for (let i = from.length - 1; i >= 0; i--) {
      const f = from[i]
      if (f !== null && typeof f === 'object') list.push(...this.get(f))
    }
    if (list.length > 0) this.map.set(to, [...list, ...(this.map.get(to) ?? [])])
  }

  /** The origins of each item of a list. */
  itemsOf(list: unknown[]): Origin[][] {
    const explicit = this.itemMap.get(list)
    if (explicit) return explicit
    const own = this.get(list)
    return list.map((_, i) => own.map((o) => ({source: o.source, path: [...o.path, i]})))
  }

  /** Record the origins of each item of a list built from items of other lists. */
  setItems(list: unknown[], items: Origin[][]): void {
    this.itemMap.set(list, items)
  }

  /**
   * The source file and position for a path of `root`: walks the model along the path and asks the
   * deepest container's origins for an exact node, then shallower ones; falls back to the nearest
   * known ancestor.
   */
  locate(root: unknown, path: ModelPath): {source: ComposeSource; position?: SourcePosition; path: ModelPath} | undefined {
    let fallback: {source: ComposeSource; position?: SourcePosition; path: ModelPath} | undefined
    for (let n = path.length; n >= 0; n--) {
      const found = this.locateExact(root, path.slice(0, n))
      if (found.exact) return found.exact
      fallback ??= found.fallback
    }
    return fallback
  }

  private locateExact(root: unknown, path: ModelPath): {exact?: {source: ComposeSource; position: SourcePosition; path: ModelPath}; fallback?: {source: ComposeSource; position?: SourcePosition; path: ModelPath}} {
    const chain: Array<{node: object; depth: number}> = []
    let node: unknown = root
    for (let depth = 0; ; depth++) {
      if (node === null || typeof node !== 'object') break
      chain.push({node, depth})
      if (depth === path.length) break
      node = (node as Record<string | number, unknown>)[path[depth]]
    }
    let fallback: {source: ComposeSource; position?: SourcePosition; path: ModelPath} | undefined
    for (let i = chain.length - 1; i >= 0; i--) {
      const {node: container, depth} = chain[i]
      const suffix = path.slice(depth)
      const candidates: Origin[] = []
      if (Array.isArray(container) && typeof suffix[0] === 'number') {
        const items = this.itemMap.get(container)?.[suffix[0]]
        if (items) for (const o of items) candidates.push({source: o.source, path: [...o.path, ...suffix.slice(1)]})
      }
      for (const o of this.get(container)) candidates.push({source: o.source, path: [...o.path, ...suffix]})
      for (const candidate of candidates) {
        const exact = candidate.source.exactPositionOf(candidate.path)
        if (exact) return {exact: {source: candidate.source, position: exact, path: candidate.path}}
        fallback ??= {source: candidate.source, position: candidate.source.positionOf(candidate.path), path: candidate.path}
      }
    }
    return {fallback}
  }
}

/** Guard against alias bombs: a document may not expand to more nodes than this. */
const MAX_NODES = 1_000_000

const pathKey = (path: ModelPath): string => path.join('\u0000')

/** The text of a Compose file and the position of each node in it, by model path. */
export class ComposeSource implements SourceFile {
  readonly path: string
  readonly text: string
  /** Offset of each node's start, by path; turned into line:col only when asked. */
  private readonly offsets = new Map<string, number>()
  private readonly lines: LineCounter

  constructor(path: string, text: string, lines: LineCounter = new LineCounter()) {
    this.path = path
    this.text = text
    this.lines = lines
  }

  /** @internal used by the parser */
  record(key: string, offset: number): void {
    if (!this.offsets.has(key)) this.offsets.set(key, offset)
  }

  /** Source range of scalar values that may need interpolation (strings holding a `$`). */
  private readonly valueRanges = new Map<string, [number, number]>()

  /** @internal */
  recordValue(key: string, range: [number, number]): void {
    this.valueRanges.set(key, range)
  }

  /**
   * Where inside the value at `path` the text `needle` starts (e.g. `${DB_PASSWORD`), or the value's
   * own start; undefined when the value was not recorded.
   */
  valuePositionOf(path: ModelPath, needle?: string): SourcePosition | undefined {
    const range = this.valueRanges.get(pathKey(path))
    if (!range) return undefined
    const at = needle ? this.text.indexOf(needle, range[0]) : -1
    return this.lines.linePos(at >= 0 && at < range[1] ? at : range[0])
  }

  /** @internal */
  positionAtOffset(offset: number): SourcePosition {
    return this.lines.linePos(offset)
  }

  /** The node's own position, or undefined when this file has no node at exactly that path. */
  exactPositionOf(path: ModelPath): SourcePosition | undefined {
    const offset = this.offsets.get(pathKey(path))
    return offset === undefined ? undefined : this.lines.linePos(offset)
  }

  positionOf(path: ModelPath): SourcePosition | undefined {
    for (let n = path.length; n >= 0; n--) {
      const offset = this.offsets.get(pathKey(path.slice(0, n)))
      if (offset !== undefined) return this.lines.linePos(offset)
    }
    return undefined
  }
}

/**
 * Parse one Compose file. Throws ComposeFileError for syntax errors, duplicate keys, an empty file
 * or a top level that is not a mapping. A file may hold several documents (`---`); they are
 * returned in order and merged like separate files.
 */
export function parseComposeFile(text: string, file: string, origins?: Origins): ParsedDocument[] {
  const lines = new LineCounter()
  const source = new ComposeSource(file, text, lines)
  const docs = parseAllDocuments(text, {lineCounter: lines, merge: false, uniqueKeys: false, prettyErrors: false, strict: false})
  const list = Array.isArray(docs) ? docs : []
  const out: ParsedDocument[] = []
  for (const doc of list) {
    const error = doc.errors[0]
    if (error) {
      const position = lines.linePos(error.pos[0])
      const hint = YAML_HINTS[error.code]
      throw new ComposeFileError('COMPOSE_YAML_SYNTAX', `invalid YAML: ${yamlMessage(error.message)}`, {source, position}, hint ? [hint] : undefined)
    }
    if (doc.contents === null) continue
    const converter = new Converter(doc, source, origins)
    const model = converter.convert(doc.contents as Node, [], '')
    if (model === null || model === undefined) continue
    if (typeof model !== 'object' || Array.isArray(model)) {
      const position = source.positionAtOffset(doc.contents.range?.[0] ?? 0)
      throw new ComposeFileError('COMPOSE_TOP_LEVEL', 'the top level of a Compose file must be a mapping', {source, position}, [
        'start the file with `services:`',
      ])
    }
    out.push({source, model: model as Record<string, unknown>, directives: converter.directives})
  }
  if (out.length === 0) {
    throw new ComposeFileError('COMPOSE_EMPTY_FILE', 'empty Compose file: it defines nothing', {file}, [
      'a minimal Compose file is `services: {app: {image: busybox}}`',
    ])
  }
  return out
}

const YAML_HINTS: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation of this line and the next ones',
  MULTILINE_IMPLICIT_KEY: 'check the indentation of this line and the next ones',
  BAD_INDENT: 'check the indentation; a flow list or mapping must be closed',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MISSING_CHAR: 'a quote or bracket is not closed',
}

function yamlMessage(message: string): string {
  // The yaml package's messages start with a capital and may carry a trailing position.
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
  return first.charAt(0).toLowerCase() + first.slice(1)
}

/** The key of a child path, built from its parent's key (same text as pathKey). */
function childKey(parent: string, parentPath: ModelPath, key: string | number): string {
  return parentPath.length === 0 ? String(key) : `${parent}\u0000${key}`
}

/** An untagged scalar: converted in place without a path of its own. */
function isPlainScalar(node: Node | null | undefined): node is Node & {value: unknown} {
  return node !== null && node !== undefined && isScalar(node) && node.tag === undefined
}

const RESET = '!reset'
const OVERRIDE = '!override'

class Converter {
  readonly directives: MergeDirectives = {resets: [], overrides: []}
  private nodes = 0
  private readonly expanding = new Set<Node>()

  constructor(
    private readonly doc: Document,
    private readonly source: ComposeSource,
    private readonly origins?: Origins,
  ) {}

  /** Convert a node at `path`; returns undefined for a `!reset` node (dropped from the model). */
  convert(node: Node | null | undefined, path: ModelPath, key: string): unknown {
    if (++this.nodes > MAX_NODES) {
      throw new ComposeFileError('COMPOSE_YAML_TOO_LARGE', 'the document expands to too many nodes (alias loop or alias bomb)', {source: this.source, path})
    }
    if (node === null || node === undefined) return null
    if (isAlias(node)) {
      const target = this.resolveAlias(node)
      if (!target) {
        throw new ComposeFileError('COMPOSE_YAML_ALIAS', `unknown alias *${node.source}`, {source: this.source, position: this.pos(node)})
      }
      if (this.expanding.has(target)) {
        throw new ComposeFileError('COMPOSE_YAML_ALIAS', `alias *${node.source} refers to a node that contains it`, {source: this.source, position: this.pos(node)})
      }
      this.expanding.add(target)
      try {
        return this.convert(target, path, key)
      } finally {
        this.expanding.delete(target)
      }
    }
    const tag = (node as {tag?: string}).tag
    if (tag === RESET) {
      this.directives.resets.push(path)
      return undefined
    }
    if (tag === OVERRIDE) this.directives.overrides.push(path)
    if (isMap(node)) return this.convertMap(node, path, key)
    if (isSeq(node)) {
      const out: unknown[] = []
      this.origins?.add(out, this.source, path)
      for (const item of node.items as Node[]) {
        const itemKey = childKey(key, path, out.length)
        if (item?.range) {
          this.source.record(itemKey, item.range[0])
          if (isScalar(item) && typeof item.value === 'string' && item.value.includes('$')) this.source.recordValue(itemKey, [item.range[0], item.range[1]])
        }
        const value = isPlainScalar(item) ? this.leaf(item.value) : this.convert(item, [...path, out.length], itemKey)
        if (value !== undefined) out.push(value)
      }
      return out
    }
    if (isScalar(node)) return this.scalar(node.value)
    return null
  }

  private convertMap(node: Node, path: ModelPath, pkey: string): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    this.origins?.add(out, this.source, path)
    const seen = new Map<string, Node>()
    const merged: Array<{value: Node}> = []
    for (const pair of (node as unknown as {items: unknown[]}).items) {
      if (!isPair(pair)) continue
      const keyNode = pair.key as Node | null
      const key = this.keyText(keyNode)
      if (key === '<<' && !(isScalar(keyNode) && (keyNode.type === 'QUOTE_DOUBLE' || keyNode.type === 'QUOTE_SINGLE'))) {
        merged.push({value: pair.value as Node})
        continue
      }
      const earlier = seen.get(key)
      if (earlier) {
        const first = this.pos(earlier)
        throw new ComposeFileError(
          'COMPOSE_DUPLICATE_KEY',
          `duplicate key "${key}" (already defined at line ${first.line})`,
          {source: this.source, position: this.pos(keyNode)},
        )
      }
      if (keyNode) seen.set(key, keyNode)
      const ckey = childKey(pkey, path, key)
      if (keyNode?.range) this.source.record(ckey, keyNode.range[0])
      const valueNode = pair.value as Node | null
      if (valueNode?.range && isScalar(valueNode) && typeof valueNode.value === 'string' && valueNode.value.includes('$')) {
        this.source.recordValue(ckey, [valueNode.range[0], valueNode.range[1]])
      }
      const value = isPlainScalar(valueNode) ? this.leaf(valueNode.value) : this.convert(valueNode, [...path, key], ckey)
      if (value !== undefined) out[key] = value
    }
    // Merge keys: entries of the merged mappings fill in keys this mapping does not set;
    // earlier mappings in a `<<: [*a, *b]` list win over later ones.
    for (const {value} of merged) {
      const sources = isSeq(value) ? (value.items as Node[]) : [value]
      for (const src of sources) {
        const converted = this.convert(src, path, pkey)
        if (converted === null || converted === undefined) continue
        if (typeof converted !== 'object' || Array.isArray(converted)) {
          throw new ComposeFileError('COMPOSE_YAML_MERGE_KEY', 'a merge key (<<) must refer to a mapping or a list of mappings', {
            source: this.source,
            position: this.pos(src),
          })
        }
        for (const [k, v] of Object.entries(converted as Record<string, unknown>)) {
          if (!(k in out) && !seen.has(k)) out[k] = v
        }
      }
    }
    return out
  }

  private readonly aliases = new Map<Node, Node | undefined>()

  /** The yaml package searches the whole document on each resolve; remember the answers. */
  private resolveAlias(node: Node): Node | undefined {
    if (!this.aliases.has(node)) this.aliases.set(node, (node as unknown as {resolve(doc: Document): Node | undefined}).resolve(this.doc))
    return this.aliases.get(node)
  }

  private keyText(node: Node | null): string {
    if (node === null) return ''
    if (isScalar(node)) return node.value === null ? 'null' : String(node.value)
    if (isAlias(node)) {
      const target = node.resolve(this.doc)
      if (target && isScalar(target)) return String(target.value)
    }
    throw new ComposeFileError('COMPOSE_YAML_KEY', 'mapping keys must be plain values', {source: this.source, position: this.pos(node)})
  }

  /** A plain scalar reached without its own path (counted against the node limit). */
  private leaf(value: unknown): unknown {
    if (++this.nodes > MAX_NODES) {
      throw new ComposeFileError('COMPOSE_YAML_TOO_LARGE', 'the document expands to too many nodes (alias loop or alias bomb)', {source: this.source})
    }
    return this.scalar(value)
  }

  private scalar(value: unknown): unknown {
    if (typeof value === 'bigint') return Number(value)
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
    if (value instanceof Date) return value.toISOString()
    return value
  }

  private pos(node: Node | null): SourcePosition {
    return this.source.positionAtOffset(node?.range?.[0] ?? 0)
  }
}
