import {assertInvalid, assertValid, service} from './support.js'

describe('schema: services.*.depends_on', () => {
  it('accepts the list form and the map form with every condition', () => {
    assertValid(service('depends_on: [db, cache]'))
    assertValid(
      service(`depends_on:
  db:
    condition: service_healthy
    restart: true
  cache:
    condition: service_started
    required: false
  migrate:
    condition: service_completed_successfully
  plain: {}`),
    )
  })

  it('accepts booleans given as strings (interpolated) for restart and required', () => {
    assertValid(service('depends_on:\n  db:\n    condition: service_started\n    required: "false"\n    restart: "${RESTART}"'))
  })

  it('rejects an unknown condition and lists the valid ones', () => {
    assertInvalid(
      service('depends_on:\n  db:\n    condition: service_ready'),
      'compose.yaml:6:9: expected one of "service_started", "service_healthy", "service_completed_successfully", got "service_ready" (services.web.depends_on.db.condition)',
    )
  })

  it('rejects unknown fields, non-string list items and bad service names', () => {
    assertInvalid(
      service('depends_on:\n  db:\n    condtion: service_healthy'),
      'compose.yaml:6:9: unknown field "condtion", did you mean "condition"? (services.web.depends_on.db.condtion)',
    )
    assertInvalid(
      service('depends_on:\n  - 1'),
      'compose.yaml:5:9: expected a service name made of letters, digits, ".", "_" and "-", got 1 (services.web.depends_on[0])',
    )
    assertInvalid(service('depends_on:\n  "my db": {}'), 'compose.yaml:5:7: invalid service name "my db": use only letters, digits, ".", "_" and "-" (services.web.depends_on.my db)')
    assertInvalid(service('depends_on: db'), 'compose.yaml:4:5: expected a list or a mapping, got "db" (services.web.depends_on)')
  })
})
