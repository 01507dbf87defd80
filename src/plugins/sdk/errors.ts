/**
 * The errors a plugin uses and meets. `instanceof` works across duplicate copies of the SDK (a
 * plugin that bundles its own): classes are recognised through a `Symbol.for` registry key.
 */
import {BerthError, type BerthErrorOptions} from '../../errors.js'

export {BerthError, CancelledError, UnsupportedError, UserInputError, type BerthErrorOptions} from '../../errors.js'
export {DeployVetoed} from './compose-hooks.js'

const kPluginError = Symbol.for('berth.sdk.plugin-error')

/** Something a plugin did (or failed to do), named by the plugin. */
export class PluginError extends BerthError {
  readonly plugin: string

  constructor(plugin: string, code: string, message: string, options: BerthErrorOptions = {}) {
    super(code, message, options)
    this.plugin = plugin
  }

  get [kPluginError](): true {
    return true
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === PluginError) {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kPluginError] === true
    }
    return Function.prototype[Symbol.hasInstance].call(this, value)
  }
}
