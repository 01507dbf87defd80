/**
 * The labels that tie engine resources to a Compose project. They are the ones docker compose
 * writes, so that Berth and docker compose each recognise the other's containers, networks and
 * volumes; Berth adds one label of its own (`dev.berth.config-fields`, a compact per-field hash
 * map) so that a plan can say which field changed, not only that "the hash" did.
 */
import type {DependsOnConfig, Project, ServiceConfig} from '../compose/types.js'

export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  environmentFile: 'com.docker.compose.project.environment_file',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  replace: 'com.docker.compose.replace',
  /** Berth's own: `field=hash,...` (8 hex digits each) so a plan can name the changed field. */
  configFields: 'dev.berth.config-fields',
} as const

/** What Berth writes in com.docker.compose.version. */
export const BERTH_LABEL_VERSION = '2.0.0-berth'

/** `<project>-<service>-<n>` unless the service sets container_name. */
export function containerName(project: string, service: ServiceConfig, number: number): string {
  if (service.container_name) return service.container_name
  return `${project}-${service.name}-${number}`
}

/** Label filter for engine list calls: everything of one project. */
export function projectFilter(project: string): Record<string, string[]> {
  return {label: [`${LABEL.project}=${project}`]}
}

/** `db:service_healthy:false,cache:service_started:true` as docker compose writes it. */
export function formatDependsOn(dependsOn: Record<string, DependsOnConfig> | undefined): string {
  if (!dependsOn) return ''
  return Object.entries(dependsOn)
    .map(([name, dep]) => `${name}:${dep.condition}:${dep.restart === true}`)
    .join(',')
}

export interface ParsedDependency {
  service: string
  condition: string
  restart: boolean
}

export function parseDependsOn(label: string | undefined): ParsedDependency[] {
  if (!label) return []
  return label
    .split(',')
    .filter((part) => part !== '')
    .map((part) => {
      const [service, condition = 'service_started', restart = 'false'] = part.split(':')
      return {service, condition, restart: restart === 'true'}
    })
}

export interface ContainerLabelInput {
  project: Project
  service: ServiceConfig
  number: number
  configHash: string
  configFields: string
  imageId?: string
  oneoff?: boolean
}

/** The labels a service container carries: the user's labels, then the project's. */
export function containerLabels(input: ContainerLabelInput): Record<string, string> {
  const {project, service} = input
  const labels: Record<string, string> = {...service.labels}
  labels[LABEL.project] = project.name
  labels[LABEL.service] = service.name
  labels[LABEL.containerNumber] = String(input.number)
  labels[LABEL.oneoff] = input.oneoff ? 'True' : 'False'
  labels[LABEL.configHash] = input.configHash
  labels[LABEL.configFields] = input.configFields
  labels[LABEL.workingDir] = project.workingDir
  labels[LABEL.configFiles] = project.configFiles.join(',')
  labels[LABEL.dependsOn] = formatDependsOn(service.depends_on)
  if (input.imageId) labels[LABEL.image] = input.imageId
  labels[LABEL.version] = BERTH_LABEL_VERSION
  return labels
}

export function networkLabels(project: string, key: string, own: Record<string, string> | undefined): Record<string, string> {
  return {...own, [LABEL.network]: key, [LABEL.project]: project, [LABEL.version]: BERTH_LABEL_VERSION}
}

export function volumeLabels(project: string, key: string, own: Record<string, string> | undefined): Record<string, string> {
  return {...own, [LABEL.volume]: key, [LABEL.project]: project, [LABEL.version]: BERTH_LABEL_VERSION}
}
