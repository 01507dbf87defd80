/**
 * Every canonical-output fixture (fixtures/compose/<feature>/) loaded by Berth's loader must print
 * its expected.json, the document docker compose v5 printed for it (key order aside). Needs no
 * peer tool: test/conformance/compose-config.test.ts re-checks expected.json against the oracle.
 */
import assert from 'node:assert/strict'
import {listFixtures, readExpected, runBerth} from './normalize/fixture-support.js'

describe('compose fixtures: loadProject prints expected.json', function () {
  this.timeout(20_000)
  for (const fixture of listFixtures()) {
    it(fixture.name, async () => {
      assert.deepStrictEqual(await runBerth(fixture), readExpected(fixture))
    })
  }
})
