/**
 * Project -> Kubernetes manifests for every fixture in fixtures/kube/: the YAML stream `berth kube
 * convert` prints (expected.yaml) and its warnings (warnings.txt). Every object of every golden
 * file also passes the Kubernetes schema validator, so a golden file can never hold an invalid
 * manifest. Regenerate after a deliberate change with UPDATE_GOLDEN=1 (then read the diff).
 */
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseAllDocuments} from 'yaml'
import {schemaProblems} from '../../../../src/plugins/kube/validate.js'
import type {KubeObject} from '../../../../src/plugins/kube/types.js'
import {KUBE_FIXTURES, goldenOf, kubeFixtures} from './fixture-support.js'

describe('kube: Project -> manifests (golden files in fixtures/kube)', function () {
  this.timeout(20_000)
  it('has at least 8 fixtures', () => assert.ok(kubeFixtures().length >= 8, kubeFixtures().join(', ')))
  for (const fixture of kubeFixtures()) {
    it(fixture, async () => {
      const dir = join(KUBE_FIXTURES, fixture)
      const actual = await goldenOf(fixture)
      if (process.env.UPDATE_GOLDEN === '1') {
        writeFileSync(join(dir, 'expected.yaml'), actual.yaml)
        writeFileSync(join(dir, 'warnings.txt'), actual.warnings)
      }
      assert.equal(actual.yaml, readFileSync(join(dir, 'expected.yaml'), 'utf8'))
      assert.equal(actual.warnings, readFileSync(join(dir, 'warnings.txt'), 'utf8'))
    })
  }
})

describe('kube: every golden object passes the Kubernetes schema', function () {
  this.timeout(20_000)
  for (const fixture of kubeFixtures()) {
    it(fixture, async () => {
      const docs = parseAllDocuments(readFileSync(join(KUBE_FIXTURES, fixture, 'expected.yaml'), 'utf8'))
      assert.ok(docs.length > 0)
      for (const doc of docs) {
        assert.deepEqual(doc.errors, [])
        const object = doc.toJS() as KubeObject
        assert.deepEqual(await schemaProblems(object), [], `${object.kind} ${object.metadata?.name}`)
      }
    })
  }
})
