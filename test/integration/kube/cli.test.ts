/**
 * `berth kube convert/apply/delete` through the built CLI (`npm run build` first): the golden
 * manifests on stdout, warnings on stderr, -o DIR; apply and delete against a loopback API server
 * (plain HTTP, KUBECONFIG pointing at it); bad input as one `error:` line (and hints), non-zero exit,
 * no stack trace; a secret's content only ever in the request body.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {startFakeApi, type FakeApi} from '../../unit/plugins/kube/api-server.js'

const REPO = resolve(fileURLToPath(import.meta.url), '../../../..')
const BIN = join(REPO, 'bin', 'run.js')
const FIXTURES = join(REPO, 'fixtures', 'kube')

interface Result {
  status: number
  stdout: string
  stderr: string
}

describe('berth kube (built CLI)', function () {
  this.timeout(60_000)
  let dir: string
  let env: NodeJS.ProcessEnv

  /** Runs the CLI without blocking this process, which serves the loopback API. */
  function berth(args: string[], extra: NodeJS.ProcessEnv = {}, cwd = dir): Promise<Result> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {cwd, env: {...env, ...extra}, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000})
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
      child.on('error', reject)
      child.on('close', (code) => resolve({status: code ?? -1, stdout, stderr}))
    })
  }

  /** A user error: non-zero, `error: <message>` first, nothing but hints after it, no stack. */
  function oneLine(r: Result, message: RegExp): void {
    assert.notEqual(r.status, 0, r.stderr)
    const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('warning: '))
    assert.match(lines[0]!, /^error: /)
    assert.match(lines[0]!, message)
    assert.ok(lines.slice(1).every((l) => l.startsWith('hint: ')), r.stderr)
    assert.doesNotMatch(r.stderr, /^\s+at /m)
  }

  before(() => {
    if (!existsSync(join(REPO, 'dist', 'plugins', 'kube', 'register.js'))) throw new Error('build first: npm run build')
    dir = mkdtempSync(join(tmpdir(), 'berth-kube-cli-'))
    env = {PATH: process.env.PATH, HOME: dir, NO_COLOR: '1'}
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('convert prints the golden manifests on stdout and the warnings on stderr', async () => {
    const r = await berth(['kube', 'convert', '-f', join(FIXTURES, 'basic', 'compose.yaml'), '--with-kompose-annotation=false'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout, readFileSync(join(FIXTURES, 'basic', 'expected.yaml'), 'utf8'))
    assert.equal(r.stderr, readFileSync(join(FIXTURES, 'basic', 'warnings.txt'), 'utf8').replace(/^/gm, 'warning: ').replace(/warning: $/, ''))
  })

  it('convert -o DIR writes one <name>-<kind>.yaml per object; -o FILE.yaml one stream; annotations name the command', async () => {
    const out = join(dir, 'k8s')
    const r = await berth(['kube', 'convert', '-f', join(FIXTURES, 'controllers', 'compose.yaml'), '-o', out])
    assert.equal(r.status, 0, r.stderr)
    assert.deepEqual(readdirSync(out).sort(), ['agent-daemonset.yaml', 'db-service.yaml', 'db-statefulset.yaml', 'logs-daemonset.yaml'])
    assert.match(r.stderr, new RegExp(`^Kubernetes file "${out}/db-service.yaml" created$`, 'm'))
    const statefulSet = readFileSync(join(out, 'db-statefulset.yaml'), 'utf8')
    assert.match(statefulSet, /^ {4}kompose\.cmd: berth kube convert$/m)
    assert.match(statefulSet, /^ {4}kompose\.version: berth \d+\.\d+\.\d+$/m)
    const file = join(dir, 'all.yaml')
    assert.equal((await berth(['kube', 'convert', '-f', join(FIXTURES, 'controllers', 'compose.yaml'), '-o', file])).status, 0)
    assert.equal(readFileSync(file, 'utf8').split(/^---$/m).length - 1, 4)
  })

  it('bad input is one error line and a non-zero exit, before anything is written', async () => {
    oneLine(await berth(['kube', 'convert', '-f', join(dir, 'absent.yaml')]), /absent\.yaml: Compose file not found/)
    writeFileSync(join(dir, 'broken.yaml'), 'services:\n  web:\n    image: nginx\n    ports: 80\n')
    const broken = await berth(['kube', 'convert', '-f', join(dir, 'broken.yaml')])
    assert.notEqual(broken.status, 0)
    assert.match(broken.stderr, /^error: .*ports/m)
    assert.equal(broken.stdout, '')
    oneLine(await berth(['kube', 'convert', '-f', join(FIXTURES, 'basic', 'compose.yaml'), '--controller', 'job']), /Expected --controller=job to be one of: deployment, statefulset, daemonset/)
    writeFileSync(join(dir, 'label.yaml'), 'services:\n  web:\n    image: nginx\n    ports: ["80"]\n    labels: {kompose.service.type: ingress}\n')
    const label = await berth(['kube', 'convert', '-f', join(dir, 'label.yaml'), '-o', join(dir, 'never')])
    oneLine(label, /service web: label kompose.service.type "ingress" must be one of/)
    assert.equal(existsSync(join(dir, 'never')), false)
    oneLine(await berth(['kube', 'apply', '-f', join(FIXTURES, 'basic', 'compose.yaml')], {KUBECONFIG: join(dir, 'none.yaml')}), /no kubeconfig found/)
  })

  describe('apply and delete against a loopback API server', () => {
    let api: FakeApi
    let kubeconfig: string
    before(async () => {
      api = await startFakeApi()
      kubeconfig = join(dir, 'kubeconfig')
      writeFileSync(
        kubeconfig,
        `apiVersion: v1\nkind: Config\ncurrent-context: lab\nclusters:\n  - name: lab\n    cluster: {server: "${api.url}"}\nusers:\n  - name: me\n    user: {token: t0k3n}\ncontexts:\n  - name: lab\n    context: {cluster: lab, user: me, namespace: shop}\n`,
      )
    })
    after(() => api?.close())

    it('apply sends every object with server-side apply and prints one kubectl-style line each; the secret stays out of the output', async () => {
      const r = await berth(['kube', 'apply', '-f', join(FIXTURES, 'secrets-configs', 'compose.yaml'), '--debug'], {KUBECONFIG: kubeconfig})
      assert.equal(r.status, 0, r.stderr)
      assert.deepEqual(r.stdout.trimEnd().split('\n'), [
        'secret/api-key serverside-applied',
        'secret/db-password serverside-applied',
        'configmap/app-config serverside-applied',
        'configmap/inline-conf serverside-applied',
        'deployment.apps/app serverside-applied',
        'deployment.apps/proxy serverside-applied',
      ])
      assert.match(r.stderr, /^debug: PATCH \/api\/v1\/namespaces\/shop\/secrets\/db-password 200 \d+ms$/m)
      for (const secret of ['hunter2', Buffer.from('hunter2\n').toString('base64'), 'k-123']) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${secret} printed`)
      }
      assert.equal(api.requests.length, 6)
      assert.ok(api.requests.every((q) => q.method === 'PATCH' && q.contentType === 'application/apply-patch+yaml' && q.query.fieldManager === 'berth' && q.query.force === 'true' && q.authorization === 'Bearer t0k3n'))
      assert.ok(api.requests[1]!.body!.includes(Buffer.from('hunter2\n').toString('base64')))
    })

    it('apply --dry-run and --namespace: dryRun=All, the Namespace first', async () => {
      api.requests.length = 0
      const r = await berth(['kube', 'apply', '-f', join(FIXTURES, 'basic', 'compose.yaml'), '--dry-run', '-n', 'staging'], {KUBECONFIG: kubeconfig})
      assert.equal(r.status, 0, r.stderr)
      assert.equal(r.stdout.split('\n')[0], 'namespace/staging serverside-applied (server dry run)')
      assert.deepEqual(api.requests.map((q) => q.path), ['/api/v1/namespaces/staging', '/api/v1/namespaces/staging/services/web', '/apis/apps/v1/namespaces/staging/deployments/web', '/apis/apps/v1/namespaces/staging/deployments/worker'])
      assert.ok(api.requests.every((q) => q.query.dryRun === 'All'))
    })

    it('delete removes what the labels find, workloads first, and says when there is nothing', async () => {
      api.requests.length = 0
      const labels = {'app.kubernetes.io/managed-by': 'berth', 'app.kubernetes.io/part-of': 'shop'}
      api.objects.set('/apis/apps/v1/namespaces/shop/deployments', [{metadata: {name: 'web', labels}}])
      api.objects.set('/api/v1/namespaces/shop/services', [{metadata: {name: 'web', labels}}])
      const r = await berth(['kube', 'delete', '-f', join(FIXTURES, 'basic', 'compose.yaml')], {KUBECONFIG: kubeconfig})
      assert.equal(r.status, 0, r.stderr)
      assert.equal(r.stdout, 'deployment.apps "web" deleted\nservice "web" deleted\n')
      const again = await berth(['kube', 'delete', '-f', join(FIXTURES, 'basic', 'compose.yaml')], {KUBECONFIG: kubeconfig})
      assert.equal(again.status, 0)
      assert.equal(again.stderr, 'No resources found in shop namespace.\n')
      // -p alone, where there is no Compose file (as docker compose down -p NAME)
      api.objects.set('/api/v1/namespaces/shop/secrets', [{metadata: {name: 'pw', labels}}])
      const byName = await berth(['kube', 'delete', '-p', 'shop'], {KUBECONFIG: kubeconfig})
      assert.equal(byName.status, 0, byName.stderr)
      assert.equal(byName.stdout, 'secret "pw" deleted\n')
    })

    it('an unknown --context is one line listing the contexts', async () => {
      oneLine(await berth(['kube', 'apply', '-f', join(FIXTURES, 'basic', 'compose.yaml'), '--context', 'prod'], {KUBECONFIG: kubeconfig}), /context "prod" is not in kubeconfig/)
    })
  })
})
