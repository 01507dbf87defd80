/**
 * Errors as types. Every error Berth shows a user is a BerthError: a stable `code`, a one-line
 * message, optional context lines (a file:line:col snippet) and hints. Commands print
 * `error: <message>` plus context and hints, and a stack trace only with --debug.
 *
 * `instanceof` works across duplicate copies of this module (a plugin that bundles its own copy
 * of the SDK) because class identity is checked through a registry symbol, as undici does.
 */
const kBerthError = Symbol.for('berth.error')

export interface BerthErrorOptions {
  /** Extra lines shown under the message, e.g. a source snippet with a caret. */
  context?: string
  /** "Try ..." lines shown after the message. */
  hints?: string[]
  cause?: unknown
  /** Exit code for the process (default 1). */
  exitCode?: number
}

export class BerthError extends Error {
  readonly code: string
  readonly context?: string
  readonly hints: string[]
  readonly exitCode: number

  constructor(code: string, message: string, options: BerthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = new.target.name
    this.code = code
    this.context = options.context
    this.hints = options.hints ?? []
    this.exitCode = options.exitCode ?? 1
  }

  get [kBerthError](): true {
    return true
  }

  /**
   * `instanceof BerthError` (or any subclass) also holds for an error made by another copy of
   * this module: a plugin that bundles the SDK, or a module loaded once as ESM and once as CJS.
   * The base class is recognised by a registry symbol; a subclass by its name along the chain.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[kBerthError] !== true) return false
    if (this === BerthError || Function.prototype[Symbol.hasInstance].call(this, value)) return true
    for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      if (proto.constructor?.name === this.name) return true
    }
    return false
  }
}

/** A problem in a file the user wrote (Compose file, Dockerfile, template, values). */
export class UserInputError extends BerthError {}

/** A feature that Berth cannot honour on this engine or target. */
export class UnsupportedError extends BerthError {
  constructor(message: string, options: BerthErrorOptions = {}) {
    super('UNSUPPORTED', message, options)
  }
}

/** Ctrl-C or another cancellation; exits 130 like a shell. */
export class CancelledError extends BerthError {
  constructor(message = 'cancelled') {
    super('CANCELLED', message, {exitCode: 130})
  }
}
