/**
 * Third-party plugins end to end with the real CLI: the example plugin installed three ways
 * (link, tarball from npm pack, directory), its command run, a deploy to its target with its
 * after-load hook applied, then uninstalled; broken plugins warned about and listed as broken
 * while Berth keeps working; failing and vetoing hooks stop a deploy before anything is written.
 */
import {strict as assert} from 'node:assert'
import {cpSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {EXAMPLE_PLUGIN, ok, REPO, Sandbox} from './cli.js'

const COMPOSE = `name: demo
x-example:
  labels:
    team: payments
services:
  web:
    image: busybox
  api:
    image: busybox
    labels:
      team: core
`

function copyPlugin(sandbox: Sandbox, name = 'berth-plugin-example'): string {
  const dir = join(sandbox.dir, 'src', name)
  cpSync(EXAMPLE_PLUGIN, dir, {recursive: true, filter: (src) => !src.includes('node_modules') && !src.endsWith('.tgz')})
  return dir
}

function project(sandbox: Sandbox): string {
  const dir = join(sandbox.dir, 'project')
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'compose.yaml'), COMPOSE)
  return dir
}

/** Command, target, hook, then uninstall: the same checks for every way of installing. */
function exercise(sandbox: Sandbox, listed: RegExp): void {
  assert.match(ok(sandbox.berth(['plugins']), 'plugins').stdout, listed)

  const hello = ok(sandbox.berth(['example', 'hello', '--name', 'sailor']), 'example hello')
  assert.match(hello.stdout, /^hello sailor from berth-plugin-example \(Berth 0\.1\.0, SDK 1\.0\.0\)$/m)

  const targets = ok(sandbox.berth(['deploy', '--list-targets']), 'deploy --list-targets').stdout
  assert.match(targets, /^local\s+berth \(core\)/m)
  assert.match(targets, /^example\s+berth-plugin-example\s+Write the project/m)

  const dir = project(sandbox)
  const deployed = ok(sandbox.berth(['deploy', '--target', 'example', '--option', 'file=out.json'], dir), 'deploy')
  assert.match(deployed.stdout + deployed.stderr, /Deploying demo to example/)
  const written = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))
  assert.equal(written.name, 'demo')
  // the after-load hook expanded x-example: labels added where not set, and recorded
  assert.deepEqual(written.services.web.labels, {team: 'payments'})
  assert.deepEqual(written.services.api.labels, {team: 'core'})
  assert.deepEqual(written.extensions['x-example'].expanded, ['web', 'api'])
  assert.equal(written.environment, undefined, 'the target leaves the environment out')

  // core commands that load a project apply the same hooks: config shows the expanded labels
  const config = JSON.parse(ok(sandbox.berth(['config', '--format', 'json'], dir), 'config').stdout)
  assert.deepEqual(config.services.web.labels, {team: 'payments'})

  const removed = ok(sandbox.berth(['deploy', 'remove', '--target', 'example', '--option', 'file=out.json'], dir), 'deploy remove')
  assert.match(removed.stdout + removed.stderr, /Removing demo from example/)
  assert.equal(existsSync(join(dir, 'out.json')), false)

  const bad = sandbox.berth(['deploy', '--target', 'example', '--option', 'nope=1'], dir)
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /error: target example has no option "nope"/)
  assert.match(bad.stderr, /its options are: file/)

  ok(sandbox.berth(['plugins', 'uninstall', 'berth-plugin-example']), 'uninstall')
  assert.match(ok(sandbox.berth(['plugins']), 'plugins').stdout, /No plugins installed\./)
  assert.notEqual(sandbox.berth(['example', 'hello']).status, 0)
  const after = ok(sandbox.berth(['deploy', '--list-targets']), 'list after uninstall').stdout
  assert.doesNotMatch(after, /example/)
}

describe('third-party plugins (real CLI)', function () {
  this.timeout(180_000)
  let sandbox: Sandbox

  beforeEach(() => {
    sandbox = new Sandbox()
  })
  afterEach(() => sandbox.remove())

  it('plugins link: runs from its folder, with berth linked into its node_modules', () => {
    const dir = copyPlugin(sandbox)
    const linked = ok(sandbox.berth(['plugins', 'link', dir]), 'link')
    assert.match(linked.stdout, /node_modules\/berth -> .* so the plugin can import berth\/sdk/)
    assert.equal(lstatSync(join(dir, 'node_modules', 'berth')).isSymbolicLink(), true)
    exercise(sandbox, /^berth-plugin-example 1\.0\.0 \(link\) .*berth-plugin-example$/m)
  })

  it('plugins install of the tarball from npm pack', () => {
    const dir = copyPlugin(sandbox)
    const packed = ok(sandbox.run('npm', ['pack', '--silent', '--pack-destination', sandbox.dir], dir), 'npm pack')
    const tarball = join(sandbox.dir, packed.stdout.trim().split('\n').at(-1)!)
    ok(sandbox.berth(['plugins', 'install', tarball]), 'install tarball')
    assert.equal(lstatSync(join(sandbox.dataDir, 'node_modules', 'berth')).isSymbolicLink(), true, 'berth is provided in the data dir')
    exercise(sandbox, /^berth-plugin-example 1\.0\.0$/m)
  })

  it('plugins install of a directory installs a copy into the data dir', () => {
    const dir = copyPlugin(sandbox)
    ok(sandbox.berth(['plugins', 'install', dir]), 'install directory')
    const installed = join(sandbox.dataDir, 'node_modules', 'berth-plugin-example')
    assert.equal(lstatSync(installed).isSymbolicLink(), false, 'a copy, not a link to the source folder')
    assert.equal(existsSync(join(installed, 'register.js')), true)

    // a second directory install keeps the first (plugin-plugins alone mixes up directory installs)
    const other = writePlugin(sandbox, 'berth-plugin-other', {berth: {sdk: '^1.0.0'}, oclif: {}}, {})
    ok(sandbox.berth(['plugins', 'install', other]), 'install second directory')
    assert.match(ok(sandbox.berth(['plugins']), 'plugins').stdout, /^berth-plugin-example 1\.0\.0\nberth-plugin-other 1\.0\.0$/m)
    ok(sandbox.berth(['plugins', 'uninstall', 'berth-plugin-other']), 'uninstall second')
    exercise(sandbox, /^berth-plugin-example 1\.0\.0$/m)
  })

  it('plugins install --help says a plugin runs with your rights and only what you name is installed', () => {
    const help = ok(sandbox.berth(['plugins', 'install', '--help']), 'help').stdout
    assert.match(help, /A plugin is code that runs with your user's rights/)
    assert.match(help, /Berth installs only what you name here/)
  })
})

function writePlugin(sandbox: Sandbox, name: string, pjson: Record<string, unknown>, files: Record<string, string>): string {
  const dir = join(sandbox.dir, 'src', name)
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'package.json'), JSON.stringify({name, version: '1.0.0', type: 'module', ...pjson}))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), {recursive: true})
    writeFileSync(join(dir, file), text)
  }
  return dir
}

describe('broken and misbehaving plugins (real CLI)', function () {
  this.timeout(180_000)
  let sandbox: Sandbox

  before(() => {
    sandbox = new Sandbox()
    const register = {'berth:register': './register.js'}
    const future = writePlugin(sandbox, 'berth-plugin-future', {berth: {sdk: '^2.0.0'}, oclif: {commands: './commands', hooks: register}}, {
      'register.js': "throw new Error('an incompatible plugin must never run')\n",
      'commands/future/go.js': "throw new Error('an incompatible command must never load')\n",
      // Published plugins ship a manifest (oclif manifest); without one oclif imports every command at start-up.
      'oclif.manifest.json': JSON.stringify({
        version: '1.0.0',
        commands: {'future:go': {id: 'future:go', pluginName: 'berth-plugin-future', pluginType: 'link', aliases: [], args: {}, flags: {}, isESM: true, relativePath: ['commands', 'future', 'go.js']}},
      }),
    })
    const needy = writePlugin(sandbox, 'berth-plugin-needy', {berth: {sdk: '^1.0.0'}, dependencies: {'left-pad-nowhere': '^1.0.0'}, oclif: {hooks: register}}, {
      'register.js': "import 'left-pad-nowhere'\nexport default async () => ({})\n",
    })
    const throws = writePlugin(sandbox, 'berth-plugin-throws', {berth: {sdk: '^1.0.0'}, oclif: {hooks: register}}, {
      'register.js': "throw new Error('boom at import')\n",
    })
    for (const dir of [future, needy, throws]) ok(sandbox.berth(['plugins', 'link', dir, '--no-install']), `link ${dir}`)
  })
  after(() => sandbox.remove())

  it('Berth keeps working, with one warning per broken plugin naming it', () => {
    const r = ok(sandbox.berth(['version']), 'version')
    assert.match(r.stdout, /^berth 0\.1\.0/)
    const warnings = r.stderr.trim().split('\n')
    assert.deepEqual(warnings.sort(), [
      'warning: plugin berth-plugin-future 1.0.0 needs Berth SDK ^2.0.0, but this Berth provides SDK 1.0.0; Berth runs without it',
      'warning: plugin berth-plugin-needy 1.0.0 cannot load: its dependency left-pad-nowhere is not installed; Berth runs without it',
    ])
  })

  it('berth plugins lists them as broken, with the reason', () => {
    const out = ok(sandbox.berth(['plugins']), 'plugins').stdout
    assert.match(out, /^berth-plugin-future 1\.0\.0 \(link\) .* BROKEN: needs Berth SDK \^2\.0\.0, but this Berth provides SDK 1\.0\.0/m)
    assert.match(out, /^berth-plugin-needy 1\.0\.0 \(link\) .* BROKEN: cannot load: its dependency left-pad-nowhere is not installed/m)
    assert.match(out, /^berth-plugin-throws 1\.0\.0 \(link\) .* BROKEN: failed to load: boom at import/m)
    const json = JSON.parse(ok(sandbox.berth(['plugins', '--json']), 'plugins --json').stdout) as Array<{name: string; status: string}>
    assert.deepEqual(json.map((p) => [p.name, p.status]), [['berth-plugin-future', 'broken'], ['berth-plugin-needy', 'broken'], ['berth-plugin-throws', 'broken']])
  })

  it('a plugin that throws on load is skipped with one warning; core targets still work', () => {
    const r = ok(sandbox.berth(['deploy', '--list-targets']), 'list-targets')
    assert.match(r.stdout, /^local\s+berth \(core\)/m)
    assert.equal(r.stderr.match(/berth-plugin-throws/g)?.length, 1)
    assert.match(r.stderr, /warning: plugin berth-plugin-throws failed to load: boom at import; Berth runs without it/)
    assert.doesNotMatch(r.stderr, /must never run/)
  })

  it("a broken plugin's command refuses to start, naming the plugin", () => {
    const r = sandbox.berth(['future', 'go'])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /error: command "future go" belongs to plugin berth-plugin-future, which cannot be loaded/)
    assert.doesNotMatch(r.stderr, /must never load/)
  })
})

describe('compose hooks that fail or veto (real CLI)', function () {
  this.timeout(180_000)
  let sandbox: Sandbox
  let dir: string

  before(() => {
    sandbox = new Sandbox()
    const plugin = writePlugin(sandbox, 'berth-plugin-strict', {berth: {sdk: '^1.0.0'}, peerDependencies: {berth: '*'}, oclif: {hooks: {'berth:register': './register.js'}}}, {
      'register.js': `import {definePlugin, defineTarget, DeployVetoed} from 'berth/sdk'
import {writeFileSync} from 'node:fs'
export default definePlugin({
  targets: [defineTarget({name: 'file', description: 'Touch a file.', deploy: (p) => writeFileSync(p.workingDir + '/deployed', 'x'), remove() {}, status: () => ({deployed: false, services: []})})],
  afterLoad(project) {
    if (project.extensions['x-strict'] === 'explode') throw new Error('x-strict exploded')
  },
  beforeDeploy(project, intent) {
    if (project.services.web?.privileged) throw new DeployVetoed('privileged services are not allowed on ' + intent.target)
  },
})
`,
    })
    ok(sandbox.berth(['plugins', 'link', plugin]), 'link strict')
    dir = join(sandbox.dir, 'p')
    mkdirSync(dir)
  })
  after(() => sandbox.remove())

  it('an after-load hook that throws stops the deploy with an error naming the plugin', () => {
    writeFileSync(join(dir, 'compose.yaml'), 'name: s\nx-strict: explode\nservices:\n  web:\n    image: busybox\n')
    const r = sandbox.berth(['deploy', '--target', 'file'], dir)
    assert.equal(r.status, 1)
    assert.match(r.stderr, /^error: plugin berth-plugin-strict: after-load hook failed: x-strict exploded$/m)
    assert.equal(existsSync(join(dir, 'deployed')), false)
  })

  it('a before-deploy veto stops the deploy before the target runs', () => {
    writeFileSync(join(dir, 'compose.yaml'), 'name: s\nservices:\n  web:\n    image: busybox\n    privileged: true\n')
    const r = sandbox.berth(['deploy', '--target', 'file'], dir)
    assert.equal(r.status, 1)
    assert.match(r.stderr, /^error: plugin berth-plugin-strict vetoed deploy to file: privileged services are not allowed on file$/m)
    assert.equal(existsSync(join(dir, 'deployed')), false)
  })

  it('deploys when nothing objects', () => {
    writeFileSync(join(dir, 'compose.yaml'), 'name: s\nservices:\n  web:\n    image: busybox\n')
    ok(sandbox.berth(['deploy', '--target', 'file'], dir), 'deploy')
    assert.equal(readFileSync(join(dir, 'deployed'), 'utf8'), 'x')
  })

  it('an unknown target is refused before the Compose file is read, listing the known ones', () => {
    const r = sandbox.berth(['deploy', '--target', 'nowhere'], join(REPO, 'fixtures'))
    assert.equal(r.status, 1)
    assert.match(r.stderr, /^error: unknown target "nowhere"$/m)
    // The in-tree targets and the sandbox's plugin, sorted.
    assert.match(r.stderr, /^hint: available targets: file, kube, local, swarm$/m)
  })
})
