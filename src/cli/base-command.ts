/**
 * The base of every Berth command: the global --debug flag and one way to fail. A command's run()
 * parses flags, calls a module and prints; anything thrown ends here as one clear line on stderr
 * and a non-zero exit code, with a stack trace only under --debug (or BERTH_DEBUG=1).
 */
import {Command, Flags, Interfaces} from '@oclif/core'
import {BerthError} from '../errors.js'
import {renderError} from './output.js'

export type GlobalFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({description: 'Show stack traces and engine requests.', helpGroup: 'GLOBAL', default: false}),
  }

  protected get debugMode(): boolean {
    return process.argv.includes('--debug') || process.env.BERTH_DEBUG === '1'
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    // oclif's own exits (help, version, this.exit()) pass through untouched.
    if (error.oclif?.exit !== undefined && !(error instanceof BerthError) && error.constructor?.name === 'ExitError') throw error
    process.stderr.write(renderError(error, this.debugMode) + '\n')
    const code = error instanceof BerthError ? error.exitCode : (error.oclif?.exit ?? 1)
    process.exitCode = code === 0 ? 1 : code
    // Do not rethrow: oclif would print its own rendering of the error.
    return undefined
  }
}
