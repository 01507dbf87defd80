import assert from 'node:assert/strict'
import {app} from './helpers.js'

describe('normalize: build', () => {
  it('turns a string into an absolute context and the default Dockerfile', () => {
    assert.deepEqual(app('services: {app: {build: ./web}}').build, {context: '/srv/app/web', dockerfile: 'Dockerfile'})
    assert.deepEqual(app('services: {app: {build: .}}').build, {context: '/srv/app', dockerfile: 'Dockerfile'})
  })

  it('defaults the context to the project directory and keeps a relative dockerfile', () => {
    assert.deepEqual(app('services: {app: {build: {dockerfile: docker/prod}}}').build, {context: '/srv/app', dockerfile: 'docker/prod'})
  })

  it('adds no dockerfile next to dockerfile_inline', () => {
    assert.deepEqual(app('services: {app: {build: {dockerfile_inline: "FROM busybox"}}}').build, {context: '/srv/app', dockerfile_inline: 'FROM busybox'})
  })

  it('leaves a remote context alone', () => {
    const url = 'https://github.com/example/repo.git#main'
    assert.equal(app(`services: {app: {build: "${url}"}}`).build?.context, url)
    assert.equal(app('services: {app: {build: "git@github.com:example/repo.git"}}').build?.context, 'git@github.com:example/repo.git')
  })

  it('canonicalises labels, extra_hosts and shm_size inside build', () => {
    const b = app('services: {app: {build: {context: ., labels: [a=1], extra_hosts: ["h:1.2.3.4"], shm_size: 1k}}}').build
    assert.deepEqual(b?.labels, {a: '1'})
    assert.deepEqual(b?.extra_hosts, ['h=1.2.3.4'])
    assert.equal(b?.shm_size, '1024')
  })

  it('makes local additional contexts absolute and leaves images, URLs and services alone', () => {
    const b = app('services: {app: {build: {context: ., additional_contexts: {src: ./src, img: "docker-image://busybox", svc: "service:base", git: "https://example.com/r.git"}}}}').build
    assert.deepEqual(b?.additional_contexts, {src: '/srv/app/src', img: 'docker-image://busybox', svc: 'service:base', git: 'https://example.com/r.git'})
  })

  it('keeps build secrets short (no default target)', () => {
    const p = app('services: {app: {build: {context: ., secrets: [npmrc]}}}\nsecrets: {npmrc: {file: ./npmrc}}')
    assert.deepEqual(p.build?.secrets, [{source: 'npmrc'}])
  })
})
