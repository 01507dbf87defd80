import {strict as assert} from 'node:assert'
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BerthError} from '../../../src/errors.js'
import {checkExportTarget} from '../../../src/runtime/export.js'

describe('runtime: where export writes', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-export-unit-'))
    mkdirSync(join(dir, 'sub'))
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  async function refused(output: string | undefined, isTTY: boolean, pattern: RegExp): Promise<void> {
    await assert.rejects(checkExportTarget(output, {isTTY}), (error: unknown) => error instanceof BerthError && pattern.test(error.message) && !error.message.includes('\n'))
  }

  it('stdout only when it is not a terminal', async () => {
    await checkExportTarget(undefined, {isTTY: false})
    await checkExportTarget('-', {})
    await refused(undefined, true, /refusing to write a tar archive to a terminal/)
    await refused('-', true, /refusing/)
  })

  it('a file in a directory that exists; not a directory itself', async () => {
    await checkExportTarget(join(dir, 'out.tar'), {isTTY: true})
    await checkExportTarget(join(dir, 'sub', 'out.tar'), {isTTY: false})
    await refused(join(dir, 'missing', 'out.tar'), false, /cannot write .*out\.tar: directory ".*missing" does not exist/)
    await refused(join(dir, 'sub'), false, /it is a directory/)
    await refused('', false, /-o needs a file name/)
  })
})
