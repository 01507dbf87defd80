/**
 * `berth config --format json` against docker compose v5 (built by scripts/peers.sh) on every
 * canonical-output fixture: the oracle must still print the checked-in expected.json, and Berth
 * must print the same document (key order aside), in JSON and in YAML. UPDATE_EXPECTED=1 rewrites expected.json from
 * the oracle.
 */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {listFixtures, oracleAvailable, readExpected, runBerth, runOracle} from '../unit/compose/normalize/fixture-support.js'

describe('berth config matches docker compose v5 config', function () {
  this.timeout(30_000)
  const fixtures = listFixtures()

  it('has at least 40 canonical fixtures', () => {
    assert.ok(fixtures.length >= 40, `only ${fixtures.length} fixtures`)
  })

  for (const fixture of fixtures) {
    it(fixture.name, async function () {
      if (!oracleAvailable()) this.skip() // docker compose v5 is not built here: run scripts/peers.sh
      const oracle = await runOracle(fixture)
      if (process.env.UPDATE_EXPECTED === '1') writeFileSync(fixture.expectedPath, `${JSON.stringify(oracle, null, 2)}\n`)
      assert.deepStrictEqual(oracle, readExpected(fixture), 'the oracle no longer prints expected.json')
      assert.deepStrictEqual(await runBerth(fixture), oracle)
      assert.deepStrictEqual(await runBerth(fixture, 'yaml'), await runOracle(fixture, 'yaml'), 'the YAML document differs')
    })
  }
})
