/**
 * Convergence for Compose projects: observe labelled resources -> plan -> apply. Commands and
 * plugins import from here.
 */
export {LABEL, containerName, containerLabels, networkLabels, volumeLabels, formatDependsOn, parseDependsOn} from './labels.js'
export {configHash, fieldHashes, changedFields} from './config-hash.js'
export {containerSpec, type ContainerSpec, type ContainerSpecInput, type ContainerCreateBody} from './container-spec.js'
export {observe, findImage, normalizeImageRef, type ObservedState, type ObservedContainer} from './observe.js'
export {planUp, planDown, planImages, formatPlan, describe, dependencyLevels, selectServices, desiredScale, serviceImage, serviceHashes, type Plan, type Operation, type UpPlanOptions, type DownPlanOptions, type PullPolicy} from './plan.js'
export {applyUp, applyDown, applyImages, parallel} from './apply.js'
export {converge, type ConvergeOptions, type ConvergeOutcome} from './converge.js'
export {up, attached, waitForReady, type UpOptions, type AttachedOptions} from './up.js'
export {down, type DownOptions} from './down.js'
export {waitForCondition, DependencyFailedError} from './wait-conditions.js'
export {runtimeEngine} from './engine-adapter.js'
export type {RuntimeEngine} from './engine-port.js'
export type {ProgressEvent, ProgressSink, ProgressStatus} from './progress-events.js'
