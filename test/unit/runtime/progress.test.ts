import {strict as assert} from 'node:assert'
import {PassThrough} from 'node:stream'
import {createProgress, PlainProgress, QuietProgress, rowOf, rowsOf} from '../../../src/cli/progress.js'
import type {Plan} from '../../../src/runtime/plan.js'
import {FINAL_STATUSES} from '../../../src/runtime/progress-events.js'

function capture() {
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (d: Buffer) => (text += d))
  return {stream: stream as unknown as NodeJS.WriteStream, text: () => text}
}

describe('cli/progress', () => {
  it('names one row per resource, as compose does', () => {
    const plan: Plan = {
      operations: [
        {kind: 'create-network', key: 'default', name: 'demo_default', cause: 'not found'},
        {kind: 'create-volume', key: 'data', name: 'demo_data', cause: 'not found'},
        {kind: 'pull-image', service: 'web', image: 'busybox', cause: 'not found locally'},
        {kind: 'create-container', service: 'web', number: 1, name: 'demo-web-1', start: true, cause: 'not found'},
        {kind: 'remove-container', service: 'web', number: 2, name: 'demo-web-2', id: 'x', running: true, cause: 'scale'},
      ],
      warnings: [],
    }
    assert.deepEqual(rowsOf(plan), ['Network demo_default', 'Volume demo_data', 'Image busybox', 'Container demo-web-1', 'Container demo-web-2'])
    assert.equal(rowOf(plan.operations[3]), 'Container demo-web-1')
  })

  it('plain mode prints one line per status change, with the time on final ones', () => {
    const out = capture()
    const view = new PlainProgress(out.stream)
    view.sink({resource: 'Container demo-web-1', status: 'Creating'})
    view.sink({resource: 'Container demo-web-1', status: 'Creating'})
    view.sink({resource: 'Container demo-web-1', status: 'Created'})
    view.sink({resource: 'Container demo-web-1', status: 'Error', detail: 'boom'})
    view.warn('careful')
    const lines = out.text().trimEnd().split('\n')
    assert.equal(lines.length, 4)
    assert.equal(lines[0], ' Container demo-web-1  Creating')
    assert.match(lines[1], /^ Container demo-web-1 {2}Created \d+\.\ds$/)
    assert.match(lines[2], /^ Container demo-web-1 {2}Error boom \d+\.\ds$/)
    assert.equal(lines[3], 'warning: careful')
  })

  it('quiet mode prints only warnings', () => {
    const out = capture()
    const view = new QuietProgress(out.stream)
    view.sink({resource: 'Container a', status: 'Started'})
    view.warn('w')
    assert.equal(out.text(), 'warning: w\n')
  })

  it('picks plain lines when the stream is not a terminal, whatever --progress auto', () => {
    const out = capture()
    assert.ok(createProgress('auto', out.stream) instanceof PlainProgress)
    assert.ok(createProgress('plain', out.stream) instanceof PlainProgress)
    assert.ok(createProgress('quiet', out.stream) instanceof QuietProgress)
  })

  it('kill, pause, unpause and push end their rows like every other verb (final statuses, with the time)', () => {
    const out = capture()
    const view = new PlainProgress(out.stream)
    const pairs = [['Killing', 'Killed'], ['Pausing', 'Paused'], ['Unpausing', 'Unpaused'], ['Pushing', 'Pushed'], ['Renaming', 'Renamed']] as const
    for (const [doing, done] of pairs) {
      assert.ok(FINAL_STATUSES.has(done) && !FINAL_STATUSES.has(doing), `${done} is final, ${doing} is not`)
      view.sink({resource: `Container demo-${done}`, status: doing})
      view.sink({resource: `Container demo-${done}`, status: done})
    }
    const lines = out.text().trimEnd().split('\n')
    for (const [i, [doing, done]] of pairs.entries()) {
      assert.equal(lines[2 * i], ` Container demo-${done}  ${doing}`)
      assert.match(lines[2 * i + 1], new RegExp(`^ Container demo-${done} {2}${done} \\d+\\.\\ds$`))
    }
  })
})
