/**
 * A chart directory read as helm reads it: Chart.yaml (checked against schemas/chart.json),
 * values.yaml, values.schema.json, templates/ (every file; `_` files are partials), charts/
 * (each subdirectory a subchart, recursively) and the other files as .Files (minus .helmignore).
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse as parseYaml} from 'yaml'
import {UserInputError} from '../sdk/index.js'
import {parseValues, type Values} from './values.js'

export interface ChartMetadata {
  apiVersion: string
  name: string
  version: string
  appVersion?: string
  description?: string
  type?: string
  kubeVersion?: string
  dependencies?: Array<{name: string; version?: string; repository?: string; condition?: string; tags?: string[]; alias?: string; enabled?: boolean}>
  [key: string]: unknown
}

export interface Chart {
  dir: string
  metadata: ChartMetadata
  values: Values
  schema?: unknown
  /** templates/... paths relative to the chart, with their text, sorted. */
  templates: Array<{path: string; text: string}>
  /** The other files (.Files), relative paths. */
  files: Map<string, Buffer>
  subcharts: Chart[]
}

const SCHEMA = fileURLToPath(new URL('../../../schemas/chart.json', import.meta.url))

let chartValidator: ((v: unknown) => boolean) & {errors?: Array<{instancePath: string; message?: string; params?: Record<string, unknown>}> | null} | undefined

async function validateMetadata(meta: unknown, file: string): Promise<void> {
  if (!chartValidator) {
    const {Ajv} = await import('ajv')
    const ajv = new Ajv({allErrors: true, strict: false})
    chartValidator = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object)
  }
  if (!chartValidator(meta)) {
    const err = chartValidator.errors![0]!
    const where = err.instancePath === '' ? '' : ` at ${err.instancePath.slice(1).replace(/\//g, '.')}`
    const extra = err.params && 'allowedValues' in err.params ? ` (${(err.params.allowedValues as string[]).join(', ')})` : err.params && 'missingProperty' in err.params ? '' : ''
    throw new UserInputError('CHART_METADATA', `${file}: ${err.message}${where}${extra}`)
  }
}

function readHelmignore(dir: string): RegExp[] {
  const f = join(dir, '.helmignore')
  if (!existsSync(f)) return []
  return readFileSync(f, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!')).map(globToRegex)
}

/** A .helmignore / Files.Glob pattern: `*` within a path part, `**` across parts. */
export function globToRegex(pattern: string): RegExp {
  const p = pattern.replace(/\/$/, '')
  let re = ''
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!
    if (c === '*' && p[i + 1] === '*') {
      re += '.*'
      i++
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '{') re += '(?:'
    else if (c === '}') re += ')'
    else if (c === ',' ) re += '|'
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

function walk(dir: string, base: string, out: string[]): void {
  for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) walk(full, base, out)
    else if (entry.isFile()) out.push(relative(base, full).split(sep).join('/'))
  }
}

export async function loadChart(dir: string): Promise<Chart> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserInputError('CHART_NOT_FOUND', `${dir}: not a chart directory`, {hints: ['pass the path of a directory that holds Chart.yaml']})
  }
  const chartFile = join(dir, 'Chart.yaml')
  if (!existsSync(chartFile)) throw new UserInputError('CHART_NOT_FOUND', `${dir}: Chart.yaml file is missing`)
  let meta: unknown
  try {
    meta = parseYaml(readFileSync(chartFile, 'utf8'), {version: '1.1'})
  } catch (e) {
    throw new UserInputError('CHART_METADATA', `${chartFile}: ${(e as Error).message.split('\n')[0]}`)
  }
  await validateMetadata(meta ?? {}, chartFile)
  const metadata = meta as ChartMetadata
  if (typeof metadata.appVersion === 'number') metadata.appVersion = String(metadata.appVersion)
  const valuesFile = join(dir, 'values.yaml')
  const values = existsSync(valuesFile) ? parseValues(readFileSync(valuesFile, 'utf8'), valuesFile) : {}
  const schemaFile = join(dir, 'values.schema.json')
  let schema: unknown
  if (existsSync(schemaFile)) {
    try {
      schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as unknown
    } catch (e) {
      throw new UserInputError('CHART_SCHEMA', `${schemaFile}: ${(e as Error).message}`)
    }
  }
  const ignore = readHelmignore(dir)
  const all: string[] = []
  walk(dir, dir, all)
  const ignored = (p: string): boolean => ignore.some((re) => re.test(p) || p.split('/').some((part, i, parts) => re.test(part) || re.test(parts.slice(0, i + 1).join('/'))))
  const templates: Chart['templates'] = []
  const files = new Map<string, Buffer>()
  for (const p of all) {
    if (ignored(p) && !p.startsWith('templates/')) continue
    if (p.startsWith('charts/')) continue
    if (p.startsWith('templates/')) templates.push({path: p, text: readFileSync(join(dir, p), 'utf8')})
    else if (!['Chart.yaml', 'Chart.lock', 'values.yaml', 'values.schema.json', 'requirements.yaml', 'requirements.lock'].includes(p)) files.set(p, readFileSync(join(dir, p)))
  }
  const subcharts: Chart[] = []
  const chartsDir = join(dir, 'charts')
  if (existsSync(chartsDir)) {
    for (const entry of readdirSync(chartsDir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory()) subcharts.push(await loadChart(join(chartsDir, entry.name)))
    }
  }
  return {dir, metadata, values, schema, templates, files, subcharts}
}
