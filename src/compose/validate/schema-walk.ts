/**
 * Finds which parts of the Compose schema apply at a place in a document, so that an error can
 * say what was expected there ("a duration such as ...") and which fields are known (for
 * "did you mean"). ajv's schemaPath cannot tell us this: the generated validator keeps $refs as
 * separate functions, so its paths are relative to the referenced definition.
 */
import {schema} from './generated.js'

export type JsonSchema = {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  patternProperties?: Record<string, JsonSchema>
  additionalProperties?: JsonSchema | boolean
  items?: JsonSchema
  anyOf?: JsonSchema[]
  allOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  enum?: unknown[]
  pattern?: string
  minimum?: number
  maximum?: number
  $defs?: Record<string, JsonSchema>
}

/** A schema that constrains a value directly (no $ref/anyOf/allOf left), with the definitions it came through. */
export interface Leaf {
  schema: JsonSchema
  /** The outermost named definition this leaf was reached through (describes the whole alternative set). */
  outerDef?: string
  /** The innermost named definition (describes this leaf's own pattern or type). */
  innerDef?: string
}

/** The Compose schema (schemas/compose-spec.json), as the generated validator holds it. */
export function composeSchema(): JsonSchema {
  return schema as JsonSchema
}

function resolveRef(root: JsonSchema, ref: string): [string, JsonSchema] {
  const name = ref.replace(/^#\/\$defs\//, '')
  const target = root.$defs?.[name]
  if (!target) throw new Error(`schema: unresolved $ref ${ref}`)
  return [name, target]
}

function expand(root: JsonSchema, schema: JsonSchema, outerDef: string | undefined, innerDef: string | undefined, out: Leaf[], depth = 0): void {
  if (depth > 20) return
  if (schema.$ref) {
    const [name, target] = resolveRef(root, schema.$ref)
    expand(root, target, outerDef ?? name, name, out, depth + 1)
    return
  }
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]
  if (branches.length > 0) {
    for (const branch of branches) expand(root, branch, outerDef, innerDef, out, depth + 1)
    // A schema may carry its own constraints beside anyOf (rare here); keep it as a leaf too.
    if (schema.type === undefined && schema.properties === undefined) return
  }
  out.push({schema, outerDef, innerDef})
}

function child(schema: JsonSchema, key: string | number): JsonSchema | undefined {
  if (typeof key === 'number') return schema.items
  const byName = schema.properties?.[key]
  if (byName) return byName
  for (const [pattern, sub] of Object.entries(schema.patternProperties ?? {})) {
    if (new RegExp(pattern, 'u').test(key)) return sub
  }
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined
}

/** Every leaf schema that may apply to the value at `path` (all anyOf alternatives). */
export function leavesAt(path: ReadonlyArray<string | number>, root: JsonSchema = composeSchema()): Leaf[] {
  let current: Leaf[] = []
  expand(root, root, undefined, undefined, current)
  for (const key of path) {
    const next: Leaf[] = []
    for (const leaf of current) {
      const sub = child(leaf.schema, key)
      if (sub) expand(root, sub, undefined, undefined, next)
    }
    current = next
  }
  return current
}

/** Field names a mapping at `path` may hold (union over alternatives), without x- patterns. */
export function knownFieldsAt(path: ReadonlyArray<string | number>): string[] {
  const names = new Set<string>()
  for (const leaf of leavesAt(path)) {
    for (const name of Object.keys(leaf.schema.properties ?? {})) names.add(name)
  }
  return [...names]
}
