/**
 * Kubernetes names from Compose names, as kompose makes them: lower case, `_` and `.` become `-`
 * (a service `web_app` becomes `web-app`). A name that is still not a DNS label after that is the
 * user's to fix, and says so before anything is printed or sent.
 */
import {UserInputError} from '../../sdk/index.js'

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/

/** A service (or container) name: `Web_App.v2` -> `web-app-v2`. */
export function serviceName(name: string): string {
  return name.toLowerCase().replace(/[._]/g, '-')
}

/** A secret, config or volume name: `db_password` -> `db-password` (dots are allowed here). */
export function objectName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-')
}

/** A network's full name as its NetworkPolicy is called: `demo_back` -> `demo-back`. */
export function networkName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-').replace(/[^a-z0-9.-]+/g, '')
}

/** A Service or pod name: a DNS label (RFC 1035: starts with a letter, at most 63). */
export function checkServiceName(original: string, name: string): string {
  if (!DNS_LABEL.test(name)) {
    throw new UserInputError('KUBE_NAME_INVALID', `service "${original}" cannot be named in Kubernetes: "${name}" is not a DNS label (a-z, 0-9 and '-', starting with a letter, at most 63 characters)`, {
      hints: ['rename the service, or set the label kompose.service.name_override to a valid name'],
    })
  }
  return name
}

/** An object name (Secret, ConfigMap, PersistentVolumeClaim): a DNS subdomain. */
export function checkObjectName(what: string, original: string, name: string): string {
  if (!DNS_SUBDOMAIN.test(name)) {
    throw new UserInputError('KUBE_NAME_INVALID', `${what} "${original}" cannot be named in Kubernetes: "${name}" is not a DNS subdomain (a-z, 0-9, '-' and '.', at most 253 characters)`, {
      hints: [`rename the ${what} in the Compose file`],
    })
  }
  return name
}

/** A volume name inside a pod: a DNS label; long or odd names are cut and made valid. */
export function podVolumeName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '')
  return (cleaned.length > 63 ? cleaned.slice(0, 63) : cleaned).replace(/-+$/, '') || 'volume'
}
