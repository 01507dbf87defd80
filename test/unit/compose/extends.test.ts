import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {absolutizeServicePaths, applyExtends} from '../../../src/compose/extends.js'
import {parseComposeFile, type ParsedDocument} from '../../../src/compose/parse.js'
import {ComposeFileError} from '../../../src/compose/source.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/compose/loader/extends')

const fromDisk = async (path: string): Promise<ParsedDocument> => parseComposeFile(readFileSync(path, 'utf8'), path)[0]
const inline = (text: string, path = '/p/compose.yaml') => parseComposeFile(text, path)[0]
const services = (doc: ParsedDocument) => doc.model.services as Record<string, Record<string, unknown>>

describe('compose/extends', () => {
  it('same file, recursively; the extending service wins; extends is removed', async () => {
    const doc = inline('services:\n  a: {image: a, environment: {X: "1"}, ports: ["1:1"]}\n  b: {extends: a, environment: {Y: "2"}}\n  c: {extends: {service: b}, image: c, ports: ["2:2"]}\n')
    await applyExtends(doc, {loadFile: fromDisk})
    assert.deepEqual(services(doc).c, {image: 'c', environment: {X: '1', Y: '2'}, ports: ['1:1', '2:2']})
    assert.deepEqual(services(doc).b, {image: 'a', environment: {X: '1', Y: '2'}, ports: ['1:1']})
  })

  it('another file: relative paths rebased on that file, !reset honoured, chained extends', async () => {
    const file = join(root, 'compose.yaml')
    const doc = await fromDisk(file)
    await applyExtends(doc, {loadFile: fromDisk})
    const sub = join(root, 'sub')
    assert.deepEqual(services(doc).app, {
      image: 'base:1',
      environment: {ROLE: 'app', LEVEL: '1'},
      build: join(sub, 'ctx'),
      env_file: join(sub, 'base.env'),
      volumes: [`${join(sub, 'data')}:/data`, 'cache:/cache'],
    })
    assert.equal(services(doc).local.image, 'app:local')
    assert.equal(services(doc).local.build, join(sub, 'ctx'))
  })

  it('a cycle is an error that prints it', async () => {
    const doc = inline('services:\n  a: {extends: b}\n  b: {extends: a}\n')
    await assert.rejects(applyExtends(doc, {loadFile: fromDisk}), (e: ComposeFileError) => e.code === 'COMPOSE_EXTENDS_CYCLE' && e.message === '/p/compose.yaml:2:7: extends cycle: a -> b -> a (services.a.extends)')
  })

  it('a service extending itself is a cycle', async () => {
    const doc = inline('services:\n  a: {extends: a, image: x}\n')
    await assert.rejects(applyExtends(doc, {loadFile: fromDisk}), /extends cycle: a -> a/)
  })

  it('an unknown service or file is an error at the extends key', async () => {
    await assert.rejects(applyExtends(inline('services:\n  a: {extends: nope}\n'), {loadFile: fromDisk}), /:2:7: cannot extend service "a": service "nope" not found/)
    const loadFile = async (path: string): Promise<ParsedDocument> => {
      throw new ComposeFileError('COMPOSE_FILE_NOT_FOUND', 'Compose file not found', {file: path})
    }
    await assert.rejects(applyExtends(inline('services:\n  a:\n    extends: {service: x, file: other.yaml}\n'), {loadFile}), /:3:5: cannot extend service "a": file \/p\/other\.yaml not found/)
  })

  it('absolutizeServicePaths changes host paths only', () => {
    const out = absolutizeServicePaths(
      {
        build: {context: 'ctx', additional_contexts: {a: './a', b: 'docker-image://x', c: 'https://github.com/x/y.git'}},
        env_file: ['e.env', {path: 'f.env', required: false}],
        volumes: ['./d:/d', 'named:/n', '/abs:/abs', {type: 'bind', source: 'rel', target: '/r'}, {type: 'volume', source: 'v', target: '/v'}],
        image: './not-a-path',
      },
      '/base',
    )
    assert.deepEqual(out, {
      build: {context: '/base/ctx', additional_contexts: {a: '/base/a', b: 'docker-image://x', c: 'https://github.com/x/y.git'}},
      env_file: ['/base/e.env', {path: '/base/f.env', required: false}],
      volumes: ['/base/d:/d', 'named:/n', '/abs:/abs', {type: 'bind', source: '/base/rel', target: '/r'}, {type: 'volume', source: 'v', target: '/v'}],
      image: './not-a-path',
    })
    assert.equal((absolutizeServicePaths({build: 'git@github.com:x/y.git'}, '/base') as {build: string}).build, 'git@github.com:x/y.git')
  })
})
