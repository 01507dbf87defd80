/**
 * A service's storage as pod volumes, in kompose's order (configs, secrets, volumes, tmpfs):
 *
 * - named volume -> PersistentVolumeClaim named after it (size: the volume's or the service's
 *   `kompose.volume.size` label, else 100Mi; `kompose.volume.storage-class-name`), mounted by claim;
 *   an external volume's claim is referenced, not made
 * - anonymous volume -> emptyDir `<service>-empty<N>` (a fresh directory per pod, as Compose gives
 *   a fresh volume per container)
 * - bind mount -> hostPath `<service>-hostpath<N>` with a warning: it is the node's path
 * - tmpfs -> emptyDir with medium Memory `<service>-tmpfs<N>` (size= becomes sizeLimit)
 * - secret -> Secret volume, one file at its target (/run/secrets/<name> by default) through subPath
 * - config -> ConfigMap volume, one file at its target (/<name> by default) through subPath
 */
import {posix, relative} from 'node:path'
import {UserInputError, type ServiceConfig} from '../../sdk/index.js'
import type {IPersistentVolumeClaim, IVolume, IVolumeMount} from '../types.js'
import {namespaced, objectLabels, type Context} from './context.js'
import {checkObjectName, objectName, podVolumeName} from './names.js'
import {memoryQuantity, storageQuantity} from './units.js'

export const DEFAULT_CLAIM_SIZE = '100Mi'

export interface PodStorage {
  volumes: IVolume[]
  mounts: IVolumeMount[]
  /** Claims to make (named volumes that are not external). */
  claims: IPersistentVolumeClaim[]
  /** Pod volume names that are claims (a StatefulSet takes them as volumeClaimTemplates instead). */
  claimVolumes: Set<string>
}

/** The path of `file` shown to the user: relative to the project when it is inside. */
function shown(ctx: Context, file: string): string {
  const rel = relative(ctx.project.workingDir, file)
  return rel.startsWith('..') || rel === '' ? file : `./${rel}`
}

/** `"0440"`, `288`, `"288"` -> 288 (a Compose mode is octal text or a number). */
function fileMode(service: string, what: string, mode: string | number | undefined): number | undefined {
  if (mode === undefined) return undefined
  if (typeof mode === 'number') return mode
  const n = /^0[0-7]*$/.test(mode) ? parseInt(mode, 8) : Number(mode)
  if (!Number.isInteger(n) || n < 0 || n > 0o777) throw new UserInputError('KUBE_FIELD_INVALID', `service ${service}: ${what} mode "${mode}" is not a file mode`)
  return n
}

/** The file name a secret or config appears as, and where: relative targets go under `base`. */
function fileTarget(target: string | undefined, source: string, base: string): {path: string; file: string} {
  const path = target === undefined || target === '' ? posix.join(base, source) : target.startsWith('/') ? target : posix.join(base, target)
  return {path, file: posix.basename(path)}
}

function claim(ctx: Context, name: string, size: string, readOnly: boolean, storageClass: string | undefined, selector: string | undefined): IPersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {name, ...namespaced(ctx), labels: objectLabels(ctx, name)},
    spec: {
      accessModes: [readOnly ? 'ReadOnlyMany' : 'ReadWriteOnce'],
      resources: {requests: {storage: size}},
      ...(selector ? {selector: {matchLabels: {'io.kompose.service': selector}}} : {}),
      ...(storageClass ? {storageClassName: storageClass} : {}),
    },
  }
}

/** The pod volume and mount for each secret the service uses (one volume per secret, one file per target). */
function secretStorage(ctx: Context, service: ServiceConfig, volumes: IVolume[], mounts: IVolumeMount[]): void {
  const byName = new Map<string, IVolume>()
  for (const ref of service.secrets ?? []) {
    const def = ctx.project.secrets[ref.source]
    const secret = def?.external ? objectName(def.name ?? ref.source) : objectName(ref.source)
    if (ref.uid !== undefined || ref.gid !== undefined) ctx.warn(`service ${service.name}: secret ${ref.source}: uid and gid are not supported by Kubernetes - ignoring`)
    const {path, file} = fileTarget(ref.target, ref.source, '/run/secrets')
    let volume = byName.get(secret)
    if (!volume) {
      const mode = fileMode(service.name, `secret ${ref.source}`, ref.mode)
      volume = {name: podVolumeName(secret), secret: {secretName: secret, items: [], ...(mode === undefined ? {} : {defaultMode: mode})}}
      byName.set(secret, volume)
      volumes.push(volume)
    }
    const items = volume.secret!.items!
    if (!items.some((i) => i.path === file)) items.push({key: secret, path: file})
    mounts.push({name: volume.name, mountPath: path, subPath: file, readOnly: true})
  }
}

/** The pod volume and mount for each config the service uses. */
function configStorage(ctx: Context, service: ServiceConfig, volumes: IVolume[], mounts: IVolumeMount[]): void {
  const byName = new Map<string, IVolume>()
  for (const ref of service.configs ?? []) {
    const def = ctx.project.configs[ref.source]
    const config = def?.external ? objectName(def.name ?? ref.source) : objectName(ref.source)
    if (ref.uid !== undefined || ref.gid !== undefined) ctx.warn(`service ${service.name}: config ${ref.source}: uid and gid are not supported by Kubernetes - ignoring`)
    const {path, file} = fileTarget(ref.target, ref.source, '/')
    const key = def?.external ? ref.source : configKey(ref.source, def?.file)
    let volume = byName.get(config)
    if (!volume) {
      const mode = fileMode(service.name, `config ${ref.source}`, ref.mode)
      volume = {name: podVolumeName(config), configMap: {name: config, items: [], ...(mode === undefined ? {} : {defaultMode: mode})}}
      byName.set(config, volume)
      volumes.push(volume)
    }
    const items = volume.configMap!.items!
    if (!items.some((i) => i.path === file)) items.push({key, path: file})
    mounts.push({name: volume.name, mountPath: path, subPath: file})
  }
}

/** The key of a config's one entry in its ConfigMap: the file's name (as kompose keys it), else the config's name. */
export function configKey(source: string, file: string | undefined): string {
  return file ? posix.basename(file) : source
}

function tmpfsOptions(text: string): {path: string; size?: string} {
  const [path, options = ''] = text.split(/:(.*)/s)
  const size = /(?:^|,)size=([^,]+)/.exec(options)?.[1]
  return {path: path!, size}
}

export function podStorage(ctx: Context, service: ServiceConfig, name: string): PodStorage {
  const volumes: IVolume[] = []
  const mounts: IVolumeMount[] = []
  const claims: IPersistentVolumeClaim[] = []
  const claimVolumes = new Set<string>()
  configStorage(ctx, service, volumes, mounts)
  secretStorage(ctx, service, volumes, mounts)

  const labels = service.labels ?? {}
  const subPath = labels['kompose.volume.subpath']
  const storageClass = labels['kompose.volume.storage-class-name']
  const tmpfs: Array<{path: string; size?: string | number}> = (service.tmpfs ?? []).map(tmpfsOptions)
  const seenClaims = new Set<string>()

  for (const [index, volume] of (service.volumes ?? []).entries()) {
    const readOnly = volume.read_only === true
    const mount: IVolumeMount = {name: '', mountPath: volume.target, ...(readOnly ? {readOnly: true} : {})}
    const mountSubPath = volume.volume?.subpath ?? subPath
    if (volume.type === 'volume' && volume.source) {
      const def = ctx.project.volumes[volume.source]
      const claimName = checkObjectName('volume', volume.source, objectName(def?.external ? (def.name ?? volume.source) : volume.source))
      mount.name = podVolumeName(claimName)
      if (!seenClaims.has(claimName)) {
        seenClaims.add(claimName)
        if (def?.external) {
          ctx.warn(`service ${service.name}: volume ${volume.source} is external: a PersistentVolumeClaim named ${claimName} must exist in the namespace`)
        } else {
          const size = def?.labels?.['kompose.volume.size'] ?? labels['kompose.volume.size'] ?? DEFAULT_CLAIM_SIZE
          const what = def?.labels?.['kompose.volume.size'] ? `volume ${volume.source}: label kompose.volume.size` : `service ${service.name}: label kompose.volume.size`
          claims.push(claim(ctx, claimName, storageQuantity(what, size), readOnly, storageClass, def?.labels?.['kompose.volume.selector']))
          claimVolumes.add(mount.name)
        }
        volumes.push({name: mount.name, persistentVolumeClaim: {claimName, ...(readOnly ? {readOnly: true} : {})}})
      }
    } else if (volume.type === 'volume') {
      mount.name = podVolumeName(`${name}-empty${index}`)
      volumes.push({name: mount.name, emptyDir: {}})
    } else if (volume.type === 'bind') {
      mount.name = podVolumeName(`${name}-hostpath${index}`)
      const source = volume.source ?? ''
      ctx.warn(`service ${service.name}: bind mount ${shown(ctx, source)}:${volume.target} becomes a hostPath volume: it mounts that path of the node the pod runs on, nothing is copied to the cluster`)
      volumes.push({name: mount.name, hostPath: {path: source}})
    } else if (volume.type === 'tmpfs') {
      tmpfs.push({path: volume.target, size: volume.tmpfs?.size})
      continue
    } else {
      ctx.warn(`service ${service.name}: ${volume.type} volume at ${volume.target} is not supported by Kubernetes - ignoring`)
      continue
    }
    if (mountSubPath) mount.subPath = mountSubPath
    mounts.push(mount)
  }

  for (const [index, t] of tmpfs.entries()) {
    const volumeName = podVolumeName(`${name}-tmpfs${index}`)
    const sizeLimit = memoryQuantity(service.name, 'tmpfs size', t.size)
    volumes.push({name: volumeName, emptyDir: {medium: 'Memory', ...(sizeLimit ? {sizeLimit} : {})}})
    mounts.push({name: volumeName, mountPath: t.path})
  }
  return {volumes, mounts, claims, claimVolumes}
}
