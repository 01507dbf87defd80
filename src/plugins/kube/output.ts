/**
 * Manifests as text and files. YAML with keys in alphabetical order at every level (as kompose and
 * kubectl print them), so that the same project always gives the same bytes; documents separated
 * by `---`. With -o DIR, one file per object named as kompose names them: `<name>-<kind>.yaml`
 * (`web-deployment.yaml`, `web-service.yaml`).
 */
import {mkdir, rename, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {KubeObject} from './types.js'

/** A copy with every object's keys sorted (arrays keep their order). */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = sortKeys(v)
    }
    return out as T
  }
  return value
}

/**
 * One object as YAML. Written for YAML 1.1 readers: kubectl and client-go parse YAML 1.1, where an
 * unquoted `off`, `yes`, `y` or `0755` is not a string, so such strings are quoted.
 */
export async function toYaml(object: KubeObject): Promise<string> {
  const {stringify} = await import('yaml')
  return stringify(sortKeys(object), {version: '1.1', lineWidth: 0, indentSeq: true})
}

/** Every object as one YAML stream: `---` before each document. */
export async function toYamlStream(objects: readonly KubeObject[]): Promise<string> {
  const docs = await Promise.all(objects.map(toYaml))
  return docs.map((d) => `---\n${d}`).join('')
}

/** kompose's file name for an object: `<name>-<kind>.yaml`. */
export function fileNameOf(object: KubeObject): string {
  return `${object.metadata?.name ?? 'unnamed'}-${object.kind.toLowerCase()}.yaml`
}

/** Writes one file per object into `dir` (made if missing), each whole under a temporary name first; returns the paths. */
export async function writeManifestFiles(dir: string, objects: readonly KubeObject[]): Promise<string[]> {
  await mkdir(dir, {recursive: true})
  const paths: string[] = []
  for (const object of objects) {
    const path = join(dir, fileNameOf(object))
    const temp = `${path}.${process.pid}.tmp`
    await writeFile(temp, await toYaml(object))
    await rename(temp, path)
    paths.push(path)
  }
  return paths
}

/** Writes the whole stream to one file, whole under a temporary name first. */
export async function writeManifestFile(path: string, objects: readonly KubeObject[]): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, await toYamlStream(objects))
  await rename(temp, path)
}
