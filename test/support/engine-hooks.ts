/**
 * Mocha root hooks for integration suites:
 *
 *   npx mocha --timeout 180000 --require test/support/engine-hooks.ts 'test/integration/**\/*.test.ts'
 *
 * Before all tests: start one private dockerd for the run (or reuse BERTH_TEST_DOCKER_HOST), build
 * the busybox base image in it, and point DOCKER_HOST at it (DOCKER_CONTEXT and TLS variables are
 * cleared so nothing else wins). After all tests: stop the daemon and remove its files.
 * Tests get the engine with `testEngine()` or simply `EngineClient.fromEnvironment()`.
 */
import {EngineClient} from '../../src/engine/index.js'
import {ensureBaseImage} from './base-image.js'
import {startPrivateDockerd, type TestEngine} from './private-dockerd.js'

let current: TestEngine | undefined

/** The engine of this test run (throws when the hooks were not loaded). */
export function testEngine(): TestEngine {
  if (!current) throw new Error('no test engine: run mocha with --require test/support/engine-hooks.ts')
  return current
}

/** A fresh client for the test engine; close it in an after() hook. */
export function testClient(): EngineClient {
  return EngineClient.forHost(testEngine().host)
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(180_000)
    current = await startPrivateDockerd()
    for (const name of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION']) delete process.env[name]
    process.env.DOCKER_HOST = current.host
    const client = EngineClient.forHost(current.host)
    try {
      await ensureBaseImage(client)
    } finally {
      await client.close()
    }
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000)
    const engine = current
    current = undefined
    await engine?.stop()
  },
}
