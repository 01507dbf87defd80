/**
 * The normaliser as one ordered table: a row is a path pattern and the function that gives the
 * canonical value found there. Adding a field is adding a row. Rows run top to bottom; rows with
 * the empty pattern are whole-project passes and their place in the table is their place in the
 * pipeline (e.g. the default network is attached before top-level networks are named).
 */
import {mergeEnvFiles, mergeLabelFiles, normalizeBuildArgs, normalizeEnvironment, normalizeLabels, stringValues} from './environment.js'
import {omitEmpty} from './omit-empty.js'
import {normalizePorts} from './ports.js'
import {
  addImplicitDependencies, attachDefaultNetwork, checkResourceReferences, checkServiceConsistency, checkServiceReferences, pruneUnusedResources, selectProfiles,
} from './project.js'
import {normalizeFileObject, normalizeNetwork, normalizeVolume} from './resources.js'
import {byteSize, duration, durationOmitZero, hostPath, numeric, stringItems, stringOrList} from './scalars.js'
import {
  normalizeAdditionalContexts, normalizeBuild, normalizeCommand, normalizeGpus, normalizeConfigRef, normalizeDependsOn, normalizeDeploy, normalizeDevice, normalizeExtraHosts,
  normalizeHealthcheckTest, normalizePullPolicy, normalizeSecretRef, normalizeServiceNetworks, normalizeUlimit,
} from './service.js'
import {normalizeServiceVolumes} from './volumes.js'
import {pass, rules, type Rule, type RuleFn} from './walk.js'

const DURATIONS = [
  'services.*.healthcheck.interval', 'services.*.healthcheck.timeout', 'services.*.healthcheck.start_period',
  'services.*.healthcheck.start_interval', 'services.*.stop_grace_period',
  'services.*.deploy.restart_policy.delay', 'services.*.deploy.restart_policy.window',
]

/** Durations compose leaves out when zero. */
const OPTIONAL_DURATIONS = [
  'services.*.deploy.update_config.delay', 'services.*.deploy.update_config.monitor',
  'services.*.deploy.rollback_config.delay', 'services.*.deploy.rollback_config.monitor',
]

const BYTE_SIZES = [
  'services.*.mem_limit', 'services.*.memswap_limit', 'services.*.mem_reservation', 'services.*.shm_size',
  'services.*.build.shm_size', 'services.*.volumes.*.tmpfs.size', 'services.*.mem_swappiness',
  'services.*.blkio_config.device_read_bps.*.rate', 'services.*.blkio_config.device_write_bps.*.rate',
  'services.*.deploy.resources.limits.memory', 'services.*.deploy.resources.reservations.memory',
]

export const NORMALIZE_RULES: readonly Rule[] = rules([
  // one service field at a time
  ['services.*.build', normalizeBuild],
  ['services.*.build.args', normalizeBuildArgs],
  ['services.*.build.labels', normalizeLabels],
  ['services.*.build.extra_hosts', normalizeExtraHosts],
  ['services.*.build.secrets.*', normalizeConfigRef],
  ['services.*.build.additional_contexts', normalizeAdditionalContexts],
  ['services.*.environment', normalizeEnvironment],
  ['services.*', mergeEnvFiles],
  ['services.*.labels', normalizeLabels],
  ['services.*', mergeLabelFiles],
  ['services.*.annotations', normalizeLabels],
  ['services.*.sysctls', stringValues],
  ['services.*.logging.options', stringValues],
  ['services.*.ports', normalizePorts],
  ['services.*.expose', stringItems],
  ['services.*.volumes', normalizeServiceVolumes],
  ['services.*.depends_on', normalizeDependsOn],
  ['services.*.command', normalizeCommand],
  ['services.*.entrypoint', normalizeCommand],
  ['services.*.healthcheck.test', normalizeHealthcheckTest],
  ['services.*.post_start.*.command', normalizeCommand],
  ['services.*.pre_stop.*.command', normalizeCommand],
  ['services.*.develop.watch.*.path', hostPath],
  ['services.*.gpus', normalizeGpus],
  ['services.*.secrets.*', normalizeSecretRef],
  ['services.*.configs.*', normalizeConfigRef],
  ['services.*.devices.*', normalizeDevice],
  ['services.*.ulimits.*', normalizeUlimit],
  ['services.*.build.ulimits.*', normalizeUlimit],
  ['services.*.extra_hosts', normalizeExtraHosts],
  ['services.*.networks', normalizeServiceNetworks],
  ['services.*.networks.*.driver_opts', stringValues],
  ['services.*.models', normalizeServiceNetworks],
  ['services.*.provider.options.*', stringOrList],
  ['services.*.dns', stringOrList],
  ['services.*.dns_search', stringOrList],
  ['services.*.tmpfs', stringOrList],
  ['services.*.pull_policy', normalizePullPolicy],
  ['services.*.cpus', numeric],
  ['services.*.deploy', normalizeDeploy],
  ['services.*.deploy.labels', normalizeLabels],
  ['services.*.deploy.resources.limits.cpus', numeric],
  ['services.*.deploy.resources.reservations.cpus', numeric],
  ...DURATIONS.map((p): [string, RuleFn] => [p, duration]),
  ...OPTIONAL_DURATIONS.map((p): [string, RuleFn] => [p, durationOmitZero]),
  ...BYTE_SIZES.map((p): [string, RuleFn] => [p, byteSize]),
  ['services.*', omitEmpty],
  // the project as a whole
  ['', pass(selectProfiles)],
  ['', pass(checkServiceReferences)],
  ['', pass(checkServiceConsistency)],
  ['', pass(addImplicitDependencies)],
  ['', pass(attachDefaultNetwork)],
  // top-level resources
  ['networks.*', normalizeNetwork],
  ['networks.*.labels', normalizeLabels],
  ['networks.*.driver_opts', stringValues],
  ['volumes.*', normalizeVolume],
  ['volumes.*.labels', normalizeLabels],
  ['volumes.*.driver_opts', stringValues],
  ['secrets.*', normalizeFileObject],
  ['secrets.*.labels', normalizeLabels],
  ['configs.*', normalizeFileObject],
  ['configs.*.labels', normalizeLabels],
  ['', pass(checkResourceReferences)],
  ['', pass(pruneUnusedResources)],
])
