/**
 * Test helpers for the validation stage: a minimal SourceFile over the `yaml` package (positions
 * of nodes by model path), so these tests do not depend on the loader's parse stage.
 */
import {readFileSync} from 'node:fs'
import {LineCounter, parseDocument, isMap, isSeq, isScalar, type Node} from 'yaml'
import type {ModelPath, SourceFile, SourcePosition} from '../../../../src/compose/source.js'
import {validateComposeFile} from '../../../../src/compose/validate.js'

export function yamlSource(text: string, path = 'compose.yaml'): {doc: unknown; source: SourceFile} {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, {lineCounter, merge: true, uniqueKeys: true})
  if (document.errors.length > 0) throw document.errors[0]
  const at = (offset: number): SourcePosition => {
    const {line, col} = lineCounter.linePos(offset)
    return {line, col}
  }
  const source: SourceFile = {
    path,
    text,
    positionOf(modelPath: ModelPath): SourcePosition | undefined {
      let node: Node | null | undefined = document.contents as Node | null
      let position = node?.range ? at(node.range[0]) : undefined
      for (const key of modelPath) {
        if (isMap(node)) {
          const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key))
          if (!pair) return position
          if (isScalar(pair.key) && pair.key.range) position = at(pair.key.range[0])
          node = pair.value as Node | null
          if (key === modelPath.at(-1)) return position
        } else if (isSeq(node) && typeof key === 'number') {
          node = node.items[key] as Node | null
          if (node?.range) position = at(node.range[0])
        } else {
          return position
        }
      }
      return position
    },
  }
  return {doc: document.toJS({maxAliasCount: -1}), source}
}

/** The error message validation throws for `text`, or undefined when the file is valid. */
export function validationError(text: string): string | undefined {
  const {doc, source} = yamlSource(text)
  try {
    validateComposeFile(doc, source)
    return undefined
  } catch (error) {
    if (error instanceof Error) return error.message
    throw error
  }
}

/** Same as validationError but for a file on disk, with its path relative to the repository. */
export function validationErrorOfFile(file: string, shownAs: string): string | undefined {
  const {doc, source} = yamlSource(readFileSync(file, 'utf8'), shownAs)
  try {
    validateComposeFile(doc, source)
    return undefined
  } catch (error) {
    if (error instanceof Error) return error.message
    throw error
  }
}

/** Asserts that `text` is a valid Compose file. */
export function assertValid(text: string): void {
  const message = validationError(text)
  if (message !== undefined) throw new Error(`expected a valid file, got: ${message}\n${text}`)
}

/** Asserts that `text` is rejected with exactly `expected` (the one-line message, with file:line:col). */
export function assertInvalid(text: string, expected: string | RegExp): void {
  const message = validationError(text)
  if (message === undefined) throw new Error(`expected an error, the file was accepted:\n${text}`)
  if (typeof expected === 'string' ? message !== expected : !expected.test(message)) {
    throw new Error(`wrong message\n  expected: ${String(expected)}\n  actual:   ${message}`)
  }
}

/** `services:\n  web:\n    image: x\n` followed by `body` indented under the service. */
export function service(body: string): string {
  const indented = body
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n')
  return `services:\n  web:\n    image: x\n${indented}${indented.endsWith('\n') ? '' : '\n'}`
}
