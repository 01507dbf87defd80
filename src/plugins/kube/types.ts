/**
 * The Kubernetes objects the kube plugin makes, typed with kubernetes-models' interfaces (compile
 * time: a misspelt field in a converter is a type error) and checked against the same models'
 * OpenAPI schemas at run time (./validate.ts) before anything is printed or sent.
 */
import type {IDaemonSet} from 'kubernetes-models/apps/v1/DaemonSet'
import type {IDeployment} from 'kubernetes-models/apps/v1/Deployment'
import type {IStatefulSet} from 'kubernetes-models/apps/v1/StatefulSet'
import type {INetworkPolicy} from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import type {IConfigMap} from 'kubernetes-models/v1/ConfigMap'
import type {INamespace} from 'kubernetes-models/v1/Namespace'
import type {IPersistentVolumeClaim} from 'kubernetes-models/v1/PersistentVolumeClaim'
import type {IPod} from 'kubernetes-models/v1/Pod'
import type {ISecret} from 'kubernetes-models/v1/Secret'
import type {IService} from 'kubernetes-models/v1/Service'

export type {IContainer} from 'kubernetes-models/v1/Container'
export type {IPodSpec} from 'kubernetes-models/v1/PodSpec'
export type {IPodTemplateSpec} from 'kubernetes-models/v1/PodTemplateSpec'
export type {IProbe} from 'kubernetes-models/v1/Probe'
export type {IVolume} from 'kubernetes-models/v1/Volume'
export type {IVolumeMount} from 'kubernetes-models/v1/VolumeMount'
export type {IServicePort} from 'kubernetes-models/v1/ServicePort'
export type {IContainerPort} from 'kubernetes-models/v1/ContainerPort'
export type {IEnvVar} from 'kubernetes-models/v1/EnvVar'
export type {ISecurityContext} from 'kubernetes-models/v1/SecurityContext'
export type {IResourceRequirements} from 'kubernetes-models/v1/ResourceRequirements'
export type {IDaemonSet, IDeployment, IStatefulSet, INetworkPolicy, IConfigMap, INamespace, IPersistentVolumeClaim, IPod, ISecret, IService}

export type Workload = IDeployment | IDaemonSet | IStatefulSet | IPod

export type KubeObject = INamespace | IService | ISecret | IConfigMap | IPersistentVolumeClaim | Workload | INetworkPolicy

export type Kind = KubeObject['kind']

/** Every object Berth makes carries these, so that `berth kube delete` finds them (and `kubectl delete -l` can). */
export const MANAGED_BY = 'app.kubernetes.io/managed-by'
export const PART_OF = 'app.kubernetes.io/part-of'
/** kompose's selector label: the Compose service an object belongs to. */
export const SERVICE_LABEL = 'io.kompose.service'

/** `app.kubernetes.io/managed-by=berth,app.kubernetes.io/part-of=<project>` */
export function projectSelector(project: string): string {
  return `${MANAGED_BY}=berth,${PART_OF}=${project}`
}

/** `deployment.apps/web`, `service/web`: how kubectl names an object in its output. */
export function objectRef(object: {apiVersion: string; kind: string; metadata?: {name?: string}}): string {
  const slash = object.apiVersion.indexOf('/')
  const group = slash === -1 ? '' : `.${object.apiVersion.slice(0, slash)}`
  return `${object.kind.toLowerCase()}${group}/${object.metadata?.name ?? ''}`
}
