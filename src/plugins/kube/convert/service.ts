/**
 * A Compose service's ports as a Kubernetes Service, as kompose makes it: one port per published
 * (or, without one, target) port, named by its number (`8080`, or `8080-udp` for a second protocol
 * on the same number), targetPort the container's, selector io.kompose.service. The type comes from
 * the label `kompose.service.type` (clusterip, nodeport, loadbalancer, headless); `deploy.endpoint_mode:
 * vip` makes a NodePort, as kompose documents. A service without ports gets no Service (with
 * kompose's warning), unless it is headless or runs as a StatefulSet.
 */
import {UserInputError, type ServiceConfig} from '../../sdk/index.js'
import type {IService, IServicePort} from '../types.js'
import {SERVICE_LABEL} from '../types.js'
import {namespaced, objectLabels, type Context} from './context.js'
import {exposedPorts, protocolOf, type Protocol} from './pod.js'

type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless'

function serviceType(service: ServiceConfig): ServiceType | undefined {
  const label = service.labels?.['kompose.service.type']
  if (label !== undefined) {
    switch (label.toLowerCase()) {
      case '':
      case 'clusterip':
        return 'ClusterIP'
      case 'nodeport':
        return 'NodePort'
      case 'loadbalancer':
        return 'LoadBalancer'
      case 'headless':
        return 'Headless'
      default:
        throw new UserInputError('KUBE_FIELD_INVALID', `service ${service.name}: label kompose.service.type "${label}" must be one of clusterip, nodeport, loadbalancer, headless`)
    }
  }
  if (service.deploy?.endpoint_mode === 'vip') return 'NodePort'
  return undefined
}

export function servicePorts(service: ServiceConfig): IServicePort[] {
  const ports: IServicePort[] = []
  const seen = new Set<number>()
  const pairs = new Set<string>()
  const add = (port: number, target: number, protocol: Protocol) => {
    const pair = `${port}/${target}/${protocol}`
    if (pairs.has(pair)) return
    pairs.add(pair)
    const name = seen.has(port) ? `${port}-${protocol.toLowerCase()}` : String(port)
    seen.add(port)
    ports.push({name, port, targetPort: target, ...(protocol === 'TCP' ? {} : {protocol})})
  }
  for (const p of service.ports ?? []) {
    const published = p.published === undefined || p.published === '' ? undefined : Number(p.published)
    add(published !== undefined && Number.isInteger(published) ? published : p.target, p.target, protocolOf(service.name, p.protocol))
  }
  const exposed = new Set((service.ports ?? []).map((p) => `${p.target}/${protocolOf(service.name, p.protocol)}`))
  for (const e of exposedPorts(service)) if (!exposed.has(`${e.port}/${e.protocol}`)) add(e.port, e.port, e.protocol)
  return ports
}

/** The Service of a Compose service, or undefined when it has no ports (and is not headless). */
export function kubeService(ctx: Context, service: ServiceConfig, name: string, annotations: Record<string, string>, statefulSet: boolean): IService | undefined {
  const labels = service.labels ?? {}
  let type = serviceType(service)
  if (statefulSet) type = 'Headless'
  let ports = servicePorts(service)
  if (ports.length === 0) {
    if (type !== 'Headless') {
      ctx.warn(`Service "${name}" won't be created because 'ports' is not specified`)
      return undefined
    }
    // A headless Service needs a port to be valid (kubernetes/kubernetes#32766); kompose's dummy one.
    ports = [{name: 'headless', port: 55555, targetPort: 55555}]
  }
  const nodePort = labels['kompose.service.nodeport.port']
  if (nodePort !== undefined) {
    if (type !== 'NodePort') throw new UserInputError('KUBE_FIELD_INVALID', `service ${service.name}: label kompose.service.nodeport.port needs kompose.service.type: nodeport`)
    if (ports.length > 1) throw new UserInputError('KUBE_FIELD_INVALID', `service ${service.name}: label kompose.service.nodeport.port cannot be used with more than one port`)
    const n = Number(nodePort)
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserInputError('KUBE_FIELD_INVALID', `service ${service.name}: label kompose.service.nodeport.port "${nodePort}" is not a port`)
    ports[0]!.nodePort = n
  }
  const policy = labels['kompose.service.external-traffic-policy']
  let externalTrafficPolicy: 'Cluster' | 'Local' | undefined
  if (policy !== undefined) {
    const p = policy.toLowerCase()
    if (p !== 'cluster' && p !== 'local' && p !== '') throw new UserInputError('KUBE_FIELD_INVALID', `service ${service.name}: label kompose.service.external-traffic-policy "${policy}" must be cluster or local`)
    if (type === 'NodePort' || type === 'LoadBalancer') externalTrafficPolicy = p === 'local' ? 'Local' : 'Cluster'
    else ctx.warn(`External Traffic Policy is ignored for the service ${name} of type ${type ?? 'ClusterIP'}`)
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      ...namespaced(ctx),
      labels: objectLabels(ctx, name),
      ...(Object.keys(annotations).length > 0 ? {annotations} : {}),
    },
    spec: {
      ...(type === 'Headless' ? {clusterIP: 'None', type: 'ClusterIP' as const} : type ? {type} : {}),
      ...(externalTrafficPolicy ? {externalTrafficPolicy} : {}),
      ports,
      selector: {[SERVICE_LABEL]: name},
    },
  }
}
