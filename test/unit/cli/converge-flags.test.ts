/** The flag checks of up/create (one line each, as docker compose v5 words them) and SERVICE=NUM parsing. */
import {strict as assert} from 'node:assert'
import {checkFlags, flagConflict, imageOptions, parseScale} from '../../../src/cli/converge-flags.js'
import {UserInputError} from '../../../src/errors.js'

describe('cli/converge-flags', () => {
  it('names the first pair of flags that cannot go together', () => {
    assert.equal(flagConflict({'force-recreate': true, 'no-recreate': true}), '--force-recreate and --no-recreate are incompatible')
    assert.equal(flagConflict({'always-recreate-deps': true, 'no-recreate': true}), '--always-recreate-deps and --no-recreate are incompatible')
    assert.equal(flagConflict({'renew-anon-volumes': true, 'no-recreate': true}), '--renew-anon-volumes and --no-recreate are incompatible')
    assert.equal(flagConflict({build: true, 'no-build': true}), '--build and --no-build are incompatible')
    assert.equal(flagConflict({pull: 'build', 'no-build': true}), '--pull build and --no-build are incompatible')
    assert.equal(flagConflict({'abort-on-container-failure': true, 'abort-on-container-exit': true}), '--abort-on-container-failure cannot be combined with --abort-on-container-exit')
    assert.equal(flagConflict({attach: ['web'], 'attach-dependencies': true}), '--attach cannot be combined with --attach-dependencies')
  })

  it('flags that need attached logs are refused with -d and --wait', () => {
    assert.equal(flagConflict({detach: true, 'abort-on-container-failure': true}), '--detach cannot be combined with --abort-on-container-failure (it needs the logs attached)')
    assert.equal(flagConflict({detach: true, 'abort-on-container-exit': true}), '--detach cannot be combined with --abort-on-container-exit (it needs the logs attached)')
    assert.equal(flagConflict({wait: true, 'exit-code-from': 'tests'}), '--wait cannot be combined with --exit-code-from (it needs the logs attached)')
    assert.equal(flagConflict({detach: true, attach: ['web']}), '--detach cannot be combined with --attach (it needs the logs attached)')
    // An empty --attach list is not given.
    assert.equal(flagConflict({detach: true, attach: [], 'attach-dependencies': false}), undefined)
  })

  it('allows what compose allows', () => {
    assert.equal(flagConflict({}), undefined)
    assert.equal(flagConflict({detach: true, 'force-recreate': true, 'always-recreate-deps': true, 'renew-anon-volumes': true, build: true}), undefined)
    assert.equal(flagConflict({'exit-code-from': 'tests', 'abort-on-container-failure': true}), undefined)
    assert.equal(flagConflict({wait: true, detach: true}), undefined)
    assert.equal(flagConflict({pull: 'always', 'no-build': true}), undefined)
  })

  it('checkFlags throws the conflict as one user error', () => {
    assert.throws(() => checkFlags({'force-recreate': true, 'no-recreate': true}), (e: unknown) => e instanceof UserInputError && e.code === 'FLAG_CONFLICT' && !e.message.includes('\n'))
    assert.doesNotThrow(() => checkFlags({detach: true}))
  })

  it('parses SERVICE=NUM and refuses anything else with an example', () => {
    assert.deepEqual(parseScale(['web=3', 'worker=0', 'web=2']), {web: 2, worker: 0})
    assert.deepEqual(parseScale([]), {})
    for (const bad of ['web', 'web=', '=3', 'web=x', 'web=-1', 'web=1.5']) {
      assert.throws(() => parseScale([bad]), (e: unknown) => e instanceof UserInputError && e.code === 'BAD_SCALE' && e.message === `--scale "${bad}": expected SERVICE=NUMBER`, bad)
    }
    assert.throws(() => parseScale(['web'], 'scale argument', '`berth scale web=3`'), (e: unknown) => e instanceof UserInputError && e.message === 'scale argument "web": expected SERVICE=NUMBER' && e.hints[0] === 'for example `berth scale web=3`')
  })

  it('--pull build builds; --pull policies pass through; --no-build', () => {
    assert.deepEqual(imageOptions({pull: 'build'}), {pull: undefined, build: true, noBuild: false})
    assert.deepEqual(imageOptions({pull: 'never', 'no-build': true}), {pull: 'never', build: false, noBuild: true})
    assert.deepEqual(imageOptions({build: true}), {pull: undefined, build: true, noBuild: false})
  })
})
