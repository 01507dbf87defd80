/**
 * Health checks as probes. `healthcheck:` becomes the livenessProbe, as kompose makes it: an exec
 * probe (CMD as written; CMD-SHELL through `/bin/sh -c`, which is what Compose runs), interval ->
 * periodSeconds, timeout -> timeoutSeconds, retries -> failureThreshold, start_period ->
 * initialDelaySeconds. kompose's labels give an httpGet or tcpSocket liveness probe instead, and a
 * readinessProbe (`kompose.service.healthcheck.readiness.*`).
 */
import {UserInputError, type ServiceConfig} from '../../sdk/index.js'
import type {IProbe} from '../types.js'
import type {Context} from './context.js'
import {seconds} from './units.js'

const LIVENESS = 'kompose.service.healthcheck.liveness.'
const READINESS = 'kompose.service.healthcheck.readiness.'

/** Shell-like words (quotes and backslashes), for a label holding a command. */
export function shellWords(text: string): string[] {
  const words: string[] = []
  let word = ''
  let quote: string | undefined
  let started = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i]
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      started = true
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i]
      started = true
    } else if (/\s/.test(c)) {
      if (started) words.push(word)
      word = ''
      started = false
    } else {
      word += c
      started = true
    }
  }
  if (started) words.push(word)
  return words
}

/** A Compose test (`["CMD", ...]`, `["CMD-SHELL", "..."]`, `["NONE"]`) as an exec command; undefined for NONE. */
export function execCommand(test: readonly string[]): string[] | undefined {
  const [first, ...rest] = test
  if (first === 'NONE' || test.length === 0) return undefined
  if (first === 'CMD') return rest
  if (first === 'CMD-SHELL') return ['/bin/sh', '-c', rest.join(' ')]
  return [...test]
}

function port(service: string, label: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserInputError('KUBE_FIELD_INVALID', `service ${service}: label ${label} "${value}" is not a port`)
  return n
}

interface Timing {
  interval?: string
  timeout?: string
  retries?: number | string
  start_period?: string
}

function timed(service: string, prefix: string, probe: IProbe, timing: Timing): IProbe {
  const period = seconds(service, `${prefix}interval`, timing.interval)
  const timeout = seconds(service, `${prefix}timeout`, timing.timeout)
  const delay = seconds(service, `${prefix}start_period`, timing.start_period)
  const retries = timing.retries === undefined || timing.retries === '' ? undefined : Number(timing.retries)
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) throw new UserInputError('KUBE_FIELD_INVALID', `service ${service}: ${prefix}retries "${timing.retries}" is not a count`)
  return {
    ...probe,
    ...(period ? {periodSeconds: period} : {}),
    ...(timeout ? {timeoutSeconds: timeout} : {}),
    ...(retries ? {failureThreshold: retries} : {}),
    ...(delay ? {initialDelaySeconds: delay} : {}),
  }
}

function handler(service: string, labels: Record<string, string>, prefix: string, command: string[] | undefined): IProbe | undefined {
  if (command && command.length > 0) return {exec: {command}}
  const path = labels[`${prefix}http_get_path`]
  const httpPort = port(service, `${prefix}http_get_port`, labels[`${prefix}http_get_port`])
  if (path && httpPort) return {httpGet: {path, port: httpPort}}
  const tcpPort = port(service, `${prefix}tcp_port`, labels[`${prefix}tcp_port`])
  if (tcpPort) return {tcpSocket: {port: tcpPort}}
  return undefined
}

export function livenessProbe(ctx: Context, service: ServiceConfig): IProbe | undefined {
  const health = service.healthcheck
  const labels = service.labels ?? {}
  if (health?.disable || health?.test?.[0] === 'NONE') return undefined
  const probe = handler(service.name, labels, LIVENESS, health?.test ? execCommand(health.test) : undefined)
  if (!probe) {
    if (health && Object.keys(health).length > 0) ctx.warn(`service ${service.name}: healthcheck has no test in the Compose file (the image's own is not visible here) - no livenessProbe`)
    return undefined
  }
  return timed(service.name, 'healthcheck.', probe, health ?? {})
}

export function readinessProbe(_ctx: Context, service: ServiceConfig): IProbe | undefined {
  const labels = service.labels ?? {}
  if (!Object.keys(labels).some((k) => k.startsWith(READINESS))) return undefined
  if (['true', '1'].includes(labels[`${READINESS}disable`] ?? '')) return undefined
  const test = labels[`${READINESS}test`]
  let command = test ? shellWords(test) : undefined
  if (command?.[0] === 'NONE') return undefined
  if (command?.[0] === 'CMD' || command?.[0] === 'CMD-SHELL') command = command.slice(1)
  const probe = handler(service.name, labels, READINESS, command)
  if (!probe) return undefined
  return timed(service.name, READINESS, probe, {
    interval: labels[`${READINESS}interval`],
    timeout: labels[`${READINESS}timeout`],
    retries: labels[`${READINESS}retries`],
    start_period: labels[`${READINESS}start_period`],
  })
}
