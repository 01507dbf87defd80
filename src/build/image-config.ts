/**
 * The image configuration a build changes, in the Engine API's shape (the `Config` of
 * GET /images/{id}/json, the body of POST /commit).
 */
export interface HealthConfig {
  Test?: string[]
  Interval?: number
  Timeout?: number
  StartPeriod?: number
  StartInterval?: number
  Retries?: number
}

export interface ImageConfig {
  Env?: string[] | null
  Cmd?: string[] | null
  Entrypoint?: string[] | null
  WorkingDir?: string
  User?: string
  ExposedPorts?: Record<string, object> | null
  Labels?: Record<string, string> | null
  Volumes?: Record<string, object> | null
  StopSignal?: string
  Healthcheck?: HealthConfig
  Shell?: string[] | null
  OnBuild?: string[] | null
  [other: string]: unknown
}

export function envToMap(env: readonly string[] | null | undefined): Map<string, string> {
  const out = new Map<string, string>()
  for (const entry of env ?? []) {
    const eq = entry.indexOf('=')
    if (eq < 0) out.set(entry, '')
    else out.set(entry.slice(0, eq), entry.slice(eq + 1))
  }
  return out
}

/** Sets `name` in an Env list, keeping the position of an existing entry as the engine does. */
export function setEnv(env: readonly string[] | null | undefined, name: string, value: string): string[] {
  const list = [...(env ?? [])]
  const at = list.findIndex((e) => e === name || e.startsWith(`${name}=`))
  if (at >= 0) list[at] = `${name}=${value}`
  else list.push(`${name}=${value}`)
  return list
}
