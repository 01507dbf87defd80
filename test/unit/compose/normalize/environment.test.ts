import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {app, thrown} from './helpers.js'

describe('normalize: environment, labels, env_file', () => {
  it('turns an environment list into a mapping; KEY alone reads the environment or stays null', () => {
    const s = app('services: {app: {image: x, environment: [A=1, "B=", "C=x=y", FROM_ENV, MISSING]}}', {environment: {FROM_ENV: 'env'}})
    assert.deepEqual(s.environment, {A: '1', B: '', C: 'x=y', FROM_ENV: 'env', MISSING: null})
  })

  it('prints mapping values as strings', () => {
    const s = app('services: {app: {image: x, environment: {N: 42, F: 1.5, B: true, E: "", U: }}}', {environment: {U: 'found'}})
    assert.deepEqual(s.environment, {N: '42', F: '1.5', B: 'true', E: '', U: 'found'})
  })

  it('turns labels into a mapping of strings; a label without value is empty', () => {
    assert.deepEqual(app('services: {app: {image: x, labels: [a=1, b]}}').labels, {a: '1', b: ''})
    assert.deepEqual(app('services: {app: {image: x, labels: {n: 1, t: true}}}').labels, {n: '1', t: 'true'})
  })

  it('drops a build arg without value that the environment does not set', () => {
    const s = app('services: {app: {build: {context: ., args: [SET, UNSET, X=1]}}}', {environment: {SET: 'yes'}})
    assert.deepEqual(s.build?.args, {SET: 'yes', X: '1'})
  })

  describe('env_file', () => {
    let dir: string
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'berth-envfile-'))
      writeFileSync(join(dir, 'a.env'), 'A=a\nSHARED=a\n# comment\nQUOTED="two words"\nREF=${A}-x\n')
      writeFileSync(join(dir, 'b.env'), 'B=b\nSHARED=b\n')
    })
    afterEach(() => rmSync(dir, {recursive: true, force: true}))

    it('reads files in order under environment, which wins, and drops env_file', () => {
      const s = app('services: {app: {image: x, env_file: [a.env, b.env], environment: {SHARED: env}}}', {workingDir: dir})
      assert.deepEqual(s.environment, {A: 'a', SHARED: 'env', QUOTED: 'two words', REF: 'a-x', B: 'b'})
      assert.equal(s.env_file, undefined)
    })

    it('accepts a single string and honours required: false', () => {
      assert.deepEqual(app('services: {app: {image: x, env_file: b.env}}', {workingDir: dir}).environment, {B: 'b', SHARED: 'b'})
      const s = app('services: {app: {image: x, env_file: [{path: nope.env, required: false}, {path: b.env}]}}', {workingDir: dir})
      assert.deepEqual(s.environment, {B: 'b', SHARED: 'b'})
    })

    it('names a missing required file', () => {
      const e = thrown(() => app('services: {app: {image: x, env_file: [nope.env]}}', {workingDir: dir}))
      assert.equal(e.code, 'COMPOSE_ENV_FILE_NOT_FOUND')
      assert.match(e.message, /env file .*nope\.env not found \(services\.app\.env_file\[0\]\)/)
    })
  })
})

describe('normalize: label_file', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-labelfile-'))
    writeFileSync(join(dir, 'labels.txt'), 'from.file=yes\nshared=file\n')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('reads label files under labels, which win, and lists the files absolute', () => {
    const s = app('services: {app: {image: x, label_file: labels.txt, labels: {shared: compose}}}', {workingDir: dir})
    assert.deepEqual(s.labels, {'from.file': 'yes', shared: 'compose'})
    assert.deepEqual(s.label_file, [join(dir, 'labels.txt')])
  })
})
