import {assertInvalid, assertValid, service} from './support.js'

describe('schema: services.*.ports and expose', () => {
  it('accepts every short form the specification lists', () => {
    assertValid(
      service(`ports:
  - "3000"
  - "3000-3005"
  - "8000:8000"
  - "9090-9091:8080-8081"
  - "49100:22"
  - "8000-9000:80"
  - "127.0.0.1:8001:8001"
  - "127.0.0.1:5000-5010:5000-5010"
  - "127.0.0.1::5000"
  - "::1:6000:6000"
  - "[::1]:6001:6001"
  - "6060:6060/udp"
  - 8080`),
    )
  })

  it('accepts the long syntax, published as a string, a range or a number', () => {
    assertValid(
      service(`ports:
  - name: web
    target: 80
    host_ip: 127.0.0.1
    published: "8080"
    protocol: tcp
    app_protocol: http
    mode: host
  - target: 443
    published: 8000-9000
  - target: 53
    published: 5353
    protocol: udp
    x-note: extension keys are fine here`),
    )
  })

  it('accepts numbers given as strings after interpolation, and unresolved references', () => {
    assertValid(service(`ports:\n  - target: "80"\n    published: "\${PORT}"\n  - "\${HOST_PORT}:80"`))
  })

  it('rejects a short port that is not [IP:][HOST:]CONTAINER[/PROTOCOL]', () => {
    assertInvalid(
      service('ports:\n  - "80:http"'),
      'compose.yaml:5:9: expected a port such as "80", "8080:80", "127.0.0.1:8080:80/udp" or "9090-9091:8080-8081", got "80:http" (services.web.ports[0])',
    )
    assertInvalid(service('ports:\n  - "8080:80/"'), /got "8080:80\/" \(services\.web\.ports\[0\]\)$/)
  })

  it('names every accepted form when the item has the wrong type', () => {
    assertInvalid(
      service('ports:\n  - true'),
      'compose.yaml:5:9: expected a port: a number, a string such as "8080:80" or "127.0.0.1:8080:80/udp", or a mapping (long syntax), got true (services.web.ports[0])',
    )
  })

  it('long syntax: target is required, unknown fields are named with a suggestion', () => {
    assertInvalid(service('ports:\n  - published: "80"'), 'compose.yaml:5:9: missing required field "target" (services.web.ports[0])')
    assertInvalid(
      service('ports:\n  - target: 80\n    publised: "8080"'),
      'compose.yaml:6:9: unknown field "publised", did you mean "published"? (services.web.ports[0].publised)',
    )
    assertInvalid(service('ports:\n  - target: eighty'), 'compose.yaml:5:9: expected an integer, got "eighty" (services.web.ports[0].target)')
    assertInvalid(service('ports:\n  - target: 80\n    published: "80:80"'), /expected a host port or port range such as "8080" or "8000-8010", got "80:80" \(services\.web\.ports\[0\]\.published\)$/)
  })

  it('rejects a host_ip that is not an IP address (a rule outside the schema)', () => {
    assertInvalid(service('ports:\n  - target: 80\n    host_ip: localhost'), 'compose.yaml:6:9: host_ip must be an IP address, got "localhost" (services.web.ports[0].host_ip)')
    assertValid(service('ports:\n  - target: 80\n    host_ip: "::1"'))
  })

  it('expose: ports and ranges with an optional protocol', () => {
    assertValid(service('expose:\n  - "3000"\n  - 8000\n  - "8080-8085/tcp"'))
    assertInvalid(service('expose:\n  - "3000:3000"'), 'compose.yaml:5:9: expected a port or port range such as "3000" or "8000-8010/tcp", got "3000:3000" (services.web.expose[0])')
  })
})
