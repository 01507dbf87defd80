/** Small JSON files the builder keeps in the user's cache dir, written atomically (temp + rename). */
import {promises as fs} from 'node:fs'
import path from 'node:path'

export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  await fs.writeFile(tmp, JSON.stringify(value))
  await fs.rename(tmp, file)
}

/** The parsed file, or undefined when it is missing or unreadable (a cache starts empty then). */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'))
  } catch {
    return undefined
  }
}
