/**
 * Project -> stack plan for every fixture in fixtures/swarm/: the networks, secrets, configs and
 * service specs `berth stack deploy` would send (stack "stack"), against the golden file
 * fixtures/swarm/<fixture>/plan.json. Secret and config contents are not part of a plan.
 * Regenerate after a deliberate change with UPDATE_GOLDEN=1 (then read the diff).
 * test/conformance/swarm-stack.test.ts checks the same fixtures against `docker stack deploy`.
 */
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {SWARM_FIXTURES, planOf, swarmFixtures} from './fixture-support.js'

describe('swarm: Project -> stack plan (golden files in fixtures/swarm)', function () {
  this.timeout(20_000)
  for (const fixture of swarmFixtures()) {
    it(fixture, async () => {
      const golden = join(SWARM_FIXTURES, fixture, 'plan.json')
      const actual = await planOf(fixture)
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, JSON.stringify(actual, null, 2) + '\n')
      assert.deepStrictEqual(actual, JSON.parse(readFileSync(golden, 'utf8')))
    })
  }
})
