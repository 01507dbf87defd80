/**
 * Where the Docker Engine is: a chain of strategies, first answer wins, like the docker CLI.
 *
 *   1. an explicit host (a `--host` option)       -> that host
 *   2. an explicit context (a `--context` option) -> the context store
 *   3. DOCKER_HOST                                 -> that host (TLS from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH)
 *   4. DOCKER_CONTEXT                              -> the context store
 *   5. ~/.docker/config.json `currentContext`      -> the context store
 *   6. the default                                 -> unix:///var/run/docker.sock
 *
 * The context store lives in $DOCKER_CONFIG (default ~/.docker): contexts/meta/<sha256(name)>/meta.json
 * holds `Endpoints.docker.Host`; contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem holds TLS
 * material. The context named `default` means "the environment and the default socket".
 */
import {createRequire} from 'node:module'
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {BerthError, UnsupportedError} from '../errors.js'

export const DEFAULT_HOST = 'unix:///var/run/docker.sock'

export interface TlsMaterial {
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
  /** Verify the server's certificate against `ca` (DOCKER_TLS_VERIFY, or a context without SkipTLSVerify). */
  verify: boolean
}

export interface Endpoint {
  /** The address as the user would write it: `unix:///var/run/docker.sock`, `tcp://10.0.0.2:2376`. */
  host: string
  /** A unix socket path, for `unix://` hosts. */
  socketPath?: string
  /** The HTTP(S) origin requests go to (`http://localhost` for sockets). */
  origin: string
  tls?: TlsMaterial
  /** Which strategy found it, for --debug and error messages: `DOCKER_HOST`, `context "remote"`, `default`. */
  source: string
}

export interface DiscoveryInput {
  /** An explicit host, as from a `--host` flag. */
  host?: string
  /** An explicit context name, as from a `--context` flag. */
  context?: string
  env?: NodeJS.ProcessEnv
  /** The home directory (tests use a temporary one). */
  home?: string
}

/** One way of finding the engine: answers an endpoint, or undefined to let the next one try. */
export type DiscoveryStrategy = (input: Required<Pick<DiscoveryInput, 'env' | 'home'>> & DiscoveryInput) => Endpoint | undefined

export class EngineConfigError extends BerthError {
  constructor(message: string, hints: string[] = []) {
    super('ENGINE_CONFIG', message, {hints})
  }
}

const explicitHost: DiscoveryStrategy = ({host, env, home}) => (host ? parseHost(host, 'the --host option', envTls(env, home)) : undefined)

const explicitContext: DiscoveryStrategy = ({context, env, home}) => (context ? fromContext(context, `the --context option`, env, home) : undefined)

const dockerHostEnv: DiscoveryStrategy = ({env, home}) => (env.DOCKER_HOST ? parseHost(env.DOCKER_HOST, 'DOCKER_HOST', envTls(env, home)) : undefined)

const dockerContextEnv: DiscoveryStrategy = ({env, home}) =>
  env.DOCKER_CONTEXT ? fromContext(env.DOCKER_CONTEXT, 'DOCKER_CONTEXT', env, home) : undefined

const currentContext: DiscoveryStrategy = ({env, home}) => {
  const file = join(configDir(env, home), 'config.json')
  if (!existsSync(file)) return undefined
  let config: {currentContext?: unknown}
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as {currentContext?: unknown}
  } catch (error) {
    throw new EngineConfigError(`cannot read ${file}: ${(error as Error).message}`)
  }
  return typeof config.currentContext === 'string' && config.currentContext !== ''
    ? fromContext(config.currentContext, `currentContext in ${file}`, env, home)
    : undefined
}

const defaultSocket: DiscoveryStrategy = () => parseHost(DEFAULT_HOST, 'default')

/** The strategies in the order the docker CLI applies them. */
export const DISCOVERY_CHAIN: readonly DiscoveryStrategy[] = [explicitHost, explicitContext, dockerHostEnv, dockerContextEnv, currentContext, defaultSocket]

export function discoverEndpoint(input: DiscoveryInput = {}, chain: readonly DiscoveryStrategy[] = DISCOVERY_CHAIN): Endpoint {
  const full = {...input, env: input.env ?? process.env, home: input.home ?? input.env?.HOME ?? homedir()}
  for (const strategy of chain) {
    const endpoint = strategy(full)
    if (endpoint) return endpoint
  }
  return parseHost(DEFAULT_HOST, 'default')
}

/** Parses `unix:///path`, `tcp://host:port`, `http(s)://host:port` or a bare socket path. */
export function parseHost(host: string, source: string, tls?: TlsMaterial): Endpoint {
  const trimmed = host.trim()
  if (trimmed.startsWith('/')) return parseHost(`unix://${trimmed}`, source, tls)
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    throw new EngineConfigError(`${source}: "${host}" is not an engine address`, ['use unix:///var/run/docker.sock or tcp://HOST:PORT'])
  }
  switch (url.protocol) {
    case 'unix:': {
      const socketPath = decodeURIComponent(url.pathname || url.host)
      if (!socketPath) throw new EngineConfigError(`${source}: "${host}" names no socket path`)
      return {host: `unix://${socketPath}`, socketPath, origin: 'http://localhost', source}
    }
    case 'tcp:':
    case 'http:':
    case 'https:': {
      if (!url.hostname) throw new EngineConfigError(`${source}: "${host}" names no host`)
      const secure = url.protocol === 'https:' || tls !== undefined
      const port = url.port || (secure ? '2376' : '2375')
      const hostname = url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname
      return {
        host: `tcp://${hostname}:${port}`,
        origin: `${secure ? 'https' : 'http'}://${hostname}:${port}`,
        tls: secure ? (tls ?? {verify: true}) : undefined,
        source,
      }
    }
    case 'ssh:':
      throw new UnsupportedError(`${source}: ssh:// engine addresses are not supported yet ("${host}")`, {
        hints: ['forward the remote socket: `ssh -NL /tmp/docker.sock:/var/run/docker.sock HOST`, then DOCKER_HOST=unix:///tmp/docker.sock'],
      })
    case 'npipe:':
      throw new UnsupportedError(`${source}: npipe:// engine addresses only exist on Windows ("${host}")`)
    default:
      throw new EngineConfigError(`${source}: unknown scheme in "${host}"`, ['use unix:///var/run/docker.sock or tcp://HOST:PORT'])
  }
}

/** TLS from the environment: DOCKER_TLS_VERIFY turns on verification, DOCKER_TLS on TLS, DOCKER_CERT_PATH holds the PEM files. */
export function envTls(env: NodeJS.ProcessEnv, home: string): TlsMaterial | undefined {
  const verify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== ''
  const enabled = verify || (env.DOCKER_TLS !== undefined && env.DOCKER_TLS !== '')
  if (!enabled) return undefined
  const dir = env.DOCKER_CERT_PATH || configDir(env, home)
  const material = readTlsDir(dir, verify)
  if (verify && !material.ca) throw new EngineConfigError(`DOCKER_TLS_VERIFY is set but ${join(dir, 'ca.pem')} does not exist`, ['set DOCKER_CERT_PATH to the folder that holds ca.pem, cert.pem and key.pem'])
  return material
}

function fromContext(name: string, source: string, env: NodeJS.ProcessEnv, home: string): Endpoint | undefined {
  // The default context is "whatever the environment says", which the later strategies handle.
  if (name === 'default') return undefined
  // node:crypto is loaded only here: every command pays for what the engine module imports.
  const {createHash} = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
  const id = createHash('sha256').update(name).digest('hex')
  const dir = configDir(env, home)
  const metaFile = join(dir, 'contexts', 'meta', id, 'meta.json')
  if (!existsSync(metaFile)) {
    throw new EngineConfigError(`docker context "${name}" (from ${source}) does not exist`, ['list contexts with `docker context ls`, or unset DOCKER_CONTEXT'])
  }
  let meta: {Endpoints?: {docker?: {Host?: unknown; SkipTLSVerify?: unknown}}}
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as typeof meta
  } catch (error) {
    throw new EngineConfigError(`cannot read docker context "${name}" at ${metaFile}: ${(error as Error).message}`)
  }
  const docker = meta.Endpoints?.docker
  if (!docker || typeof docker.Host !== 'string' || docker.Host === '') {
    throw new EngineConfigError(`docker context "${name}" has no docker endpoint (${metaFile})`)
  }
  const tlsDir = join(dir, 'contexts', 'tls', id, 'docker')
  const tls = existsSync(tlsDir) ? readTlsDir(tlsDir, docker.SkipTLSVerify !== true) : undefined
  return parseHost(docker.Host, `context "${name}"`, tls)
}

function readTlsDir(dir: string, verify: boolean): TlsMaterial {
  const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file)) : undefined)
  return {ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), verify}
}

function configDir(env: NodeJS.ProcessEnv, home: string): string {
  return env.DOCKER_CONFIG || join(home, '.docker')
}
