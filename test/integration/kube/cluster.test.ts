/**
 * `berth kube apply` / `kube delete` against a real cluster — only when KUBECONFIG is set (this
 * machine has none, so the suite says why and skips; BERTH_SKIP_KUBE=1 skips on purpose). In a
 * namespace of its own: the basic fixture is applied with --dry-run (nothing made), then for real
 * (the API server accepts every object, a second apply changes nothing), then deleted (nothing of
 * the project is left), and the namespace is removed whatever fails.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {KubeClient} from '../../../src/plugins/kube/client.js'
import {loadClusterAccess} from '../../../src/plugins/kube/kubeconfig.js'
import {collectionPath, DELETE_ORDER} from '../../../src/plugins/kube/resources.js'
import {projectSelector} from '../../../src/plugins/kube/types.js'

const REPO = resolve(fileURLToPath(import.meta.url), '../../../..')
const BIN = join(REPO, 'bin', 'run.js')
const COMPOSE = join(REPO, 'fixtures', 'kube', 'basic', 'compose.yaml')

function berth(args: string[]): Promise<{status: number; stdout: string; stderr: string}> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {env: process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', fail)
    child.on('close', (code) => done({status: code ?? -1, stdout, stderr}))
  })
}

describe('berth kube on a real cluster (KUBECONFIG)', function () {
  this.timeout(180_000)
  const namespace = `berth-test-${process.pid}`
  let client: KubeClient | undefined

  before(async function () {
    if (process.env.BERTH_SKIP_KUBE === '1') {
      console.log('    (skipped: BERTH_SKIP_KUBE=1)')
      this.skip()
    }
    if (!process.env.KUBECONFIG) {
      console.log('    (skipped: KUBECONFIG is not set, so there is no cluster to apply to)')
      this.skip()
    }
    client = new KubeClient(await loadClusterAccess(), {timeoutMs: 30_000})
  })
  after(async () => {
    if (!client) return
    await client.delete(`/api/v1/namespaces/${namespace}`).catch(() => undefined)
    await client.close()
  })

  async function projectObjects(): Promise<string[]> {
    const found: string[] = []
    for (const kind of DELETE_ORDER) for (const o of await client!.list<{metadata: {name: string}}>(collectionPath(kind, namespace), projectSelector('shop'))) found.push(`${kind}/${o.metadata.name}`)
    return found.sort()
  }

  it('apply --dry-run makes nothing; apply makes every object; a second apply changes no generation; delete leaves nothing', async () => {
    const dry = await berth(['kube', 'apply', '-f', COMPOSE, '-n', namespace, '--dry-run'])
    assert.equal(dry.status, 0, dry.stderr)
    const applied = await berth(['kube', 'apply', '-f', COMPOSE, '-n', namespace])
    assert.equal(applied.status, 0, applied.stderr)
    assert.deepEqual(await projectObjects(), ['Deployment/web', 'Deployment/worker', 'Service/web'])
    const generation = async () => (await client!.request<{metadata: {generation: number}}>('GET', `/apis/apps/v1/namespaces/${namespace}/deployments/web`)).body!.metadata.generation
    const before = await generation()
    assert.equal((await berth(['kube', 'apply', '-f', COMPOSE, '-n', namespace])).status, 0)
    assert.equal(await generation(), before)
    const deleted = await berth(['kube', 'delete', '-f', COMPOSE, '-n', namespace])
    assert.equal(deleted.status, 0, deleted.stderr)
    assert.deepEqual(await projectObjects(), [])
  })
})
