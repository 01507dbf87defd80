import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'

export default class BuilderPrune extends BaseCommand {
  static override summary = 'Remove build cache images.'
  static override description =
    'Berth keeps its layer cache in the engine as images labelled dev.berth.build.cache-key. By default this removes the ' +
    'dangling ones: cache images no tag and no container depends on (left over when a tag moved to a newer build). ' +
    'With --all it also removes images Berth built that are tagged but not used by any container, like `docker image prune -a` ' +
    'restricted to Berth builds.'
  static override examples = ['<%= config.bin %> builder prune', '<%= config.bin %> builder prune --all --force']
  static override flags = {
    all: Flags.boolean({char: 'a', description: 'Also remove tagged images built by Berth that no container uses.', default: false}),
    'keep-storage': Flags.string({description: 'Keep the newest cache images up to this total size (e.g. 2GB, 500MB).'}),
    force: Flags.boolean({char: 'f', description: 'Do not ask for confirmation (accepted for docker compatibility; Berth does not prompt here).', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(BuilderPrune)
    const {parseSize, pruneBuildCache} = await import('../../build/prune.js')
    const keep = flags['keep-storage'] === undefined ? undefined : parseSize(flags['keep-storage'])
    const {EngineClient} = await import('../../engine/index.js')
    const engine = EngineClient.fromEnvironment()
    try {
      const result = await pruneBuildCache(engine, {all: flags.all, keepBytes: keep})
      for (const id of result.removed) this.log(`deleted: ${id}`)
      this.log(`Total reclaimed space: ${formatBytes(result.reclaimedBytes)} (${result.removed.length} images)`)
    } finally {
      await engine.close().catch(() => {})
    }
  }
}

function formatBytes(n: number): string {
  if (n < 1000) return `${n}B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let v = n
  let i = -1
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${v.toFixed(v < 10 ? 2 : 1)}${units[i]}`
}
