/** The swarm fixtures (fixtures/swarm/<name>/compose.yaml) and Berth's plan for one, shared by the unit and conformance suites. */
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {loadProject} from '../../../../src/compose/index.js'
import {convertStack} from '../../../../src/plugins/swarm/convert/stack.js'

export const SWARM_FIXTURES = resolve(fileURLToPath(import.meta.url), '../../../../../fixtures/swarm')

export function swarmFixtures(): string[] {
  return readdirSync(SWARM_FIXTURES).filter((name) => statSync(join(SWARM_FIXTURES, name)).isDirectory() && existsSync(join(SWARM_FIXTURES, name, 'compose.yaml'))).sort()
}

/** The plan as JSON, with the fixture directory written `<fixture>`. */
export async function planOf(fixture: string, stack = 'stack'): Promise<unknown> {
  const dir = join(SWARM_FIXTURES, fixture)
  const {project} = await loadProject({files: [join(dir, 'compose.yaml')], projectName: stack, cwd: dir, env: {PATH: process.env.PATH}})
  const plan = convertStack(project!, stack)
  return JSON.parse(JSON.stringify(plan).replaceAll(dir, '<fixture>'))
}
