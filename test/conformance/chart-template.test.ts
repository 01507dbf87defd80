/**
 * `berth chart template` against `helm template` (helm 3.17.3, installed by scripts/peers.sh):
 * every chart in fixtures/charts/ and a chart made by the real `helm create` are rendered by both
 * with the same release name, namespace and values, and the output must be byte for byte the
 * same. Charts whose rendering fails (required/fail) must fail in both with the same message.
 *
 * Needs the helm binary (/opt/berth-peers/bin/helm or helm on PATH) and a build (`npm run build`).
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const REPO = resolve(fileURLToPath(import.meta.url), '../../..')
const FIXTURES = join(REPO, 'fixtures', 'charts')
const BIN = join(REPO, 'bin', 'run.js')

function findHelm(): string | undefined {
  const peer = '/opt/berth-peers/bin/helm'
  if (existsSync(peer)) return peer
  return spawnSync('helm', ['version', '--short']).status === 0 ? 'helm' : undefined
}

const HELM = findHelm()

function why(): string | undefined {
  if (!HELM) return 'helm 3.17.3 is not installed (scripts/peers.sh installs it)'
  if (!existsSync(join(REPO, 'dist', 'plugins', 'chart', 'run.js'))) return 'build first: npm run build'
  return undefined
}

interface Run {
  status: number
  stdout: string
  stderr: string
}

function run(cmd: string, args: string[]): Run {
  const r = spawnSync(cmd, args, {encoding: 'utf8', cwd: REPO})
  return {status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
}

const helm = (args: string[]): Run => run(HELM!, ['template', ...args])
const berth = (args: string[]): Run => run(process.execPath, [BIN, 'chart', 'template', ...args])

/** The first line of an error, without the tool's own prefix. */
function errorLine(r: Run): string {
  return r.stderr.split('\n')[0]!.replace(/^(Error|error): /, '')
}

function same(args: string[]): void {
  const h = helm(args)
  const b = berth(args)
  if (h.status !== 0) {
    assert.notEqual(b.status, 0, `helm failed (${errorLine(h)}) but berth did not`)
    assert.equal(errorLine(b), errorLine(h))
    return
  }
  assert.equal(b.stderr, '', 'berth wrote to stderr')
  assert.equal(b.status, 0)
  assert.equal(b.stdout, h.stdout)
}

describe('chart template conformance (helm template as the oracle)', function () {
  this.timeout(60_000)
  before(function () {
    const reason = why()
    if (reason) {
      console.log(`    skipped: ${reason}`)
      this.skip()
    }
  })

  const charts = readdirSync(FIXTURES, {withFileTypes: true}).filter((d) => d.isDirectory()).map((d) => d.name).sort()

  it('has at least 8 fixture charts', () => {
    assert.ok(charts.length >= 8, `only ${charts.length} charts in fixtures/charts`)
  })

  for (const chart of charts) {
    it(`${chart}: same output as helm template`, () => {
      same(['rel', join('fixtures', 'charts', chart), '--namespace', 'shop'])
    })
  }

  it('subcharts: -f files, --set into a subchart, a condition turned on', () => {
    same(['rel', 'fixtures/charts/subcharts', '-f', 'fixtures/charts/subcharts/values.yaml', '--set', 'db.port=6000,cache.enabled=true', '--set-string', 'global.env=007'])
  })

  it('rangemaps: --set-json and escaped dots in keys', () => {
    same(['rel', 'fixtures/charts/rangemaps', '--set-json', 'nested={"z":{"q":[1,2]}}', '--set', 'env.with\\.dot=yes', '--set', 'ports[1]=9090'])
  })

  it('required: a supplied value renders; --show-only picks one template', () => {
    same(['rel', 'fixtures/charts/required', '--set', 'image.repository=nginx'])
    same(['rel', 'fixtures/charts/order', '--show-only', 'templates/b.yaml'])
  })

  describe('a chart made by the real helm create', () => {
    let dir: string
    before(function () {
      dir = mkdtempSync(join(tmpdir(), 'berth-chart-'))
      const r = run(HELM!, ['create', join(dir, 'web')])
      assert.equal(r.status, 0, r.stderr)
    })
    after(() => rmSync(dir, {recursive: true, force: true}))

    it('defaults', () => same(['web', join(dir, 'web')]))
    it('ingress, autoscaling and tls turned on', () => {
      same(['web', join(dir, 'web'), '-n', 'prod', '--set', 'ingress.enabled=true,autoscaling.enabled=true,serviceAccount.create=false', '--set', 'ingress.tls[0].secretName=tls,ingress.tls[0].hosts={a.example.com,b.example.com}'])
    })
  })
})
