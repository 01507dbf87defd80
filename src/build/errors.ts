import {BerthError, type BerthErrorOptions} from '../errors.js'

/** A build that could not finish: a failing RUN, a missing base image, a bad context. */
export class BuildError extends BerthError {
  constructor(code: string, message: string, options: BerthErrorOptions = {}) {
    super(code, message, options)
  }
}
