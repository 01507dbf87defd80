/**
 * A chart rendered as `helm template` renders it: values scoped per subchart (with `global`
 * shared), checked against each chart's values.schema.json, the built-in objects (.Values,
 * .Release, .Chart, .Capabilities, .Template, .Files), every template of the chart and its
 * subcharts in one define namespace (deeper charts first, so a parent's define wins), and each
 * non-partial file rendered with helm's `<no value>` removed.
 */
import {Buffer} from 'node:buffer'
import {UserInputError} from '../sdk/index.js'
import type {Chart} from './load.js'
import {globToRegex} from './load.js'
import {TemplateEngine} from './template/exec.js'
import {builtinFuncs} from './template/funcs.js'
import {GoStruct, isMap} from './template/values.js'
import {toJsonShape, toYamlText} from './template/yaml.js'
import {coalesce, type Values} from './values.js'

export const KUBE_VERSION = {major: '1', minor: '32', version: 'v1.32.0'}
export const HELM_VERSION = 'v3.17.3'

/** The API versions `helm template` assumes without a cluster (its built-in list, in brief). */
const API_VERSIONS = [
  'v1', 'admissionregistration.k8s.io/v1', 'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'apps/v1',
  'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1',
  'certificates.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1', 'networking.k8s.io/v1', 'node.k8s.io/v1', 'policy/v1',
  'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'storage.k8s.io/v1',
]

export interface RenderOptions {
  releaseName: string
  namespace: string
  /** User values (files and --set merged), before the chart's defaults. */
  values: Values
  isUpgrade?: boolean
  revision?: number
}

export interface RenderedChart {
  /** chart/templates/x.yaml -> rendered text, for every non-partial template (NOTES.txt included). */
  files: Map<string, string>
  values: Values
}

function enabledSubcharts(chart: Chart, vals: Values): Array<{sub: Chart; key: string}> {
  const out: Array<{sub: Chart; key: string}> = []
  const deps = chart.metadata.dependencies ?? []
  for (const sub of chart.subcharts) {
    const dep = deps.find((d) => d.name === sub.metadata.name)
    let key = dep?.alias ?? sub.metadata.name
    if (dep?.condition) {
      let off = false
      for (const cond of dep.condition.split(',')) {
        const v = lookupPath(vals, cond.trim())
        if (typeof v === 'boolean') {
          off = !v
          break
        }
      }
      if (off) continue
    }
    if (dep?.tags && dep.tags.length > 0 && isMap(vals.tags)) {
      const tags = vals.tags as Values
      const states = dep.tags.map((t) => tags[t]).filter((t) => typeof t === 'boolean')
      if (states.length > 0 && !states.some((t) => t === true)) continue
    }
    key = dep?.alias ?? key
    out.push({sub, key})
  }
  return out
}

function lookupPath(v: Values, path: string): unknown {
  let cur: unknown = v
  for (const p of path.split('.')) {
    if (!isMap(cur)) return undefined
    cur = cur[p]
  }
  return cur
}

function mergeGlobals(subUser: Values, parent: Values): Values {
  const pg = isMap(parent.global) ? parent.global : {}
  const sg = isMap(subUser.global) ? subUser.global : {}
  const merged = mergeParentWins(sg, pg)
  return {...subUser, global: merged}
}

function mergeParentWins(dest: Values, src: Values): Values {
  const out: Values = {...dest}
  for (const [k, v] of Object.entries(src)) out[k] = isMap(v) && isMap(out[k]) ? mergeParentWins(out[k] as Values, v) : v
  return out
}

/** A chart's values: user over defaults, each enabled subchart scoped under its key. */
export function scopeValues(chart: Chart, user: Values): Values {
  const vals = coalesce(user, chart.values)
  if (!isMap(vals.global) && chart.subcharts.length > 0) vals.global = {}
  for (const {sub, key} of enabledSubcharts(chart, vals)) {
    const subUser = mergeGlobals(isMap(vals[key]) ? (vals[key] as Values) : {}, vals)
    vals[key] = scopeValues(sub, subUser)
  }
  return vals
}

async function checkSchemas(chart: Chart, vals: Values, path: string): Promise<void> {
  if (chart.schema !== undefined) {
    const {Ajv} = await import('ajv')
    const ajv = new Ajv({allErrors: true, strict: false})
    let validate
    try {
      validate = ajv.compile(chart.schema as object)
    } catch (e) {
      throw new UserInputError('CHART_SCHEMA', `${path}/values.schema.json: ${(e as Error).message}`)
    }
    if (!validate(toJsonShape(vals))) {
      const problems = validate.errors!.map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath.slice(1).replace(/\//g, '.')}: ${e.message}`)
      throw new UserInputError('CHART_VALUES_SCHEMA', `values don't meet the specifications of the schema in chart ${chart.metadata.name}: ${problems.join('; ')}`)
    }
  }
  for (const {sub, key} of enabledSubcharts(chart, vals)) await checkSchemas(sub, vals[key] as Values, `${path}/charts/${sub.metadata.name}`)
}

function chartObject(chart: Chart): GoStruct {
  const m = chart.metadata
  const fields: Record<string, unknown> = {
    Name: m.name, Home: m.home ?? '', Sources: m.sources ?? null, Version: m.version, Description: m.description ?? '',
    Keywords: m.keywords ?? null, Maintainers: m.maintainers ?? null, Icon: m.icon ?? '', APIVersion: m.apiVersion,
    Condition: m.condition ?? '', Tags: m.tags ?? '', AppVersion: m.appVersion ?? '', Deprecated: m.deprecated ?? false,
    Annotations: m.annotations ?? null, KubeVersion: m.kubeVersion ?? '', Dependencies: m.dependencies ?? null, Type: m.type ?? '',
  }
  return new GoStruct('*chart.Metadata', fields)
}

function filesObject(files: Map<string, Buffer>): GoStruct {
  const get = (name: unknown): string => files.get(String(name))?.toString('utf8') ?? ''
  const fields: Record<string, unknown> = {
    Get: get,
    GetBytes: (name: unknown) => new Uint8Array(files.get(String(name)) ?? Buffer.alloc(0)),
    Glob: (pattern: unknown) => {
      const re = globToRegex(String(pattern))
      return filesObject(new Map([...files].filter(([p]) => re.test(p))))
    },
    AsConfig: () => {
      const m: Values = {}
      for (const [p, b] of files) m[p.split('/').at(-1)!] = b.toString('utf8')
      return Object.keys(m).length === 0 ? '' : toYamlText(m).replace(/\n$/, '')
    },
    AsSecrets: () => {
      const m: Values = {}
      for (const [p, b] of files) m[p.split('/').at(-1)!] = b.toString('base64')
      return Object.keys(m).length === 0 ? '' : toYamlText(m).replace(/\n$/, '')
    },
    Lines: (name: unknown) => {
      const text = get(name)
      if (text === '') return []
      return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n')
    },
  }
  return new GoStruct('chart.Files', fields, () => `map[${[...files.keys()].sort().join(' ')}]`)
}

function capabilities(): GoStruct {
  const kube = new GoStruct('chartutil.KubeVersion', {Version: KUBE_VERSION.version, Major: KUBE_VERSION.major, Minor: KUBE_VERSION.minor, GitVersion: KUBE_VERSION.version}, () => KUBE_VERSION.version)
  const apiVersions = new GoStruct('chartutil.VersionSet', {Has: (v: unknown) => API_VERSIONS.includes(String(v))}, () => `[${API_VERSIONS.join(' ')}]`)
  const helm = new GoStruct('chartutil.HelmVersion', {Version: HELM_VERSION, GitCommit: '', GitTreeState: '', GoVersion: ''}, () => `{${HELM_VERSION}}`)
  return new GoStruct('*chartutil.Capabilities', {KubeVersion: kube, APIVersions: apiVersions, HelmVersion: helm})
}

interface Renderable {
  name: string
  text: string
  chart: Chart
  values: Values
  basePath: string
}

function collect(chart: Chart, vals: Values, prefix: string, out: Renderable[]): void {
  for (const t of chart.templates) out.push({name: `${prefix}/${t.path}`, text: t.text, chart, values: vals, basePath: `${prefix}/templates`})
  for (const {sub, key} of enabledSubcharts(chart, vals)) collect(sub, vals[key] as Values, `${prefix}/charts/${sub.metadata.name}`, out)
}

/** helm's sortTemplates: deeper paths first, then reverse alphabetical. */
function parseOrder(a: string, b: string): number {
  const ca = a.split('/').length
  const cb = b.split('/').length
  if (ca !== cb) return cb - ca
  return a < b ? 1 : a > b ? -1 : 0
}

export async function renderChart(chart: Chart, opts: RenderOptions): Promise<RenderedChart> {
  const {checkReleaseName} = await import('../sdk/index.js')
  checkReleaseName(opts.releaseName)
  const values = scopeValues(chart, opts.values)
  await checkSchemas(chart, values, chart.metadata.name)
  const release = new GoStruct('release', {
    Name: opts.releaseName, Namespace: opts.namespace, IsUpgrade: opts.isUpgrade ?? false, IsInstall: !(opts.isUpgrade ?? false),
    Revision: BigInt(opts.revision ?? 1), Service: 'Helm',
  })
  const caps = capabilities()
  const items: Renderable[] = []
  collect(chart, values, chart.metadata.name, items)
  items.sort((a, b) => parseOrder(a.name, b.name))
  const engine = new TemplateEngine(builtinFuncs())
  for (const it of items) engine.addFile(it.name, it.text)
  const files = new Map<string, string>()
  const chartObjects = new Map<Chart, {chart: GoStruct; files: GoStruct}>()
  for (const it of items) {
    if (it.name.split('/').at(-1)!.startsWith('_')) continue
    if (it.chart.metadata.type === 'library') continue
    let objs = chartObjects.get(it.chart)
    if (!objs) {
      objs = {chart: chartObject(it.chart), files: filesObject(it.chart.files)}
      chartObjects.set(it.chart, objs)
    }
    const top: Values = {
      Values: it.values, Release: release, Chart: objs.chart, Capabilities: caps, Files: objs.files,
      Template: new GoStruct('chartutil.Template', {Name: it.name, BasePath: it.basePath}),
      Subcharts: {},
    }
    const out = engine.renderFile(it.name, top)
    files.set(it.name, out.replace(/<no value>/g, ''))
  }
  return {files, values}
}
