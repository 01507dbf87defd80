/**
 * Compose durations, sizes and CPU counts as Kubernetes writes them: whole seconds for probes and
 * grace periods, quantities for memory (`512Mi`, or bytes when no binary unit divides them) and
 * CPU (`500m`, `2`).
 */
import {bytesOf, durationToNanos} from '../../../runtime/units.js'
import {UserInputError} from '../../sdk/index.js'

/** Whole seconds (rounded down, as kompose does), or undefined when not set. */
export function seconds(service: string, field: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined
  try {
    return Math.floor(durationToNanos(value) / 1e9)
  } catch {
    throw new UserInputError('KUBE_FIELD_INVALID', `service ${service}: ${field} "${value}" is not a duration`)
  }
}

const BINARY: Array<[string, number]> = [['Ei', 1024 ** 6], ['Pi', 1024 ** 5], ['Ti', 1024 ** 4], ['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]]

/** A byte count as a Kubernetes quantity: the largest binary unit that divides it, else plain bytes. */
export function memoryQuantity(service: string, field: string, value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  let bytes: number
  try {
    bytes = bytesOf(value)
  } catch {
    throw new UserInputError('KUBE_FIELD_INVALID', `service ${service}: ${field} "${value}" is not a size`)
  }
  if (bytes === 0) return undefined
  for (const [unit, size] of BINARY) if (bytes % size === 0) return `${bytes / size}${unit}`
  return String(bytes)
}

/** A CPU count as a Kubernetes quantity: `0.5` -> `500m`, `2` -> `2`. */
export function cpuQuantity(service: string, field: string, value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(n) || n < 0) throw new UserInputError('KUBE_FIELD_INVALID', `service ${service}: ${field} "${value}" is not a number of CPUs`)
  if (n === 0) return undefined
  const milli = Math.round(n * 1000)
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`
}

/** A storage size as written for a claim (`1Gi`, `500M`); a bad one is the user's error. */
export function storageQuantity(what: string, value: string): string {
  if (!/^[+]?(\d+|\d+\.\d*|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[kMGTPE]|m)?$/.test(value.trim())) {
    throw new UserInputError('KUBE_FIELD_INVALID', `${what}: "${value}" is not a Kubernetes quantity (such as 100Mi or 1Gi)`)
  }
  return value.trim()
}
