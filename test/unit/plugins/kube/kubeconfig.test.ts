/**
 * kubeconfig as kubectl reads it: --kubeconfig, else KUBECONFIG's files (first definition of a name
 * wins, missing files skipped), else ~/.kube/config; --context over current-context; credentials
 * and TLS material inline or from files relative to the kubeconfig. Where kubectl is installed,
 * its own reading of the same files (`kubectl config view --minify`) is the oracle.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {kubeconfigFiles, loadClusterAccess} from '../../../../src/plugins/kube/kubeconfig.js'

const first = `apiVersion: v1
kind: Config
current-context: dev
clusters:
  - name: dev
    cluster: {server: "https://dev.example:6443/", insecure-skip-tls-verify: true}
  - name: shared
    cluster: {server: "https://first.example:6443", tls-server-name: api.internal}
users:
  - name: dev
    user: {token: dev-token}
contexts:
  - name: dev
    context: {cluster: dev, user: dev, namespace: dev-ns}
  - name: shared
    context: {cluster: shared, user: dev}
`
const second = `apiVersion: v1
kind: Config
current-context: prod
clusters:
  - name: shared
    cluster: {server: "https://second.example:6443"}
  - name: prod
    cluster: {server: "https://prod.example", certificate-authority: certs/ca.pem}
users:
  - name: prod
    user: {tokenFile: token.txt}
  - name: robot
    user:
      exec: {command: aws-iam-authenticator, apiVersion: client.authentication.k8s.io/v1beta1}
contexts:
  - name: prod
    context: {cluster: prod, user: prod}
  - name: robot
    context: {cluster: prod, user: robot}
`

describe('kube: kubeconfig', () => {
  let dir: string
  let env: Record<string, string>
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-kubeconfig-'))
    mkdirSync(join(dir, 'b', 'certs'), {recursive: true})
    writeFileSync(join(dir, 'a.yaml'), first)
    writeFileSync(join(dir, 'b', 'config'), second)
    writeFileSync(join(dir, 'b', 'certs', 'ca.pem'), 'CA PEM')
    writeFileSync(join(dir, 'b', 'token.txt'), 'file-token\n')
    env = {KUBECONFIG: [join(dir, 'missing.yaml'), join(dir, 'a.yaml'), join(dir, 'b', 'config')].join(delimiter)}
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('merges KUBECONFIG files: current-context and each name from the first file that has it, missing files skipped', async () => {
    const access = await loadClusterAccess({env})
    assert.equal(access.context, 'dev')
    assert.equal(access.server, 'https://dev.example:6443')
    assert.equal(access.namespace, 'dev-ns')
    assert.equal(access.tls.insecure, true)
    assert.equal(access.authorization, 'Bearer dev-token')
    const shared = await loadClusterAccess({env, context: 'shared'})
    assert.equal(shared.server, 'https://first.example:6443')
    assert.equal(shared.tls.servername, 'api.internal')
    assert.equal(shared.namespace, undefined)
  })

  it('reads tokenFile and certificate-authority relative to the file that names them', async () => {
    const access = await loadClusterAccess({env, context: 'prod'})
    assert.equal(access.server, 'https://prod.example')
    assert.equal(access.authorization, 'Bearer file-token')
    assert.equal(access.tls.ca?.toString(), 'CA PEM')
    assert.equal(access.tls.insecure, false)
  })

  it('--kubeconfig wins over KUBECONFIG and must exist; ~/.kube/config is the default', async () => {
    assert.deepEqual(kubeconfigFiles({kubeconfig: join(dir, 'a.yaml'), env}), [{file: join(dir, 'a.yaml'), required: true}])
    assert.deepEqual(kubeconfigFiles({env: {}, home: '/home/me'}), [{file: '/home/me/.kube/config', required: false}])
    await assert.rejects(loadClusterAccess({kubeconfig: join(dir, 'nope.yaml'), env}), /^UserInputError: cannot read kubeconfig .*nope\.yaml: no such file$/)
    await assert.rejects(loadClusterAccess({env: {}, home: dir}), (e: Error & {hints: string[]}) => /^no kubeconfig found \(looked at .*\.kube\/config\)$/.test(e.message) && /KUBECONFIG/.test(e.hints[0]!))
  })

  it('says which contexts exist when --context names none of them, and refuses exec plugins in one line', async () => {
    await assert.rejects(loadClusterAccess({env, context: 'staging'}), (e: Error & {hints: string[]}) => e.message.startsWith('context "staging" is not in kubeconfig') && e.hints[0] === 'contexts: dev, shared, prod, robot')
    await assert.rejects(loadClusterAccess({env, context: 'robot'}), /user "robot" authenticates with an exec plugin \(aws-iam-authenticator\), which Berth does not run yet/)
  })

  it('agrees with kubectl config view --minify on server, namespace and token (when kubectl is installed)', function () {
    const probe = spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'})
    if (probe.error || probe.status !== 0) this.skip()
    return (async () => {
      for (const context of ['dev', 'shared', 'prod']) {
        const r = spawnSync('kubectl', ['config', 'view', '--minify', '--raw', '-o', 'json', '--context', context], {encoding: 'utf8', env: {...process.env, ...env}})
        assert.equal(r.status, 0, r.stderr)
        const view = JSON.parse(r.stdout) as {clusters: Array<{cluster: {server: string}}>; contexts: Array<{context: {namespace?: string}}>; users: Array<{user: {token?: string}}>}
        const access = await loadClusterAccess({env, context})
        assert.equal(access.server, view.clusters[0]!.cluster.server.replace(/\/+$/, ''), context)
        assert.equal(access.namespace, view.contexts[0]!.context.namespace, context)
        if (view.users[0]!.user.token) assert.equal(access.authorization, `Bearer ${view.users[0]!.user.token}`, context)
      }
    })()
  })
})
