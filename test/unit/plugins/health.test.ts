import {strict as assert} from 'node:assert'
import {lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {checkPlugin, ensureBerthLink, packageResolvable, RangeCache, type PluginInfo} from '../../../src/plugins/core/health.js'
import {hasDependencies, linkBerthInto, localSource} from '../../../src/plugins/core/install.js'
import {sdkRangeProblem, SDK_VERSION} from '../../../src/plugins/sdk/version.js'

describe('SDK version contract', () => {
  it('accepts ranges that include the SDK version and names both versions otherwise', async () => {
    assert.equal(SDK_VERSION, '1.0.0')
    assert.equal(await sdkRangeProblem('^1.0.0'), undefined)
    assert.equal(await sdkRangeProblem('>=1 <3'), undefined)
    assert.equal(await sdkRangeProblem('^2.0.0'), 'needs Berth SDK ^2.0.0, but this Berth provides SDK 1.0.0')
    assert.equal(await sdkRangeProblem('^1.2.0', '1.1.0'), 'needs Berth SDK ^1.2.0, but this Berth provides SDK 1.1.0')
    assert.equal(await sdkRangeProblem('banana'), 'declares an invalid Berth SDK range "banana"')
    assert.match((await sdkRangeProblem(undefined))!, /does not declare the Berth SDK range/)
  })
})

describe('plugin health', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-health-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  async function pkg(at: string, name: string): Promise<void> {
    await mkdir(join(at, 'node_modules', name), {recursive: true})
    await writeFile(join(at, 'node_modules', name, 'package.json'), JSON.stringify({name}))
  }

  const plugin = (over: Partial<PluginInfo> = {}): PluginInfo => ({
    name: 'berth-plugin-x', version: '1.2.3', type: 'user', root: join(dir, 'data', 'node_modules', 'berth-plugin-x'),
    pjson: {berth: {sdk: '^1.0.0'}}, hooks: {'berth:register': [{}]}, ...over,
  })

  it('resolves packages up the tree, like Node', async () => {
    await pkg(join(dir, 'data'), 'berth')
    assert.equal(packageResolvable(join(dir, 'data', 'node_modules', 'berth-plugin-x'), 'berth'), true)
    assert.equal(packageResolvable(join(dir, 'data', 'node_modules', 'berth-plugin-x'), 'left-pad'), false)
  })

  it('a healthy plugin passes; a plain oclif plugin (no SDK use) is not checked for berth', async () => {
    await pkg(join(dir, 'data'), 'berth')
    assert.equal(await checkPlugin(plugin()), undefined)
    assert.equal(await checkPlugin(plugin({name: 'plain', pjson: {}, hooks: {}})), undefined)
  })

  it('finds a wrong SDK range, a missing dependency, and berth/sdk out of reach', async () => {
    await pkg(join(dir, 'data'), 'berth')
    assert.equal((await checkPlugin(plugin({pjson: {berth: {sdk: '^2.0.0'}}})))?.reason, 'needs Berth SDK ^2.0.0, but this Berth provides SDK 1.0.0')
    assert.match((await checkPlugin(plugin({pjson: {}})))!.reason, /does not declare the Berth SDK range/)
    const missing = await checkPlugin(plugin({pjson: {berth: {sdk: '^1'}, dependencies: {'left-pad': '^1'}}}))
    assert.equal(missing?.reason, 'cannot load: its dependency left-pad is not installed')
    assert.equal(missing?.hint, 'berth plugins install berth-plugin-x again')
    const linked = await checkPlugin(plugin({type: 'link', root: join(dir, 'elsewhere')}))
    assert.equal(linked?.reason, 'cannot find berth/sdk from its folder')
    assert.equal(linked?.hint, `run berth plugins link ${join(dir, 'elsewhere')} again`)
  })

  it('remembers range answers in the cache dir, per SDK version', async () => {
    const file = join(dir, 'cache', 'plugin-sdk-ranges.json')
    const first = new RangeCache(file)
    assert.equal(await first.problem('^1.0.0'), undefined)
    assert.match((await first.problem('^2.0.0'))!, /needs Berth SDK \^2\.0\.0/)
    await first.save()
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {sdk: '1.0.0', ranges: {'^1.0.0': null, '^2.0.0': 'needs Berth SDK ^2.0.0, but this Berth provides SDK 1.0.0'}})
    // a cached answer is used as it is (this one was planted to prove it)
    await writeFile(file, JSON.stringify({sdk: '1.0.0', ranges: {'^9': null}}))
    assert.equal(await new RangeCache(file).problem('^9'), undefined)
    // another SDK version ignores the cache
    assert.match((await new RangeCache(file, '1.0.0-other').problem('^9'))!, /needs Berth SDK \^9/)
  })

  it('keeps <dataDir>/node_modules/berth pointing at the running Berth', async () => {
    const data = join(dir, 'data')
    const root = join(dir, 'berth-root')
    await mkdir(root)
    assert.equal(await ensureBerthLink(data, root), true)
    assert.equal(await readlink(join(data, 'node_modules', 'berth')), root)
    assert.equal(await ensureBerthLink(data, root), true)
    const moved = join(dir, 'berth-moved')
    assert.equal(await ensureBerthLink(data, moved), true, 'follows Berth when it moves')
    assert.equal(await readlink(join(data, 'node_modules', 'berth')), moved)
  })

  it('leaves a real berth package in the data dir alone', async () => {
    const data = join(dir, 'data')
    await pkg(data, 'berth')
    assert.equal(await ensureBerthLink(data, join(dir, 'x')), true)
    assert.equal((await lstat(join(data, 'node_modules', 'berth'))).isSymbolicLink(), false)
  })
})

describe('plugins install and link helpers', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-install-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('recognises local directories and tarballs, and leaves npm names and URLs alone', async () => {
    await mkdir(join(dir, 'plug'))
    await writeFile(join(dir, 'plug', 'package.json'), '{}')
    await writeFile(join(dir, 'plug-1.0.0.tgz'), '')
    await mkdir(join(dir, 'not-a-package'))
    assert.deepEqual(localSource('./plug', dir), {kind: 'directory', path: join(dir, 'plug')})
    assert.deepEqual(localSource(join(dir, 'plug'), '/'), {kind: 'directory', path: join(dir, 'plug')})
    assert.deepEqual(localSource('plug-1.0.0.tgz', dir), {kind: 'tarball', path: join(dir, 'plug-1.0.0.tgz')})
    assert.equal(localSource('plug', dir), undefined, 'a bare name is an npm package even if a folder has that name')
    assert.equal(localSource('./not-a-package', dir), undefined)
    assert.equal(localSource('someone/berth-plugin', dir), undefined, 'org/repo stays a GitHub slug when no such folder exists')
    assert.equal(localSource('https://github.com/x/y.git', dir), undefined)
    assert.equal(localSource('@scope/plugin@1.0.0', dir), undefined)
  })

  it('links berth into a Berth plugin that cannot resolve it, and only then', async () => {
    const berth = join(dir, 'berth')
    await mkdir(berth)
    const plug = join(dir, 'plug')
    await mkdir(plug)
    await writeFile(join(plug, 'package.json'), JSON.stringify({name: 'p', berth: {sdk: '^1.0.0'}}))
    assert.equal(await linkBerthInto(plug, berth), join(plug, 'node_modules', 'berth'))
    assert.equal(await readlink(join(plug, 'node_modules', 'berth')), berth)
    assert.equal(await linkBerthInto(plug, berth), undefined, 'already resolvable')

    const other = join(dir, 'other')
    await mkdir(other)
    await writeFile(join(other, 'package.json'), JSON.stringify({name: 'o'}))
    assert.equal(await linkBerthInto(other, berth), undefined, 'not a Berth plugin')
    const dangling = join(dir, 'dangling')
    await mkdir(join(dangling, 'node_modules'), {recursive: true})
    await writeFile(join(dangling, 'package.json'), JSON.stringify({name: 'd', peerDependencies: {berth: '*'}}))
    await symlink(join(dir, 'gone'), join(dangling, 'node_modules', 'berth'))
    assert.equal(await linkBerthInto(dangling, berth), undefined, "something of the user's is there: left alone")
  })

  it('knows whether a plugin folder has dependencies to install', async () => {
    await writeFile(join(dir, 'package.json'), JSON.stringify({dependencies: {a: '1'}}))
    assert.equal(await hasDependencies(dir), true)
    await writeFile(join(dir, 'package.json'), JSON.stringify({dependencies: {}}))
    assert.equal(await hasDependencies(dir), false)
  })
})
