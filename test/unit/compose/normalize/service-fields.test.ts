import assert from 'node:assert/strict'
import {app, normalizeYaml, thrown} from './helpers.js'

describe('normalize: other service fields', () => {
  it('writes extra_hosts as sorted host=ip strings', () => {
    assert.deepEqual(app('services: {app: {image: x, extra_hosts: ["b:10.0.0.2", "a=10.0.0.1"]}}').extra_hosts, ['a=10.0.0.1', 'b=10.0.0.2'])
    assert.deepEqual(app('services: {app: {image: x, extra_hosts: {z: 1.1.1.1, h: ["::1", 2.2.2.2]}}}').extra_hosts, ['h=2.2.2.2', 'h=::1', 'z=1.1.1.1'])
  })

  it('turns device strings into source, target, permissions', () => {
    assert.deepEqual(app('services: {app: {image: x, devices: ["/dev/a", "/dev/b:/dev/c:r"]}}').devices, [
      {source: '/dev/a', target: '/dev/a', permissions: 'rwm'},
      {source: '/dev/b', target: '/dev/c', permissions: 'r'},
    ])
  })

  it('makes lists of single strings and strings of numbers', () => {
    const s = app('services: {app: {image: x, dns: 8.8.8.8, dns_search: example.com, tmpfs: /run, expose: [80, "90-91"], sysctls: [a.b=1]}}')
    assert.deepEqual([s.dns, s.dns_search, s.tmpfs, s.expose, s.sysctls], [['8.8.8.8'], ['example.com'], ['/run'], ['80', '90-91'], {'a.b': '1'}])
  })

  it('spells pull_policy if_not_present as missing and reads cpus as a number', () => {
    const s = app('services: {app: {image: x, pull_policy: if_not_present, cpus: "1.5"}}')
    assert.deepEqual([s.pull_policy, s.cpus], ['missing', 1.5])
  })

  it('drops what compose never prints: false flags, zero numbers, empty strings and lists', () => {
    const s = app('services: {app: {image: x, privileged: false, tty: false, init: false, pids_limit: 0, hostname: "", cap_add: [], command: []}}')
    assert.equal('privileged' in s || 'tty' in s || 'pids_limit' in s || 'hostname' in s || 'cap_add' in s, false)
    assert.equal(s.init, false)
    assert.deepEqual(s.command, [])
  })

  it('refuses two services with one container_name, naming both', () => {
    const e = thrown(() => normalizeYaml('services: {a: {image: x, container_name: c}, b: {image: x, container_name: c}}'))
    assert.equal(e.code, 'COMPOSE_DUPLICATE_CONTAINER_NAME')
    assert.match(e.message, /services "a" and "b" both use container_name "c" \(services\.b\.container_name\)/)
  })

  it('keeps top-level and service x- extensions in the Project', () => {
    const p = normalizeYaml('x-top: 1\nservices: {app: {image: x, x-note: hi}}')
    assert.deepEqual(p.extensions, {'x-top': 1})
    assert.equal(p.services.app['x-note'], 'hi')
  })
})
