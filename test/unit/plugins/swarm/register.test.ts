/** The swarm plugin registers through the SDK like any plugin: a `swarm` target next to `local`, with checked options. */
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {buildRegistry} from '../../../../src/plugins/core/registry.js'
import {parseTargetOptions} from '../../../../src/plugins/sdk/options.js'
import localPlugin from '../../../../src/plugins/local/register.js'
import swarmPlugin from '../../../../src/plugins/swarm/register.js'
import {registryAuthHeader} from '../../../../src/plugins/swarm/session.js'

describe('swarm plugin registration', () => {
  it('adds the swarm target beside local, and package.json declares its register hook', () => {
    const warnings: string[] = []
    const registry = buildRegistry(
      [
        {plugin: 'berth', core: true, definition: localPlugin.definition},
        {plugin: 'berth', core: true, definition: swarmPlugin.definition},
      ],
      (m) => warnings.push(m),
    )
    assert.deepEqual([...registry.targets.keys()].sort(), ['local', 'swarm'])
    assert.deepEqual(warnings, [])
    const pjson = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'))
    assert.ok(pjson.oclif.hooks['berth:register'].includes('./dist/plugins/swarm/register.js'))
  })

  it('checks --option values before anything runs', () => {
    const target = swarmPlugin.definition.targets![0]!
    assert.deepEqual(parseTargetOptions('swarm', target.options, ['prune=true']), {prune: true, 'resolve-image': 'always', 'with-registry-auth': false})
    assert.throws(() => parseTargetOptions('swarm', target.options, ['resolve-image=sometimes']), /must be one of always, changed, never/)
  })

  it('--with-registry-auth: the X-Registry-Auth value from the docker config of the image registry, nothing without one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-swarm-auth-'))
    const saved = process.env.DOCKER_CONFIG
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({auths: {'registry.example:5000': {auth: Buffer.from('me:pw').toString('base64')}}}))
      process.env.DOCKER_CONFIG = dir
      const header = await registryAuthHeader('registry.example:5000/team/app:1')
      assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), {username: 'me', password: 'pw', serveraddress: 'registry.example:5000'})
      assert.equal(await registryAuthHeader('busybox:latest'), undefined)
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG
      else process.env.DOCKER_CONFIG = saved
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
