import assert from 'node:assert/strict'
import {parsePortSpec} from '../../../../src/compose/normalize/ports.js'
import {app, thrown} from './helpers.js'

describe('normalize: ports', () => {
  it('turns short syntax into the long form with published as a string', () => {
    const s = app('services: {app: {image: x, ports: [80, "8080:80", "127.0.0.1:8443:443/tcp", "53:53/udp"]}}')
    assert.deepEqual(s.ports, [
      {mode: 'ingress', target: 80, protocol: 'tcp'},
      {mode: 'ingress', target: 80, published: '8080', protocol: 'tcp'},
      {mode: 'ingress', host_ip: '127.0.0.1', target: 443, published: '8443', protocol: 'tcp'},
      {mode: 'ingress', target: 53, published: '53', protocol: 'udp'},
    ])
  })

  it('reads bracketed IPv6 addresses and an empty published port', () => {
    assert.deepEqual(parsePortSpec('[::1]:9000:9000'), [{mode: 'ingress', host_ip: '::1', target: 9000, published: '9000', protocol: 'tcp'}])
    assert.deepEqual(parsePortSpec('0.0.0.0::7000'), [{mode: 'ingress', host_ip: '0.0.0.0', target: 7000, protocol: 'tcp'}])
  })

  it('expands a container range into one entry per port, paired with the published range', () => {
    assert.deepEqual(parsePortSpec('9000-9001:8000-8001'), [
      {mode: 'ingress', target: 8000, published: '9000', protocol: 'tcp'},
      {mode: 'ingress', target: 8001, published: '9001', protocol: 'tcp'},
    ])
    assert.deepEqual((parsePortSpec('3000-3001') as Array<{target: number}>).map((p) => p.target), [3000, 3001])
  })

  it('keeps a published range for a single container port', () => {
    assert.deepEqual(parsePortSpec('49153-49154:22'), [{mode: 'ingress', target: 22, published: '49153-49154', protocol: 'tcp'}])
  })

  it('gives the long syntax its defaults and a string published port', () => {
    const s = app('services: {app: {image: x, ports: [{target: 80, published: 8080}, {target: 53, protocol: udp, mode: host, host_ip: 10.0.0.1}]}}')
    assert.deepEqual(s.ports, [
      {mode: 'ingress', target: 80, published: '8080', protocol: 'tcp'},
      {mode: 'host', host_ip: '10.0.0.1', target: 53, protocol: 'udp'},
    ])
  })

  it('lists identical entries once', () => {
    const s = app('services: {app: {image: x, ports: ["8000-8001:8000-8001", "8001:8001", "80", 80]}}')
    assert.deepEqual(s.ports?.map((p) => `${p.published ?? ''}:${p.target}`), ['8000:8000', '8001:8001', ':80'])
  })

  it('rejects ranges of different sizes, bad protocols and bad numbers with the entry path', () => {
    const e = thrown(() => app('services: {app: {image: x, ports: ["80", "9000-9002:8000-8001"]}}'))
    assert.equal(e.code, 'COMPOSE_INVALID_PORT')
    assert.match(e.message, /invalid port "9000-9002:8000-8001": .*differ in size \(services\.app\.ports\[1\]\)/)
    assert.match(thrown(() => parsePortSpecOrThrow('80/icmp')).message, /unknown protocol "icmp"/)
    assert.match(thrown(() => parsePortSpecOrThrow('99999')).message, /invalid container port/)
  })
})

function parsePortSpecOrThrow(spec: string): unknown {
  const out = parsePortSpec(spec)
  if (typeof out === 'string') throw new Error(out)
  return out
}
