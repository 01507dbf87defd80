/**
 * fixtures/compose/invalid/<case>/compose.yaml: files the validation stage must reject, each with
 * the exact text a user sees (message line and snippet) in expected-error.txt next to it.
 * Regenerate after a deliberate wording change with UPDATE_GOLDEN=1 and review the diff.
 */
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ComposeFileError} from '../../../../src/compose/source.js'
import {validateComposeFile} from '../../../../src/compose/validate.js'
import {yamlSource} from './support.js'

const dir = fileURLToPath(new URL('../../../../fixtures/compose/invalid/', import.meta.url))

/** What the user sees for a file, as `berth` prints a ComposeFileError (without the "error: " prefix). */
function shown(file: string): string {
  const {doc, source} = yamlSource(readFileSync(file, 'utf8'), 'compose.yaml')
  try {
    validateComposeFile(doc, source)
  } catch (error) {
    assert.ok(error instanceof ComposeFileError, `expected a ComposeFileError, got ${String(error)}`)
    return [error.message, error.context, ...error.hints.map((h) => `hint: ${h}`)].filter((l) => l !== undefined).join('\n') + '\n'
  }
  return 'accepted\n'
}

describe('invalid Compose fixtures (schema and in-file rules)', () => {
  const cases = readdirSync(dir, {withFileTypes: true})
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'compose.yaml')))
    .map((e) => e.name)
    .sort()

  it('has at least a dozen cases', () => {
    assert.ok(cases.length >= 12, `only ${cases.length} cases`)
  })

  for (const name of cases) {
    it(name, () => {
      const actual = shown(join(dir, name, 'compose.yaml'))
      const expectedFile = join(dir, name, 'expected-error.txt')
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, actual)
      assert.equal(actual, readFileSync(expectedFile, 'utf8'))
    })
  }
})
