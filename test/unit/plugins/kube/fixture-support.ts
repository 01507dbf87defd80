/** The kube fixtures (fixtures/kube/<name>/compose.yaml, options.json) and Berth's conversion of one, shared by the suites. */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadProject} from '../../../../src/compose/index.js'
import {convertProject, type Conversion, type ConvertOptions} from '../../../../src/plugins/kube/convert/project.js'
import {readFileContents} from '../../../../src/plugins/kube/files.js'
import {toYamlStream} from '../../../../src/plugins/kube/output.js'

export const KUBE_FIXTURES = resolve(fileURLToPath(import.meta.url), '../../../../../fixtures/kube')

export function kubeFixtures(): string[] {
  return readdirSync(KUBE_FIXTURES).filter((name) => statSync(join(KUBE_FIXTURES, name)).isDirectory() && existsSync(join(KUBE_FIXTURES, name, 'compose.yaml'))).sort()
}

/** The fixture's options.json (kompose annotations off unless it turns them on, so goldens do not change with the version). */
export function fixtureOptions(fixture: string): ConvertOptions {
  const file = join(KUBE_FIXTURES, fixture, 'options.json')
  return {withKomposeAnnotation: false, ...(existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ConvertOptions) : {})}
}

export async function convertFixture(fixture: string, options: ConvertOptions = fixtureOptions(fixture)): Promise<Conversion> {
  const dir = join(KUBE_FIXTURES, fixture)
  const {project} = await loadProject({files: [join(dir, 'compose.yaml')], cwd: dir, env: {PATH: process.env.PATH}})
  return convertProject(project!, options, await readFileContents(project!))
}

/** The manifests and warnings as the golden files hold them, with the fixture directory written `<fixture>`. */
export async function goldenOf(fixture: string): Promise<{yaml: string; warnings: string}> {
  const dir = join(KUBE_FIXTURES, fixture)
  const {objects, warnings} = await convertFixture(fixture)
  return {yaml: (await toYamlStream(objects)).replaceAll(dir, '<fixture>'), warnings: warnings.map((w) => w.replaceAll(dir, '<fixture>') + '\n').join('')}
}
