/**
 * Where the cluster is and who we are, read from kubeconfig as kubectl reads it: --kubeconfig, else
 * the files in KUBECONFIG (':'-separated; for each name the first file that defines it wins; files
 * that do not exist are skipped), else ~/.kube/config. The context is --context, else
 * current-context. From it: the server, TLS (certificate-authority(-data), client-certificate(-data)
 * and client-key(-data), insecure-skip-tls-verify, tls-server-name), credentials (token, tokenFile,
 * username/password) and the context's namespace. Relative file paths resolve against the file
 * that names them. Credentials are never printed.
 */
import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {delimiter, dirname, isAbsolute, join, resolve} from 'node:path'
import {UnsupportedError, UserInputError} from '../sdk/index.js'

export interface ClusterAccess {
  /** The context used. */
  context: string
  /** https://host:port (no trailing slash), or http:// for a plain endpoint. */
  server: string
  /** The context's namespace, if it names one. */
  namespace?: string
  tls: {
    ca?: Buffer
    cert?: Buffer
    key?: Buffer
    /** insecure-skip-tls-verify */
    insecure: boolean
    servername?: string
  }
  /** The Authorization header value, if any. */
  authorization?: string
  /** Where the configuration came from, for messages. */
  source: string
}

export interface KubeconfigOptions {
  /** --kubeconfig */
  kubeconfig?: string
  /** --context */
  context?: string
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>
  /** Defaults to os.homedir(). */
  home?: string
}

type Named<T> = {name: string; [key: string]: unknown} & Record<string, T | unknown>

interface Loaded {
  file: string
  doc: Record<string, unknown>
}

async function loadFile(file: string, required: boolean): Promise<Loaded | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    const code = (error as NodeJS.ErrnoException).code
    throw new UserInputError('KUBECONFIG_UNREADABLE', `cannot read kubeconfig ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`)
  }
  const {parse} = await import('yaml')
  let doc: unknown
  try {
    doc = parse(text)
  } catch (error) {
    throw new UserInputError('KUBECONFIG_INVALID', `kubeconfig ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`)
  }
  if (doc === null || doc === undefined) return {file, doc: {}}
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UserInputError('KUBECONFIG_INVALID', `kubeconfig ${file} is not a mapping`)
  return {file, doc: doc as Record<string, unknown>}
}

/** The entry of `list` (kubeconfig's `- name: x, <field>: {...}`) named `name`, with the file that holds it. */
function find(files: Loaded[], list: 'clusters' | 'users' | 'contexts', field: 'cluster' | 'user' | 'context', name: string): {value: Record<string, unknown>; file: string} | undefined {
  for (const {file, doc} of files) {
    const entries = doc[list]
    if (!Array.isArray(entries)) continue
    for (const entry of entries as Array<Named<unknown>>) {
      if (entry && entry.name === name) {
        const value = entry[field]
        return {value: value && typeof value === 'object' ? (value as Record<string, unknown>) : {}, file}
      }
    }
  }
  return undefined
}

function names(files: Loaded[], list: 'contexts'): string[] {
  const out = new Set<string>()
  for (const {doc} of files) for (const e of (Array.isArray(doc[list]) ? doc[list] : []) as Array<Named<unknown>>) if (e && typeof e.name === 'string') out.add(e.name)
  return [...out]
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

async function material(what: string, data: unknown, file: unknown, base: string): Promise<Buffer | undefined> {
  const inline = str(data)
  if (inline) return Buffer.from(inline, 'base64')
  const path = str(file)
  if (!path) return undefined
  const full = isAbsolute(path) ? path : resolve(dirname(base), path)
  try {
    return await readFile(full)
  } catch (error) {
    throw new UserInputError('KUBECONFIG_UNREADABLE', `kubeconfig ${base}: cannot read ${what} ${full}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
}

/** The files kubectl would read, in order, and whether each must exist. */
export function kubeconfigFiles(options: KubeconfigOptions): Array<{file: string; required: boolean}> {
  const env = options.env ?? process.env
  if (options.kubeconfig) return [{file: resolve(options.kubeconfig), required: true}]
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '')
  if (list.length > 0) return list.map((file) => ({file: resolve(file), required: false}))
  return [{file: join(options.home ?? homedir(), '.kube', 'config'), required: false}]
}

export async function loadClusterAccess(options: KubeconfigOptions = {}): Promise<ClusterAccess> {
  const wanted = kubeconfigFiles(options)
  const files = (await Promise.all(wanted.map((w) => loadFile(w.file, w.required)))).filter((f): f is Loaded => f !== undefined)
  const source = wanted.map((w) => w.file).join(delimiter)
  if (files.length === 0) {
    throw new UserInputError('KUBECONFIG_MISSING', `no kubeconfig found (looked at ${source})`, {hints: ['set KUBECONFIG or pass --kubeconfig FILE, as for kubectl']})
  }
  const contextName = options.context ?? files.map((f) => str(f.doc['current-context'])).find((c) => c !== undefined)
  if (!contextName) {
    throw new UserInputError('KUBECONFIG_NO_CONTEXT', `kubeconfig ${source} has no current-context`, {hints: [`pass --context NAME${names(files, 'contexts').length > 0 ? ` (contexts: ${names(files, 'contexts').join(', ')})` : ''}`]})
  }
  const context = find(files, 'contexts', 'context', contextName)
  if (!context) {
    const known = names(files, 'contexts')
    throw new UserInputError('KUBECONFIG_CONTEXT_UNKNOWN', `context "${contextName}" is not in kubeconfig ${source}`, {hints: [known.length > 0 ? `contexts: ${known.join(', ')}` : 'the kubeconfig defines no contexts']})
  }
  const clusterName = str(context.value.cluster)
  const cluster = clusterName ? find(files, 'clusters', 'cluster', clusterName) : undefined
  if (!cluster) throw new UserInputError('KUBECONFIG_INVALID', `context "${contextName}" names cluster "${clusterName ?? ''}", which kubeconfig ${source} does not define`)
  const server = str(cluster.value.server)
  if (!server) throw new UserInputError('KUBECONFIG_INVALID', `cluster "${clusterName}" in ${cluster.file} has no server`)
  let url: URL
  try {
    url = new URL(server)
  } catch {
    throw new UserInputError('KUBECONFIG_INVALID', `cluster "${clusterName}" in ${cluster.file}: server "${server}" is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserInputError('KUBECONFIG_INVALID', `cluster "${clusterName}": server ${server} is not http(s)`)
  if (str(cluster.value['proxy-url'])) throw new UnsupportedError(`cluster "${clusterName}" is reached through proxy-url, which Berth does not support yet`)

  const userName = str(context.value.user)
  const user = userName ? find(files, 'users', 'user', userName) : undefined
  if (userName && !user) throw new UserInputError('KUBECONFIG_INVALID', `context "${contextName}" names user "${userName}", which kubeconfig ${source} does not define`)
  const u = user?.value ?? {}
  if (u.exec || u['auth-provider']) {
    const how = u.exec ? `an exec plugin (${str((u.exec as Record<string, unknown>).command) ?? '?'})` : 'an auth-provider'
    throw new UnsupportedError(`user "${userName}" authenticates with ${how}, which Berth does not run yet`, {hints: ['use a context whose user has a token or a client certificate']})
  }
  let authorization: string | undefined
  const token = str(u.token)
  const tokenFile = str(u.tokenFile)
  if (token) authorization = `Bearer ${token}`
  else if (tokenFile) {
    const bytes = await material('tokenFile', undefined, tokenFile, user!.file)
    authorization = `Bearer ${bytes!.toString('utf8').trim()}`
  } else if (str(u.username) !== undefined) {
    authorization = `Basic ${Buffer.from(`${str(u.username)}:${str(u.password) ?? ''}`).toString('base64')}`
  }
  const [ca, cert, key] = await Promise.all([
    material('certificate-authority', cluster.value['certificate-authority-data'], cluster.value['certificate-authority'], cluster.file),
    material('client-certificate', u['client-certificate-data'], u['client-certificate'], user?.file ?? cluster.file),
    material('client-key', u['client-key-data'], u['client-key'], user?.file ?? cluster.file),
  ])
  if ((cert && !key) || (key && !cert)) throw new UserInputError('KUBECONFIG_INVALID', `user "${userName}" has a client ${cert ? 'certificate without a key' : 'key without a certificate'}`)
  return {
    context: contextName,
    server: server.replace(/\/+$/, ''),
    namespace: str(context.value.namespace),
    tls: {ca, cert, key, insecure: cluster.value['insecure-skip-tls-verify'] === true, servername: str(cluster.value['tls-server-name'])},
    authorization,
    source,
  }
}
