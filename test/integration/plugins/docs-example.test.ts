/**
 * The plugin in docs/plugins.md ("Writing a plugin") is real: its files are taken from the
 * document, stay under 40 lines, import only berth/sdk (and Node built-ins), and work when linked.
 */
import {strict as assert} from 'node:assert'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {ok, REPO, Sandbox} from './cli.js'

function documentedFiles(): Record<string, string> {
  const doc = readFileSync(join(REPO, 'docs', 'plugins.md'), 'utf8')
  const section = doc.slice(doc.indexOf('### Writing a plugin'))
  const files: Record<string, string> = {}
  for (const m of section.matchAll(/`([^`\n]+)`[^\n]*\n```(?:json|js)\n([\s\S]*?)```/g)) files[m[1]!] = m[2]!
  return files
}

describe('the plugin in docs/plugins.md (real CLI)', function () {
  this.timeout(180_000)
  let sandbox: Sandbox
  before(() => {
    sandbox = new Sandbox()
  })
  after(() => sandbox.remove())

  it('is complete, short, uses only berth/sdk, and works', () => {
    const files = documentedFiles()
    assert.deepEqual(Object.keys(files).sort(), ['commands/hello/world.js', 'package.json', 'register.js'])
    const lines = Object.values(files).reduce((n, text) => n + text.trimEnd().split('\n').length, 0)
    assert.ok(lines < 40, `${lines} lines`)
    for (const [name, text] of Object.entries(files)) {
      for (const m of text.matchAll(/(?:from|import\()\s*'([^']+)'/g)) assert.ok(m[1] === 'berth/sdk' || m[1]!.startsWith('node:'), `${name} imports ${m[1]}`)
    }

    const dir = join(sandbox.dir, 'berth-plugin-hello')
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), {recursive: true})
      writeFileSync(join(dir, name), text)
    }
    ok(sandbox.berth(['plugins', 'link', dir]), 'link')
    assert.equal(ok(sandbox.berth(['hello', 'world', '--name', 'sailor']), 'hello world').stdout, 'hello sailor\n')

    const project = join(sandbox.dir, 'p')
    mkdirSync(project)
    writeFileSync(join(project, 'compose.yaml'), 'name: d\nx-owner: ada\nservices:\n  web:\n    image: busybox\n')
    ok(sandbox.berth(['deploy', '--target', 'json', '--option', 'out=p.json'], project), 'deploy')
    const services = JSON.parse(readFileSync(join(project, 'p.json'), 'utf8'))
    assert.deepEqual(services.web.labels, {owner: 'ada'})
  })
})
