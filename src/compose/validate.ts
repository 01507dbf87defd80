/**
 * Validation stage of the loader: one parsed, interpolated Compose file against the Compose
 * Specification (schemas/compose-spec.json), then the rules a schema cannot express. Runs for each
 * file before merge; the first problem is thrown as a ComposeFileError at its file:line:col.
 *
 * Speed: the schema is compiled ahead of time into src/compose/validate/generated.ts by
 * scripts/gen-validator.mjs (ajv standalone code), so nothing here imports ajv. Compiling this
 * schema with ajv at run time costs ~270 ms; the generated module loads in ~10 ms.
 *
 * Numbers and booleans: after interpolation `replicas: "${N}"` is the string "3". Like docker
 * compose (which casts by field type after interpolation), the schema accepts strings that cast
 * cleanly to the expected integer, number or boolean; the normaliser does the cast.
 */
import type {SourceFile} from './source.js'
import {validate} from './validate/generated.js'
import {schemaError, type SchemaErrorObject} from './validate/schema-error.js'
import {checkSemantics} from './validate/semantics.js'

export {SCHEMA_ERROR_CODE} from './validate/schema-error.js'
export {INVALID_ERROR_CODE, asBoolean, asInteger, checkSemantics as checkComposeRules, type SourceOf} from './validate/semantics.js'

interface GeneratedValidator {
  (data: unknown): boolean
  errors?: SchemaErrorObject[] | null
}

/** Validates ONE Compose file (parsed and interpolated); throws a ComposeFileError on the first problem. */
export function validateComposeFile(doc: unknown, source: SourceFile): void {
  const schemaValidate = validate as GeneratedValidator
  if (!schemaValidate(doc)) {
    throw schemaError(schemaValidate.errors ?? [], doc, source)
  }
  checkSemantics(doc as Record<string, unknown>, source)
}
