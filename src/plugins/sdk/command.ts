/**
 * Commands: a plugin adds oclif commands under its own topic (`berth <topic> <verb>`), by
 * extending BerthCommand, which gives the global --debug flag and Berth's error rendering (one
 * line, hints, a stack trace only with --debug).
 *
 * @example
 * ```ts
 * // commands/hello/world.ts in a plugin whose package.json has "oclif": {"commands": "./commands"}
 * import {BerthCommand, Flags} from 'berth/sdk'
 *
 * export default class World extends BerthCommand {
 *   static override summary = 'Say hello.'
 *   static override flags = {name: Flags.string({description: 'Who to greet.', default: 'world'})}
 *
 *   async run(): Promise<void> {
 *     const {flags} = await this.parse(World)
 *     this.log(`hello ${flags.name}`)
 *   }
 * }
 * ```
 */
export {BaseCommand as BerthCommand, type GlobalFlags} from '../../cli/base-command.js'
export {Args, Flags} from '@oclif/core'
