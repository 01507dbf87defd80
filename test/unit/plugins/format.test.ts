import {strict as assert} from 'node:assert'
import {formatStatus, formatTargets} from '../../../src/plugins/core/commands.js'
import {formatPluginList} from '../../../src/plugins/core/list.js'
import {buildRegistry} from '../../../src/plugins/core/registry.js'
import {defineTarget, option} from '../../../src/plugins/sdk/index.js'

const noop = {deploy() {}, remove() {}, status: () => ({deployed: false, services: []})}

describe('plugin output', () => {
  it('deploy --list-targets: core first, then by name, with each target\'s options', () => {
    const registry = buildRegistry(
      [
        {plugin: 'berth-plugin-example', core: false, definition: {targets: [defineTarget({name: 'example', description: 'Write a file.', options: {file: option.string({description: 'File.', default: 'out.json'}), token: option.string({description: 'Token.', required: true})}, ...noop})]}},
        {plugin: 'berth', core: true, definition: {targets: [defineTarget({name: 'local', description: 'This host.', ...noop})]}},
      ],
      () => {},
    )
    assert.equal(
      formatTargets(registry),
      [
        'TARGET    PLUGIN                 DESCRIPTION',
        'local     berth (core)           This host.',
        'example   berth-plugin-example   Write a file.',
        '',
        'example options:',
        '  --option file=STRING   File. (default: out.json)',
        '  --option token=STRING  Token. (required)',
      ].join('\n'),
    )
  })

  it('deploy status: a table, or one line when there is nothing', () => {
    assert.equal(formatStatus('local', {deployed: false, services: []}), 'not deployed on local')
    assert.equal(
      formatStatus('local', {deployed: true, services: [{name: 'web', state: 'running', detail: 'demo-web-1: Up 2 seconds'}, {name: 'db', state: 'exited'}], message: 'on this host'}),
      ['SERVICE   STATE     DETAIL', 'web       running   demo-web-1: Up 2 seconds', 'db        exited', 'on this host'].join('\n'),
    )
  })

  it('plugins: one line per plugin, broken ones with reason and hint', () => {
    assert.equal(formatPluginList([]), 'No plugins installed.')
    assert.equal(
      formatPluginList([
        {name: 'berth-plugin-a', version: '1.0.0', type: 'user', status: 'ok'},
        {name: 'berth-plugin-b', version: '2.0.0', type: 'link', root: '/src/b', status: 'broken', reason: 'needs Berth SDK ^2.0.0, but this Berth provides SDK 1.0.0', hint: 'upgrade'},
      ]),
      ['berth-plugin-a 1.0.0', 'berth-plugin-b 2.0.0 (link) /src/b  BROKEN: needs Berth SDK ^2.0.0, but this Berth provides SDK 1.0.0 (upgrade)'].join('\n'),
    )
  })
})
