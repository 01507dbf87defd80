/** What every part of a conversion shares: the project, the options, the warnings and the file contents. */
import type {Project} from '../../sdk/index.js'
import {MANAGED_BY, PART_OF, SERVICE_LABEL} from '../types.js'

export type Controller = 'deployment' | 'statefulset' | 'daemonset'

export interface ConvertOptions {
  /** Put every object in this namespace, and make the Namespace first (kompose's --namespace). */
  namespace?: string
  /** Replicas for every Deployment and StatefulSet, over deploy.replicas (kompose's --replicas). */
  replicas?: number
  /** The controller every service becomes (default: Deployment; DaemonSet for deploy.mode global). */
  controller?: Controller
  /** kompose.cmd and kompose.version annotations, and the user's kompose.* labels as annotations (default true). */
  withKomposeAnnotation?: boolean
  /** A NetworkPolicy per Compose network, pods labelled io.kompose.network/<net> (kompose's --generate-network-policies). */
  generateNetworkPolicies?: boolean
  /** The kompose.cmd annotation's value (the command line). */
  command?: string
  /** The kompose.version annotation's value. */
  version?: string
}

/** The bytes of each secret and config the services use, by Compose key (read by ../files.ts). */
export interface FileContents {
  secrets: Map<string, Buffer>
  configs: Map<string, Buffer>
}

export interface Context {
  project: Project
  options: ConvertOptions
  contents: FileContents
  warn(line: string): void
}

/** The labels of every object: kompose's io.kompose.service plus Berth's two, which `berth kube delete` selects by. */
export function objectLabels(ctx: Context, service: string, extra: Record<string, string> = {}): Record<string, string> {
  return {...extra, [SERVICE_LABEL]: service, [MANAGED_BY]: 'berth', [PART_OF]: ctx.project.name}
}

/** metadata.namespace, when --namespace was given. */
export function namespaced(ctx: Context): {namespace?: string} {
  return ctx.options.namespace ? {namespace: ctx.options.namespace} : {}
}
