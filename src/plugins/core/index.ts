/**
 * What commands use of the plugin machinery: the registry of targets and compose hooks, and
 * one call to run plugins' after-load hooks on a freshly loaded project.
 */

export {loadRegistry, type PluginRegistry, type Registered} from './registry.js'
export {brokenPlugins, type BrokenPlugin} from './health.js'
export {applyPluginHooks, hasThirdPartyExtensions} from './after-load.js'
