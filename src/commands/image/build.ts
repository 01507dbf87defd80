import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {UserInputError} from '../../errors.js'

export default class ImageBuild extends BaseCommand {
  static override summary = 'Build an image from a Dockerfile with Berth\'s own layer cache.'
  static override description =
    'Takes the same arguments as `docker build`. Steps whose inputs did not change (base image, instruction after substitution, ' +
    'build args, and for COPY/ADD the exact files) are taken from the cache kept in the engine; the rest run on the engine as ' +
    'containers and commits, so no BuildKit is needed. Prints the image id on stdout.'
  static override examples = [
    '<%= config.bin %> image build -t app:dev .',
    '<%= config.bin %> image build -f docker/Dockerfile --target runtime --build-arg VERSION=1.2 -t app:1.2 .',
    '<%= config.bin %> image build -q --no-cache .',
  ]
  static override args = {
    path: Args.string({description: 'The build context directory.', required: true}),
  }
  static override flags = {
    tag: Flags.string({char: 't', description: 'Name and optionally a tag (name:tag); repeatable.', multiple: true, multipleNonGreedy: true}),
    file: Flags.string({char: 'f', description: 'The Dockerfile (default: PATH/Dockerfile; "-" reads stdin).'}),
    target: Flags.string({description: 'Build this stage (and what it needs) only.'}),
    'build-arg': Flags.string({description: 'A build arg: KEY=VALUE, or KEY to take the value from the environment; repeatable.', multiple: true, multipleNonGreedy: true}),
    label: Flags.string({description: 'A label for the image: KEY=VALUE; repeatable.', multiple: true, multipleNonGreedy: true}),
    'no-cache': Flags.boolean({description: 'Run every step; do not use cached layers.', default: false}),
    pull: Flags.boolean({description: 'Always try to pull a newer version of the base images.', default: false}),
    quiet: Flags.boolean({char: 'q', description: 'Print only the image id.', default: false}),
    progress: Flags.string({description: 'Progress output: auto (listr2 on a terminal), plain, or quiet.', options: ['auto', 'tty', 'plain', 'quiet'], default: 'auto'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ImageBuild)
    const buildArgs = parsePairs(flags['build-arg'] ?? [], '--build-arg', true)
    const labels = parsePairs(flags.label ?? [], '--label', false)
    const {invalidTagReason} = await import('../../build/tags.js')
    for (const tag of flags.tag ?? []) {
      const reason = invalidTagReason(tag)
      if (reason) throw new UserInputError('BAD_TAG', `invalid tag "${tag}": ${reason}`)
    }
    let dockerfileInline: string | undefined
    if (flags.file === '-') dockerfileInline = await readStdin()

    // The engine's API negotiation (a round trip) starts as soon as its module is there, while the
    // builder's modules are still loading.
    const connected = import('../../engine/index.js').then(({EngineClient}) => {
      const client = EngineClient.fromEnvironment()
      client.apiVersion().catch(() => undefined)
      return client
    })
    const [engine, {buildImage}, {buildView}, {Interrupts}] = await Promise.all([
      connected,
      import('../../build/index.js'),
      import('../../build/cli-progress.js'),
      import('../../runtime/interrupts.js'),
    ])
    const interrupts = new Interrupts().install()
    const mode = (flags.quiet ? 'quiet' : flags.progress) as 'auto' | 'tty' | 'plain' | 'quiet'
    const view = await buildView(mode, `Building ${flags.tag?.[0] ?? args.path}`)
    try {
      const result = await view.run(() => buildImage(engine, {
        context: args.path,
        dockerfile: flags.file === '-' ? undefined : flags.file,
        dockerfileInline,
        args: buildArgs,
        target: flags.target,
        labels,
        tags: flags.tag,
        noCache: flags['no-cache'],
        pull: flags.pull,
        signal: interrupts.signal,
      }, view.progress))
      process.stdout.write(`${result.imageId}\n`)
      if (!flags.quiet && mode !== 'quiet') {
        const cached = result.steps.filter((s) => s.cached).length
        process.stderr.write(`built ${result.imageId.slice(7, 19)} (${cached}/${result.steps.length} steps cached)${flags.tag?.length ? `, tagged ${flags.tag.join(', ')}` : ''}\n`)
      }
    } finally {
      interrupts.dispose()
      await engine.close().catch(() => {})
    }
  }
}

function parsePairs(values: string[], flag: string, fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values) {
    const eq = value.indexOf('=')
    if (eq === 0) throw new UserInputError('BAD_FLAG', `${flag} "${value}": expected KEY=VALUE`)
    if (eq < 0) {
      if (!fromEnv) {
        out[value] = ''
        continue
      }
      // docker build: a bare name takes the value from the environment, or is skipped.
      const env = process.env[value]
      if (env !== undefined) out[value] = env
      continue
    }
    out[value.slice(0, eq)] = value.slice(eq + 1)
  }
  return out
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
