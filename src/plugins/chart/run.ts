/** What `berth chart template` and `berth chart lint` do, behind their flags. */
import {mkdirSync, readFileSync, writeFileSync, existsSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {UserInputError} from '../sdk/index.js'
import {loadChart} from './load.js'
import {collectManifests, formatManifest, splitManifests} from './manifests.js'
import {renderChart} from './render.js'
import {applySet, mergeMaps, parseValues, type Values} from './values.js'

export interface TemplateOptions {
  releaseName: string
  chartDir: string
  valueFiles: string[]
  sets: Array<{kind: 'set' | 'string' | 'json'; arg: string}>
  namespace: string
  showOnly: string[]
  outputDir?: string
}

/** -f files in order, then --set-json, --set, --set-string. */
export function userValues(valueFiles: string[], sets: TemplateOptions['sets']): Values {
  let values: Values = {}
  for (const f of valueFiles) {
    if (!existsSync(f)) throw new UserInputError('CHART_VALUES_FILE', `${f}: values file not found`)
    values = mergeMaps(values, parseValues(readFileSync(f, 'utf8'), f))
  }
  for (const kind of ['json', 'set', 'string'] as const) {
    for (const s of sets) if (s.kind === kind) applySet(values, s.arg, kind)
  }
  return values
}

export async function templateChart(opts: TemplateOptions): Promise<string> {
  const chart = await loadChart(resolve(opts.chartDir))
  const rendered = await renderChart(chart, {releaseName: opts.releaseName, namespace: opts.namespace, values: userValues(opts.valueFiles, opts.sets)})
  const {manifests, hooks} = collectManifests(rendered.files)
  const all = [...manifests, ...hooks]
  if (opts.outputDir) {
    const written = new Set<string>()
    for (const m of all) {
      const file = join(opts.outputDir, m.source)
      mkdirSync(dirname(file), {recursive: true})
      const text = formatManifest(m)
      if (written.has(file)) writeFileSync(file, text, {flag: 'a'})
      else writeFileSync(file, text)
      written.add(file)
    }
    return [...written].map((f) => `wrote ${f}\n`).join('')
  }
  let text = all.map(formatManifest).join('')
  if (opts.showOnly.length > 0) {
    const name = chart.metadata.name
    const wanted = opts.showOnly.map((s) => s.replace(/\\/g, '/'))
    const picked: string[] = []
    for (const w of wanted) {
      const found = all.filter((m) => m.source === `${name}/${w}` || m.source === w)
      if (found.length === 0) throw new UserInputError('CHART_SHOW_ONLY', `could not find template ${w} in chart`)
      picked.push(...found.map(formatManifest))
    }
    text = picked.join('')
  }
  return text
}

export async function lintChart(opts: TemplateOptions): Promise<string> {
  const chart = await loadChart(resolve(opts.chartDir))
  const rendered = await renderChart(chart, {releaseName: opts.releaseName, namespace: opts.namespace, values: userValues(opts.valueFiles, opts.sets)})
  const {manifests, hooks} = collectManifests(rendered.files)
  for (const m of [...manifests, ...hooks]) void splitManifests(m.content)
  return `==> Linting ${opts.chartDir}\n1 chart(s) linted, 0 chart(s) failed (${rendered.files.size} template(s) rendered, ${manifests.length + hooks.length} manifest(s))`
}
