/**
 * The contents of a stack's secrets and configs, read before the first engine call so that a
 * missing file or variable stops the deploy before anything is made. Errors name the secret and
 * its file or variable, never its content.
 */
import {readFile} from 'node:fs/promises'
import {relative} from 'node:path'
import {UserInputError} from '../sdk/index.js'
import type {FileObjectPlan} from './convert/stack.js'

/** The content of each object by engine name, base64 as the API takes it. */
export type FileContents = Map<string, string>

export async function readFileObjects(kind: 'secret' | 'config', plans: FileObjectPlan[], env: Record<string, string | undefined>, workingDir: string): Promise<FileContents> {
  const contents: FileContents = new Map()
  await Promise.all(
    plans.map(async (plan) => {
      const source = plan.source
      let data: Buffer
      if ('file' in source) {
        try {
          data = await readFile(source.file)
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code
          const shown = relative(workingDir, source.file).startsWith('..') ? source.file : `./${relative(workingDir, source.file)}`
          const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message
          throw new UserInputError('STACK_FILE_UNREADABLE', `${kind} ${plan.key}: cannot read ${shown}: ${why}`)
        }
      } else if ('environment' in source) {
        const value = env[source.environment]
        if (value === undefined) throw new UserInputError('STACK_FILE_UNREADABLE', `${kind} ${plan.key}: environment variable ${source.environment} is not set`)
        data = Buffer.from(value)
      } else {
        data = Buffer.from(source.content)
      }
      contents.set(plan.name, data.toString('base64'))
    }),
  )
  return contents
}
