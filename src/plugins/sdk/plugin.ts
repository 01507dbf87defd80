/**
 * How a plugin hands Berth its extensions: one oclif hook, `berth:register`, whose function is
 * made by `definePlugin`. Berth runs the event with `config.runHook` when it needs targets or
 * compose hooks; each plugin returns what it adds. Commands are plain oclif commands under the
 * plugin's own topic (see command.ts) and need no registration.
 *
 * package.json of a plugin:
 * ```json
 * {
 *   "name": "berth-plugin-hello",
 *   "type": "module",
 *   "berth": {"sdk": "^1.0.0"},
 *   "peerDependencies": {"berth": "*"},
 *   "oclif": {"commands": "./commands", "topicSeparator": " ", "hooks": {"berth:register": "./register.js"}}
 * }
 * ```
 *
 * register.js:
 * ```js
 * import {definePlugin, defineTarget} from 'berth/sdk'
 *
 * export default definePlugin({
 *   targets: [defineTarget({name: 'hello', description: 'Say hello.', deploy() {}, remove() {}, status: () => ({deployed: false, services: []})})],
 *   afterLoad(project) { project.extensions['x-hello'] ??= 'world' },
 * })
 * ```
 *
 * Keep the module cheap to import: load heavy libraries inside deploy()/remove(), not at the top.
 */
import type {AfterLoadHook, BeforeDeployHook} from './compose-hooks.js'
import type {Target} from './target.js'

export interface PluginDefinition {
  /** Deploy targets this plugin adds (names must not clash with other plugins' targets). */
  targets?: Target<any>[]
  afterLoad?: AfterLoadHook
  beforeDeploy?: BeforeDeployHook
}

/** The payload of the `berth:register` event. */
export interface RegisterOptions {
  /** The SDK version of the running Berth. */
  sdkVersion: string
}

declare module '@oclif/core/hooks' {
  interface Hooks {
    'berth:register': {options: RegisterOptions; return: PluginDefinition}
  }
}

/** The function a plugin exports (default) from its `berth:register` hook file. */
export type RegisterHook = ((options: RegisterOptions) => Promise<PluginDefinition>) & {readonly definition: PluginDefinition}

export function definePlugin(definition: PluginDefinition): RegisterHook {
  const hook = async (_options: RegisterOptions) => definition
  return Object.assign(hook, {definition})
}
