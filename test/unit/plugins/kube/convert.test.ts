/** Project -> Kubernetes objects: details the fixtures do not show, and what is refused (one line, before anything is printed or sent). */
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadProject} from '../../../../src/compose/index.js'
import {UserInputError} from '../../../../src/errors.js'
import {convertProject, type Conversion, type ConvertOptions} from '../../../../src/plugins/kube/convert/project.js'
import {cpuQuantity, memoryQuantity} from '../../../../src/plugins/kube/convert/units.js'
import {execCommand, shellWords} from '../../../../src/plugins/kube/convert/probes.js'
import {readFileContents} from '../../../../src/plugins/kube/files.js'
import {fileNameOf, toYamlStream, writeManifestFiles} from '../../../../src/plugins/kube/output.js'
import type {IDeployment, IPod, KubeObject} from '../../../../src/plugins/kube/types.js'
import {validateObjects} from '../../../../src/plugins/kube/validate.js'

describe('kube: converting a project', function () {
  this.timeout(20_000)
  let dir: string
  before(() => (dir = mkdtempSync(join(tmpdir(), 'berth-kube-convert-'))))
  after(() => rmSync(dir, {recursive: true, force: true}))

  async function convert(yaml: string, options: ConvertOptions = {withKomposeAnnotation: false}): Promise<Conversion> {
    writeFileSync(join(dir, 'compose.yaml'), yaml)
    const {project} = await loadProject({files: [join(dir, 'compose.yaml')], projectName: 'p', cwd: dir, env: {FROM_SHELL: 'shell value'}})
    return convertProject(project!, options, await readFileContents(project!))
  }
  const find = <T extends KubeObject>(c: Conversion, kind: string, name: string) => c.objects.find((o) => o.kind === kind && o.metadata?.name === name) as T
  const container = (c: Conversion, name: string) => find<IDeployment>(c, 'Deployment', name).spec!.template.spec!.containers[0]!

  async function refused(yaml: string, message: RegExp, options?: ConvertOptions): Promise<void> {
    await assert.rejects(convert(yaml, options), (error: unknown) => {
      assert.ok(error instanceof UserInputError, String(error))
      assert.match(error.message, message)
      assert.ok(!error.message.includes('\n'), 'one line')
      return true
    })
  }

  it('writes quantities as Kubernetes does: binary units when they divide, millicores', () => {
    assert.equal(memoryQuantity('s', 'f', '512m'), '512Mi')
    assert.equal(memoryQuantity('s', 'f', '1.5g'), '1536Mi')
    assert.equal(memoryQuantity('s', 'f', 1000), '1000')
    assert.equal(memoryQuantity('s', 'f', '2k'), '2Ki')
    assert.equal(cpuQuantity('s', 'f', '0.5'), '500m')
    assert.equal(cpuQuantity('s', 'f', 2), '2')
    assert.equal(cpuQuantity('s', 'f', '0.001'), '1m')
    assert.throws(() => cpuQuantity('web', 'deploy.resources.limits.cpus', 'lots'), /service web: deploy.resources.limits.cpus "lots" is not a number of CPUs/)
  })

  it('runs CMD-SHELL tests through /bin/sh -c, CMD as written, and no probe for NONE; label commands split like a shell', () => {
    assert.deepEqual(execCommand(['CMD-SHELL', 'curl -f http://x || exit 1']), ['/bin/sh', '-c', 'curl -f http://x || exit 1'])
    assert.deepEqual(execCommand(['CMD', 'pg_isready', '-U', 'me']), ['pg_isready', '-U', 'me'])
    assert.equal(execCommand(['NONE']), undefined)
    assert.deepEqual(shellWords(`echo "a b" 'c d' e\\ f`), ['echo', 'a b', 'c d', 'e f'])
  })

  it('takes a variable without a value from the environment Berth loaded with, and leaves out one that is unset, with a warning', async () => {
    const c = await convert('services:\n  a:\n    image: busybox\n    environment: [FROM_SHELL, NOT_SET, SET=1]\n')
    assert.deepEqual(container(c, 'a').env, [{name: 'FROM_SHELL', value: 'shell value'}, {name: 'SET', value: '1'}])
    assert.deepEqual(c.warnings, ['service a: environment NOT_SET has no value and is not set here - left out', `Service "a" won't be created because 'ports' is not specified`])
  })

  it('--replicas wins over deploy.replicas; --controller daemonset drops replicas; a global service under --controller deployment warns', async () => {
    const yaml = 'services:\n  a:\n    image: busybox\n    deploy: {replicas: 4}\n  g:\n    image: busybox\n    deploy: {mode: global}\n'
    assert.equal(find<IDeployment>(await convert(yaml, {replicas: 2}), 'Deployment', 'a').spec!.replicas, 2)
    const ds = await convert(yaml, {controller: 'daemonset'})
    assert.deepEqual(ds.objects.map((o) => `${o.kind}/${o.metadata?.name}`), ['DaemonSet/a', 'DaemonSet/g'])
    const dep = await convert(yaml, {controller: 'deployment'})
    assert.ok(dep.warnings.includes('Global deploy mode service is best converted to daemonset, now it convert to deployment'))
    await refused(yaml, /--replicas must be a whole number of at least 0, got -1/, {replicas: -1})
  })

  it('a restart: no service under an explicit controller runs with Always, saying so (a Deployment cannot do otherwise)', async () => {
    const c = await convert('services:\n  job:\n    image: busybox\n    restart: "no"\n', {controller: 'deployment'})
    assert.equal(find<IDeployment>(c, 'Deployment', 'job').spec!.template.spec!.restartPolicy, 'Always')
    assert.ok(c.warnings.includes('service job: a Deployment always restarts its pods: restart policy Never becomes Always'))
    const pod = await convert('services:\n  job:\n    image: busybox\n    restart: "no"\n')
    assert.equal(find<IPod>(pod, 'Pod', 'job').spec!.restartPolicy, 'Never')
  })

  it('adds kompose.cmd and kompose.version by default and keeps the kompose.* labels; --with-kompose-annotation=false drops them all', async () => {
    const yaml = 'services:\n  a:\n    image: busybox\n    ports: ["80"]\n    labels: {kompose.service.type: nodeport, team: x}\n'
    const on = await convert(yaml, {command: 'berth kube convert', version: 'berth 9'})
    assert.deepEqual(find(on, 'Service', 'a').metadata!.annotations, {'kompose.cmd': 'berth kube convert', 'kompose.service.type': 'nodeport', 'kompose.version': 'berth 9', team: 'x'})
    const off = await convert(yaml, {withKomposeAnnotation: false})
    assert.deepEqual(find(off, 'Service', 'a').metadata!.annotations, {team: 'x'})
    assert.equal((find(off, 'Service', 'a') as {spec: {type: string}}).spec.type, 'NodePort')
  })

  it('labels every object for berth kube delete, and leaves the selector to io.kompose.service alone', async () => {
    const c = await convert('services:\n  a:\n    image: busybox\n    ports: ["80"]\n    deploy: {labels: {tier: web}}\n')
    for (const o of c.objects) {
      assert.equal(o.metadata!.labels!['app.kubernetes.io/managed-by'], 'berth')
      assert.equal(o.metadata!.labels!['app.kubernetes.io/part-of'], 'p')
    }
    const d = find<IDeployment>(c, 'Deployment', 'a')
    assert.deepEqual(d.spec!.selector.matchLabels, {'io.kompose.service': 'a'})
    assert.equal(d.metadata!.labels!.tier, 'web')
  })

  it('refuses names Kubernetes cannot take and two services that would share one', async () => {
    await refused('services:\n  web_app:\n    image: busybox\n  web.app:\n    image: busybox\n', /services "web.app" and "web_app" would both be named "web-app" in Kubernetes/)
    await refused('services:\n  "1st":\n    image: busybox\n', /service "1st" cannot be named in Kubernetes: "1st" is not a DNS label/)
    await refused('services:\n  a:\n    image: busybox\n', /namespace "Bad_NS" is not a DNS label/, {namespace: 'Bad_NS'})
  })

  it('refuses a bad kompose label value with the service and label named', async () => {
    await refused('services:\n  a:\n    image: busybox\n    labels: {kompose.service.type: ingress}\n    ports: ["80"]\n', /service a: label kompose.service.type "ingress" must be one of clusterip, nodeport, loadbalancer, headless/)
    await refused('services:\n  a:\n    image: busybox\n    labels: {kompose.volume.size: lots}\n    volumes: [d:/d]\nvolumes:\n  d: {}\n', /service a: label kompose.volume.size: "lots" is not a Kubernetes quantity/)
    await refused('services:\n  a:\n    image: busybox\n    labels: {kompose.controller.type: job}\n', /label kompose.controller.type "job" must be deployment, daemonset or statefulset/)
  })

  it('reads secrets before converting: a missing file is one line naming the secret and the file, never content', async () => {
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  a:\n    image: busybox\n    secrets: [s]\nsecrets:\n  s:\n    file: ./absent.txt\n')
    const {project} = await loadProject({files: [join(dir, 'compose.yaml')], projectName: 'p', cwd: dir, env: {}})
    await assert.rejects(readFileContents(project!), /^UserInputError: secret s: cannot read \.\/absent\.txt: no such file$/)
  })

  it('keeps a binary config as binaryData', async () => {
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 1, 2, 255]))
    const c = await convert('services:\n  a:\n    image: busybox\n    configs: [blob]\nconfigs:\n  blob:\n    file: ./blob.bin\n')
    assert.deepEqual((find(c, 'ConfigMap', 'blob') as {binaryData: Record<string, string>}).binaryData, {'blob.bin': Buffer.from([0, 1, 2, 255]).toString('base64')})
  })

  it('every object it makes passes the schema validator; a broken object is reported as Berth\'s bug with its JSON path', async () => {
    const c = await convert('services:\n  a:\n    image: busybox\n    ports: ["80:8080"]\n    volumes: [d:/d]\nvolumes:\n  d: {}\n')
    await validateObjects(c.objects)
    const broken = structuredClone(find<IDeployment>(c, 'Deployment', 'a'))
    ;(broken.spec!.template.spec!.containers[0]!.ports![0] as {containerPort: unknown}).containerPort = '8080'
    await assert.rejects(validateObjects([broken]), (error: Error & {code: string; hints: string[]}) => {
      assert.equal(error.code, 'KUBE_MANIFEST_INVALID')
      assert.equal(error.message, 'generated Deployment a does not match the Kubernetes schema: /spec/template/spec/containers/0/ports/0/containerPort: must be integer')
      assert.match(error.hints.at(-1)!, /a Berth bug/)
      return true
    })
  })

  it('prints a --- separated stream with sorted keys, and writes kompose-named files', async () => {
    const c = await convert('services:\n  a:\n    image: busybox\n    ports: ["80"]\n')
    const text = await toYamlStream(c.objects)
    assert.ok(text.startsWith('---\napiVersion: v1\nkind: Service\nmetadata:\n'))
    assert.equal(text.split(/^---$/m).length - 1, 2)
    assert.deepEqual(c.objects.map(fileNameOf), ['a-service.yaml', 'a-deployment.yaml'])
    const out = join(dir, 'out')
    await writeManifestFiles(out, c.objects)
    assert.deepEqual(readdirSync(out).sort(), ['a-deployment.yaml', 'a-service.yaml'])
    assert.match(readFileSync(join(out, 'a-deployment.yaml'), 'utf8'), /^apiVersion: apps\/v1\nkind: Deployment\n/)
  })
})
