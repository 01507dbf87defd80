import {strict as assert} from 'node:assert'
import {BerthError} from '../../../src/errors.js'
import {checkChanges, parseCommitReference} from '../../../src/runtime/commit.js'

function rejects(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof BerthError && error.code === code && pattern.test(error.message) && !error.message.includes('\n'))
}

describe('runtime: commit checks', () => {
  it('splits REPOSITORY[:TAG], registry hosts and ports included', () => {
    assert.deepEqual(parseCommitReference('app'), {repository: 'app', tag: undefined})
    assert.deepEqual(parseCommitReference('team/app:v1.2-rc_3'), {repository: 'team/app', tag: 'v1.2-rc_3'})
    assert.deepEqual(parseCommitReference('localhost:5000/a/b:t1'), {repository: 'localhost:5000/a/b', tag: 't1'})
    assert.deepEqual(parseCommitReference('Registry.Example.com/x'), {repository: 'Registry.Example.com/x', tag: undefined})
    assert.deepEqual(parseCommitReference('127.0.0.1:5000/snap'), {repository: '127.0.0.1:5000/snap', tag: undefined})
    assert.deepEqual(parseCommitReference('team/a__b.c-d'), {repository: 'team/a__b.c-d', tag: undefined})
    rejects(() => parseCommitReference('a_b.c/e'), 'BAD_REFERENCE', /"a_b.c" is not a registry/)
  })

  it('refuses what the engine would, before asking it', () => {
    rejects(() => parseCommitReference('Bad'), 'BAD_REFERENCE', /invalid reference "Bad": repository name must be lowercase/)
    rejects(() => parseCommitReference('app:'), 'BAD_REFERENCE', /"" is not a tag/)
    rejects(() => parseCommitReference('app:-x'), 'BAD_REFERENCE', /"-x" is not a tag/)
    rejects(() => parseCommitReference('app@sha256:abc'), 'BAD_REFERENCE', /cannot be tagged with a digest/)
    rejects(() => parseCommitReference('a//b'), 'BAD_REFERENCE', /empty path component/)
    rejects(() => parseCommitReference('-app'), 'BAD_REFERENCE', /"-app" is not a repository name component/)
    rejects(() => parseCommitReference('host:port/app'), 'BAD_REFERENCE', /"host:port" is not a registry/)
    rejects(() => parseCommitReference(''), 'BAD_REFERENCE', /empty/)
    rejects(() => parseCommitReference('a'.repeat(256)), 'BAD_REFERENCE', /longer than 255/)
  })

  it('-c takes the instructions a commit can apply, in any case, with an argument', () => {
    checkChanges(['ENV A=b', 'cmd ["sh"]', 'LABEL x=y', 'EXPOSE 80', 'WORKDIR /srv', 'USER 1000', 'healthcheck NONE'])
    rejects(() => checkChanges(['RUN echo']), 'BAD_CHANGE', /-c "RUN echo": RUN cannot be applied in a commit \(use one of CMD, /)
    rejects(() => checkChanges(['ENV A=b', 'FROM x']), 'BAD_CHANGE', /FROM cannot be applied/)
    rejects(() => checkChanges(['CMD']), 'BAD_CHANGE', /CMD needs an argument/)
    rejects(() => checkChanges(['  ']), 'BAD_CHANGE', /empty instruction/)
  })
})
