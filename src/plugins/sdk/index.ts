/**
 * berth/sdk — the public plugin API. In-tree plugins (local, and later swarm, kube, chart) use
 * only what this module exports plus the core modules, exactly as a third-party plugin does.
 *
 * Extension points (each file documents one, with an example):
 * - commands:        command.ts     BerthCommand, Flags, Args
 * - registration:    plugin.ts      definePlugin (the `berth:register` oclif hook)
 * - targets:         target.ts      defineTarget; options.ts option.*; progress.ts listr2 steps
 * - compose hooks:   compose-hooks.ts  afterLoad / beforeDeploy, DeployVetoed
 * - release stores:  release-store.ts  ReleaseStore, MemoryReleaseStore, FileReleaseStore
 * - version:         version.ts     SDK_VERSION and the `"berth": {"sdk": RANGE}` contract
 * - the running Berth: host.ts     projectFlags, loadProject, getTarget, releaseStoreFor
 *
 * Importing this module is cheap (no listr2, no engine client): a plugin's register hook runs on
 * every command that needs targets or compose hooks.
 */
export {SDK_VERSION, type PluginManifest} from './version.js'
export {BerthCommand, Args, Flags, type GlobalFlags} from './command.js'
export {definePlugin, type PluginDefinition, type RegisterHook, type RegisterOptions} from './plugin.js'
export {defineTarget, isTarget, type ServiceStatus, type Target, type TargetContext, type TargetDefinition, type TargetStatus} from './target.js'
export {option, type OptionKind, type OptionSpec, type OptionSpecs, type OptionValues} from './options.js'
export {type Progress, type Step, type StepReporter, type TaskList} from './progress.js'
export {extensionField, type AfterLoadHook, type BeforeDeployHook, type ComposeHookContext, type DeployIntent} from './compose-hooks.js'
export {FileReleaseStore, MemoryReleaseStore, checkReleaseName, type ReleaseRecord, type ReleaseStore} from './release-store.js'
export {getTarget, loadProject, projectFlags, releaseStoreFor, type ProjectFlagValues} from './host.js'
export {BerthError, CancelledError, DeployVetoed, PluginError, UnsupportedError, UserInputError, type BerthErrorOptions} from './errors.js'
export type {Project, ServiceConfig, NetworkConfig, VolumeConfig} from '../../compose/types.js'
