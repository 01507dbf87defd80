import {strict as assert} from 'node:assert'
import {isPortSpec, protectCommandArgs, publishShortFlag} from '../../../src/runtime/argv.js'

const flags = {env: {type: 'option' as const, char: 'e'}, 'no-TTY': {type: 'boolean' as const, char: 'T'}, index: {type: 'option' as const}}

describe('runtime/argv: the command after the service keeps its flags', () => {
  it('inserts -- after the service, skipping flag values', () => {
    assert.deepEqual(protectCommandArgs(['-e', 'A=1', 'web', 'sh', '-c', 'ls -l'], flags), ['-e', 'A=1', 'web', '--', 'sh', '-c', 'ls -l'])
    assert.deepEqual(protectCommandArgs(['-T', '--index', '2', 'web', 'ls', '-a'], flags), ['-T', '--index', '2', 'web', '--', 'ls', '-a'])
    assert.deepEqual(protectCommandArgs(['--env=A=1', '-eB=2', 'web', 'env'], flags), ['--env=A=1', '-eB=2', 'web', '--', 'env'])
  })

  it('leaves a user-written -- alone', () => {
    assert.deepEqual(protectCommandArgs(['web', '--', 'ls'], flags), ['web', '--', 'ls'])
  })
})

describe('runtime/argv: run -p is --publish when its value is a port (as in docker compose)', () => {
  it('knows the short port syntax', () => {
    for (const spec of ['80', '8080:80', '127.0.0.1:8080:80', '127.0.0.1::80', '[::1]:8080:80', '8000-8010:80-90', '53/udp', '0.0.0.0:53:53/udp', ':80']) assert.ok(isPortSpec(spec), spec)
    for (const name of ['myapp', 'my-app_2', 'a1', '80a', '1.2.3:80', '80/http', '']) assert.ok(!isPortSpec(name), name)
  })

  it('rewrites -p PORT, -pPORT and -p=PORT before --; a project name stays', () => {
    assert.deepEqual(publishShortFlag(['-p', '8080:80', 'web', '--', 'sh']), ['--publish=8080:80', 'web', '--', 'sh'])
    assert.deepEqual(publishShortFlag(['-p8080:80', '-p=127.0.0.1::53/udp', 'web']), ['--publish=8080:80', '--publish=127.0.0.1::53/udp', 'web'])
    assert.deepEqual(publishShortFlag(['-p', 'myproj', '-p', '80', 'web']), ['-p', 'myproj', '--publish=80', 'web'])
    assert.deepEqual(publishShortFlag(['web', '--', 'nc', '-p', '80']), ['web', '--', 'nc', '-p', '80'])
    assert.deepEqual(publishShortFlag(['--project-name', 'x', '-e', 'A=1', 'web']), ['--project-name', 'x', '-e', 'A=1', 'web'])
  })
})
