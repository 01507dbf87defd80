/**
 * The kube client against a loopback API server made in the test (./api-server.ts): HTTPS with a
 * CA, server and client certificates made with openssl, or plain HTTP. Checks what goes over the
 * wire for apply (PATCH, application/apply-patch+yaml, fieldManager=berth, force=true, dryRun=All,
 * the object as body with its namespace), delete (one list per kind by the berth labels, workloads
 * first, claims only when asked) and how failures read (TLS, 401, 403, unreachable).
 */
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {applyObjects} from '../../../../src/plugins/kube/apply.js'
import {KubeClient} from '../../../../src/plugins/kube/client.js'
import {deleteProject} from '../../../../src/plugins/kube/delete.js'
import {loadClusterAccess, type ClusterAccess} from '../../../../src/plugins/kube/kubeconfig.js'
import type {KubeObject} from '../../../../src/plugins/kube/types.js'
import {makePki, startFakeApi, type FakeApi, type Pki} from './api-server.js'
import {convertFixture} from './fixture-support.js'

function kubeconfig(dir: string, name: string, cluster: Record<string, unknown>, user: Record<string, unknown>, namespace?: string): string {
  const file = join(dir, name)
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'test',
      clusters: [{name: 'test-cluster', cluster}],
      users: [{name: 'test-user', user}],
      contexts: [{name: 'test', context: {cluster: 'test-cluster', user: 'test-user', ...(namespace ? {namespace} : {})}}],
    }),
  )
  return file
}

async function withClient<T>(access: ClusterAccess, fn: (client: KubeClient) => Promise<T>): Promise<T> {
  const client = new KubeClient(access, {timeoutMs: 5000})
  try {
    return await fn(client)
  } finally {
    await client.close()
  }
}

describe('kube client against a loopback API server', function () {
  this.timeout(30_000)
  let pki: Pki
  let api: FakeApi

  before(async () => {
    pki = makePki()
    api = await startFakeApi(pki)
  })
  after(async () => {
    await api?.close()
    pki?.remove()
  })
  beforeEach(() => {
    api.requests.length = 0
    api.failures.length = 0
    api.objects.clear()
  })

  it('applies a converted project with server-side apply over TLS (CA data, bearer token), namespace first, workloads last', async () => {
    const {objects} = await convertFixture('namespace')
    const config = kubeconfig(pki.dir, 'token.yaml', {server: api.url, 'certificate-authority-data': Buffer.from(pki.caCert).toString('base64')}, {token: 'secret-token'})
    const access = await loadClusterAccess({kubeconfig: config})
    const lines: string[] = []
    await withClient(access, (client) => applyObjects(client, objects, {namespace: 'ignored-as-objects-have-one', report: (l) => lines.push(l)}))
    assert.deepEqual(
      api.requests.map((r) => `${r.method} ${r.path}`),
      [
        'PATCH /api/v1/namespaces/blog',
        'PATCH /api/v1/namespaces/blog/services/ghost',
        'PATCH /api/v1/namespaces/blog/services/mysql',
        'PATCH /apis/apps/v1/namespaces/blog/statefulsets/ghost',
        'PATCH /apis/apps/v1/namespaces/blog/statefulsets/mysql',
      ],
    )
    for (const r of api.requests) {
      assert.equal(r.contentType, 'application/apply-patch+yaml')
      assert.deepEqual(r.query, {fieldManager: 'berth', force: 'true'})
      assert.equal(r.authorization, 'Bearer secret-token')
    }
    const sent = JSON.parse(api.requests[3]!.body!) as KubeObject
    assert.deepEqual(sent, objects.find((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'ghost'))
    assert.deepEqual(lines, ['namespace/blog serverside-applied', 'service/ghost serverside-applied', 'service/mysql serverside-applied', 'statefulset.apps/ghost serverside-applied', 'statefulset.apps/mysql serverside-applied'])
  })

  it('puts objects without a namespace in the one given, and sends dryRun=All for --dry-run', async () => {
    const {objects} = await convertFixture('secrets-configs')
    const config = kubeconfig(pki.dir, 'ns.yaml', {server: api.url, 'certificate-authority-data': Buffer.from(pki.caCert).toString('base64')}, {token: 't'}, 'team')
    const access = await loadClusterAccess({kubeconfig: config})
    assert.equal(access.namespace, 'team')
    const lines: string[] = []
    await withClient(access, (client) => applyObjects(client, objects, {namespace: 'team', dryRun: true, report: (l) => lines.push(l)}))
    assert.deepEqual(
      api.requests.map((r) => r.path),
      [
        '/api/v1/namespaces/team/secrets/api-key',
        '/api/v1/namespaces/team/secrets/db-password',
        '/api/v1/namespaces/team/configmaps/app-config',
        '/api/v1/namespaces/team/configmaps/inline-conf',
        '/apis/apps/v1/namespaces/team/deployments/app',
        '/apis/apps/v1/namespaces/team/deployments/proxy',
      ],
    )
    assert.ok(api.requests.every((r) => r.query.dryRun === 'All'))
    const secret = JSON.parse(api.requests[1]!.body!) as {metadata: {namespace: string}; data: Record<string, string>}
    assert.equal(secret.metadata.namespace, 'team')
    assert.equal(Buffer.from(secret.data['db-password']!, 'base64').toString(), 'hunter2\n')
    assert.ok(lines.every((l) => l.endsWith('serverside-applied (server dry run)')))
  })

  it('authenticates with a client certificate and key from files named relative to the kubeconfig', async () => {
    writeFileSync(join(pki.dir, 'ca-file.crt'), pki.caCert)
    writeFileSync(join(pki.dir, 'client-file.crt'), pki.clientCert)
    writeFileSync(join(pki.dir, 'client-file.key'), pki.clientKey)
    const config = kubeconfig(pki.dir, 'cert.yaml', {server: api.url, 'certificate-authority': 'ca-file.crt'}, {'client-certificate': 'client-file.crt', 'client-key': 'client-file.key'})
    const access = await loadClusterAccess({kubeconfig: config})
    await withClient(access, (client) => client.list('/api/v1/namespaces/default/services', 'a=b'))
    assert.equal(api.requests[0]!.clientCert, 'O=system:masters,CN=berth-tester')
    assert.equal(api.requests[0]!.authorization, undefined)
    assert.deepEqual(api.requests[0]!.query, {labelSelector: 'a=b'})
  })

  it('refuses a server its CA did not sign, in one line naming the server; insecure-skip-tls-verify connects anyway', async () => {
    const wrong = kubeconfig(pki.dir, 'wrong-ca.yaml', {server: api.url, 'certificate-authority-data': Buffer.from(pki.otherCaCert).toString('base64')}, {token: 't'})
    await assert.rejects(
      withClient(await loadClusterAccess({kubeconfig: wrong}), (client) => client.list('/api/v1/namespaces/default/pods', 'x=y')),
      (error: Error & {code?: string}) => error.code === 'KUBE_TLS_FAILED' && error.message.startsWith(`TLS with the Kubernetes API at ${api.url} failed:`) && !error.message.includes('\n'),
    )
    assert.equal(api.requests.length, 0)
    const insecure = kubeconfig(pki.dir, 'insecure.yaml', {server: api.url, 'insecure-skip-tls-verify': true}, {token: 't'})
    assert.deepEqual(await withClient(await loadClusterAccess({kubeconfig: insecure}), (client) => client.list('/api/v1/namespaces/default/pods', 'x=y')), [])
  })

  it('turns the API\'s Status answers into one line: 403 with its message and an RBAC hint, 401 naming the context, and a failed apply names the object', async () => {
    const config = kubeconfig(pki.dir, 'err.yaml', {server: api.url, 'certificate-authority-data': Buffer.from(pki.caCert).toString('base64')}, {token: 't'})
    const access = await loadClusterAccess({kubeconfig: config})
    api.failures.push({match: /deployments/, status: 403, reason: 'Forbidden', message: 'deployments.apps "web" is forbidden: User "bob" cannot patch resource "deployments"'})
    const {objects} = await convertFixture('basic')
    await assert.rejects(withClient(access, (client) => applyObjects(client, objects, {namespace: 'default', report: () => {}})), (error: Error & {code?: string; hints?: string[]}) => {
      assert.equal(error.code, 'KUBE_APPLY_FAILED')
      assert.equal(error.message, 'deployment.apps/web: deployments.apps "web" is forbidden: User "bob" cannot patch resource "deployments"')
      assert.match(error.hints!.join(), /permission \(RBAC\)/)
      return true
    })
    api.failures.length = 0
    api.failures.push({match: /./, status: 401, reason: 'Unauthorized', message: 'Unauthorized'})
    await assert.rejects(withClient(access, (client) => client.list('/api/v1/namespaces/default/pods', 'x=y')), /did not accept the credentials of context test \(401 Unauthorized\)/)
  })

  it('deletes the project\'s objects found by the berth labels, workloads first, claims only with volumes', async () => {
    const labels = {'app.kubernetes.io/managed-by': 'berth', 'app.kubernetes.io/part-of': 'shop'}
    api.objects.set('/apis/apps/v1/namespaces/default/deployments', [{metadata: {name: 'web', labels}}, {metadata: {name: 'other', labels: {...labels, 'app.kubernetes.io/part-of': 'else'}}}])
    api.objects.set('/api/v1/namespaces/default/services', [{metadata: {name: 'web', labels}}])
    api.objects.set('/api/v1/namespaces/default/secrets', [{metadata: {name: 'pw', labels}}])
    api.objects.set('/api/v1/namespaces/default/persistentvolumeclaims', [{metadata: {name: 'data', labels}}])
    const config = kubeconfig(pki.dir, 'del.yaml', {server: api.url, 'certificate-authority-data': Buffer.from(pki.caCert).toString('base64')}, {token: 't'})
    const access = await loadClusterAccess({kubeconfig: config})
    const lines: string[] = []
    const count = await withClient(access, (client) => deleteProject(client, 'shop', {namespace: 'default', report: (l) => lines.push(l)}))
    assert.equal(count, 3)
    assert.deepEqual(lines, ['deployment.apps "web" deleted', 'service "web" deleted', 'secret "pw" deleted'])
    const lists = api.requests.filter((r) => r.method === 'GET')
    assert.equal(lists.length, 8, 'one list call per kind, claims left out')
    assert.ok(lists.every((r) => r.query.labelSelector === 'app.kubernetes.io/managed-by=berth,app.kubernetes.io/part-of=shop'))
    assert.ok(!lists.some((r) => r.path.endsWith('persistentvolumeclaims')))
    assert.deepEqual(
      api.requests.filter((r) => r.method === 'DELETE').map((r) => `${r.path}?${new URLSearchParams(r.query)}`),
      ['/apis/apps/v1/namespaces/default/deployments/web?propagationPolicy=Background', '/api/v1/namespaces/default/services/web?propagationPolicy=Background', '/api/v1/namespaces/default/secrets/pw?propagationPolicy=Background'],
    )
    lines.length = 0
    assert.equal(await withClient(access, (client) => deleteProject(client, 'shop', {namespace: 'default', volumes: true, report: (l) => lines.push(l)})), 1)
    assert.deepEqual(lines, ['persistentvolumeclaim "data" deleted'])
  })

  it('speaks plain HTTP to an http:// server, and says when nothing answers', async () => {
    const plain = await startFakeApi()
    try {
      const config = kubeconfig(pki.dir, 'http.yaml', {server: `${plain.url}/`}, {username: 'admin', password: 'pw'})
      const access = await loadClusterAccess({kubeconfig: config})
      assert.equal(access.server, plain.url)
      await withClient(access, (client) => client.apply('/api/v1/namespaces/default/configmaps/x', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'x'}}))
      assert.equal(plain.requests[0]!.authorization, `Basic ${Buffer.from('admin:pw').toString('base64')}`)
      assert.equal(plain.requests[0]!.method, 'PATCH')
    } finally {
      await plain.close()
    }
    const gone = kubeconfig(pki.dir, 'gone.yaml', {server: plain.url}, {token: 't'})
    await assert.rejects(withClient(await loadClusterAccess({kubeconfig: gone}), (client) => client.list('/api/v1/namespaces/default/pods', 'a=b')), (error: Error & {code?: string}) => error.code === 'KUBE_UNREACHABLE' && /ECONNREFUSED/.test(error.message))
  })
})
