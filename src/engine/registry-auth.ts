/**
 * Registry credentials the way the docker CLI finds them, for pull and push: in $DOCKER_CONFIG
 * (default ~/.docker) config.json, a per-registry `credHelpers` entry, else the `credsStore`
 * helper, else the `auths` entry (base64 "user:password" or an identity token). Helpers are the
 * `docker-credential-<name>` programs (`get`, server address on stdin). Credentials only ever go
 * into the X-Registry-Auth header; nothing here logs or throws them.
 */
import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {EngineConfigError} from './endpoint.js'
import type {RegistryAuth} from './resources/images.js'

/** The key Docker Hub credentials are stored under. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/'

/** The registry host of an image reference: `127.0.0.1:5000`, `ghcr.io`, or Docker Hub. */
export function registryOf(image: string): string {
  const slash = image.indexOf('/')
  if (slash < 0) return DOCKER_HUB_AUTH_KEY
  const first = image.slice(0, slash)
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost'
  if (!isHost || first === 'docker.io' || first === 'index.docker.io' || first === 'registry-1.docker.io') return DOCKER_HUB_AUTH_KEY
  return first
}

interface DockerConfig {
  auths?: Record<string, {auth?: string; username?: string; password?: string; identitytoken?: string}>
  credHelpers?: Record<string, string>
  credsStore?: string
}

export interface AuthLookup {
  env?: NodeJS.ProcessEnv
  home?: string
}

/** Credentials for the registry of `image`, or undefined for anonymous access. */
export async function resolveRegistryAuth(image: string, lookup: AuthLookup = {}): Promise<RegistryAuth | undefined> {
  const env = lookup.env ?? process.env
  const dir = env.DOCKER_CONFIG || join(lookup.home ?? env.HOME ?? homedir(), '.docker')
  const file = join(dir, 'config.json')
  let config: DockerConfig
  try {
    config = JSON.parse(await readFile(file, 'utf8')) as DockerConfig
  } catch (error) {
    if ((error as {code?: string}).code === 'ENOENT') return undefined
    throw new EngineConfigError(`cannot read ${file}: ${(error as Error).name === 'SyntaxError' ? 'not valid JSON' : (error as Error).message}`)
  }
  const registry = registryOf(image)
  const keys = registry === DOCKER_HUB_AUTH_KEY ? [DOCKER_HUB_AUTH_KEY, 'docker.io', 'index.docker.io', 'registry-1.docker.io'] : [registry, `https://${registry}`, `http://${registry}`]
  const helper = keys.map((k) => config.credHelpers?.[k]).find(Boolean) ?? config.credsStore
  if (helper) {
    const fromHelper = await fromCredentialHelper(helper, registry, env)
    if (fromHelper) return fromHelper
  }
  for (const key of keys) {
    const entry = config.auths?.[key]
    if (!entry) continue
    if (entry.identitytoken) return {identitytoken: entry.identitytoken, serveraddress: registry}
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon > 0) return {username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: registry}
    }
    if (entry.username && entry.password) return {username: entry.username, password: entry.password, serveraddress: registry}
  }
  return undefined
}

async function fromCredentialHelper(helper: string, registry: string, env: NodeJS.ProcessEnv): Promise<RegistryAuth | undefined> {
  const program = `docker-credential-${helper}`
  const {execFile} = await import('node:child_process')
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], {env, timeout: 30_000}, (error, stdout) => {
      if (error) {
        // "credentials not found" is an ordinary answer: anonymous access.
        if (/not found/i.test(stdout) || (error as {code?: unknown}).code === 1) return resolve(undefined)
        if ((error as {code?: unknown}).code === 'ENOENT') {
          return reject(new EngineConfigError(`the docker credential helper ${program} is configured but not installed`, ['install it, or remove credsStore/credHelpers from your docker config.json']))
        }
        return reject(new EngineConfigError(`the docker credential helper ${program} failed`))
      }
      try {
        const parsed = JSON.parse(stdout) as {Username?: string; Secret?: string}
        if (!parsed.Secret) return resolve(undefined)
        resolve(parsed.Username === '<token>' ? {identitytoken: parsed.Secret, serveraddress: registry} : {username: parsed.Username, password: parsed.Secret, serveraddress: registry})
      } catch {
        reject(new EngineConfigError(`the docker credential helper ${program} answered something that is not JSON`))
      }
    })
    child.stdin?.end(registry)
  })
}
