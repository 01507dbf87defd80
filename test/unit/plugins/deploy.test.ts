import {strict as assert} from 'node:assert'
import type {Project} from '../../../src/compose/types.js'
import {findTarget, runTarget, targetStatus} from '../../../src/plugins/core/deploy.js'
import {buildRegistry} from '../../../src/plugins/core/registry.js'
import {BerthError, defineTarget, DeployVetoed, option, PluginError, type TargetContext} from '../../../src/plugins/sdk/index.js'

const project: Project = {
  name: 'demo', workingDir: '/tmp/demo', configFiles: [], services: {web: {name: 'web', image: 'busybox'}}, disabledServices: {},
  networks: {}, volumes: {}, secrets: {}, configs: {}, extensions: {}, environment: {}, profiles: [],
}

describe('running a target', () => {
  const events: string[] = []
  const recorder = defineTarget({
    name: 'recorder',
    description: 'Records what it is asked to do.',
    options: {greeting: option.string({description: 'Greeting.', default: 'hi'}), fail: option.boolean({description: 'Fail.'})},
    deploy(p, options, ctx) {
      events.push(`deploy ${p.name} ${options.greeting} ${ctx.dataDir}`)
      ctx.warn('careful')
      if (options.fail) throw new BerthError('QUOTA', 'out of quota', {hints: ['ask for more']})
      return ctx.progress.tasks([
        {
          title: 'one',
          task(step) {
            events.push('step one')
            step.output('1/2')
          },
        },
        {title: 'two', task: (step) => step.tasks([{title: 'nested', task: () => void events.push('nested')}])},
        {title: 'skipped', skip: 'not today', task: () => void events.push('never')},
      ])
    },
    remove(p) {
      events.push(`remove ${p.name}`)
    },
    status: (p, ctx: TargetContext) => ({deployed: true, services: [{name: 'web', state: `ok ${ctx.signal.aborted}`}], message: p.name}),
  })
  const registry = buildRegistry(
    [
      {plugin: 'berth-plugin-rec', core: false, definition: {targets: [recorder], beforeDeploy: (_p: unknown, i: {options: Record<string, unknown>}) => {
        if (i.options.greeting === 'boo') throw new DeployVetoed('no scaring')
      }}},
    ],
    () => {},
  )
  const base = {registry, target: 'recorder', project, dataDir: '/data', cacheDir: '/cache', debug: false, signal: new AbortController().signal, silent: true}

  beforeEach(() => events.splice(0))

  it('deploys with checked options, running the steps it returns as subtasks', async () => {
    const warnings: string[] = []
    const options = await runTarget('deploy', {...base, optionPairs: ['greeting=hello'], warn: (m) => warnings.push(m)})
    assert.deepEqual(options, {greeting: 'hello', fail: false})
    assert.deepEqual(events, ['deploy demo hello /data', 'step one', 'nested'])
    assert.deepEqual(warnings, ['recorder: careful'])
  })

  it('hands the target a copy of the project', async () => {
    const mutating = defineTarget({name: 'mut', description: 'm', deploy: (p) => void (p.services.web!.image = 'x'), remove() {}, status: () => ({deployed: false, services: []})})
    const r = buildRegistry([{plugin: 'p', core: false, definition: {targets: [mutating]}}], () => {})
    await runTarget('deploy', {...base, registry: r, target: 'mut', optionPairs: []})
    assert.equal(project.services.web!.image, 'busybox')
  })

  it("a third-party target's failure names its plugin and keeps the code and hints", async () => {
    await assert.rejects(runTarget('deploy', {...base, optionPairs: ['fail'], warn: () => {}}), (e: unknown) => {
      assert.ok(e instanceof PluginError)
      assert.equal(e.plugin, 'berth-plugin-rec')
      assert.equal(e.code, 'QUOTA')
      assert.equal(e.message, 'target recorder (plugin berth-plugin-rec) failed to deploy: out of quota')
      assert.deepEqual(e.hints, ['ask for more'])
      return true
    })
  })

  it('refuses before calling the target: bad option, veto, unknown target', async () => {
    await assert.rejects(runTarget('deploy', {...base, optionPairs: ['nope=1']}), /target recorder has no option "nope"/)
    await assert.rejects(runTarget('deploy', {...base, optionPairs: ['greeting=boo']}), /plugin berth-plugin-rec vetoed deploy to recorder: no scaring/)
    await assert.rejects(runTarget('remove', {...base, optionPairs: ['greeting=boo']}), /vetoed removal from recorder/)
    assert.throws(() => findTarget(registry, 'elsewhere'), (e: unknown) => e instanceof BerthError && e.code === 'TARGET_UNKNOWN' && e.hints[0] === 'available targets: recorder')
    assert.deepEqual(events, [])
  })

  it('removes and reports status', async () => {
    await runTarget('remove', {...base, optionPairs: []})
    assert.deepEqual(events, ['remove demo'])
    assert.deepEqual(await targetStatus(base), {deployed: true, services: [{name: 'web', state: 'ok false'}], message: 'demo'})
  })
})
