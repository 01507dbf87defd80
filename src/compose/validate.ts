/**
 * Validation stage of the loader: one parsed, interpolated Compose file against the Compose
 * Specification (schemas/compose-spec.json), then the rules a schema cannot express. Runs for each
 * file before merge; the first problem is thrown as a ComposeFileError at its file:line:col.
 *
 * Speed: the schema is compiled ahead of time into src/compose/validate/generated.js by
 * scripts/gen-validator.mjs (ajv standalone code), so nothing here imports ajv. Importing ajv and
 * compiling this schema at run time costs ~310 ms (45 + 265); loading the generated module and a
 * first validation of a 10-service file ~25 ms of CPU (process.cpuUsage around import + validate).
 *
 * Numbers and booleans: interpolation casts the fields docker compose casts (`replicas: "${N}"`
 * becomes 3, see interpolate.ts). Wherever the specification expects an integer, a number or a
 * boolean the schema also accepts a string that casts cleanly ("3", "0.5", "true", "yes") or that
 * still holds a variable reference (--no-interpolate), because docker compose's decoder casts such
 * strings in every typed field, not only the listed ones. Consumers read them with asInteger /
 * asBoolean, or the normaliser casts them.
 */
import type {SourceFile} from './source.js'
import {validate} from './validate/generated.js'
import {schemaError} from './validate/schema-error.js'
import {checkSemantics} from './validate/semantics.js'

export {SCHEMA_ERROR_CODE} from './validate/schema-error.js'
export {INVALID_ERROR_CODE, asBoolean, asInteger, checkSemantics as checkComposeRules, type SourceOf} from './validate/semantics.js'

/** Validates ONE Compose file (parsed and interpolated); throws a ComposeFileError on the first problem. */
export function validateComposeFile(doc: unknown, source: SourceFile): void {
  if (!validate(doc)) {
    throw schemaError(validate.errors ?? [], doc, source)
  }
  checkSemantics(doc as Record<string, unknown>, source)
}
