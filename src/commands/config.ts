import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {loadProjectFromFlags, projectFlags} from '../cli/project-flags.js'
import type {LoadResult} from '../compose/load.js'
import type {Project, ServiceConfig} from '../compose/types.js'
import {UserInputError} from '../errors.js'

export default class Config extends BaseCommand {
  static override summary = 'Parse, resolve and render the Compose file in canonical form.'
  static override description =
    'Loads the project exactly as `berth up` would (files, env files, interpolation, include, extends, merge, validation, normalisation) and prints the result, or only checks it with -q.'
  static override examples = [
    '<%= config.bin %> config',
    '<%= config.bin %> config -f compose.yaml -f compose.prod.yaml --format json',
    '<%= config.bin %> config -q',
    '<%= config.bin %> config --services',
    "<%= config.bin %> config --hash '*'",
    '<%= config.bin %> config --variables',
    '<%= config.bin %> config --environment',
  ]
  static override strict = false
  static override args = {
    service: Args.string({description: 'Only these services (and what they depend on).', required: false, ignoreStdin: true}),
  }
  static override flags = {
    ...projectFlags,
    format: Flags.string({description: 'Output format (default: yaml; a table for --variables).', options: ['yaml', 'json', 'table']}),
    quiet: Flags.boolean({char: 'q', description: 'Only validate the configuration, print nothing.', default: false}),
    services: Flags.boolean({description: 'Print the service names, one per line.', default: false}),
    volumes: Flags.boolean({description: 'Print the volume names, one per line.', default: false}),
    networks: Flags.boolean({description: 'Print the network names, one per line.', default: false}),
    images: Flags.boolean({description: 'Print the image names, one per line.', default: false}),
    profiles: Flags.boolean({description: 'Print the profile names, one per line.', default: false}),
    variables: Flags.boolean({description: 'Print the variables the Compose files use, with their defaults, alternates and whether they are required.', default: false}),
    environment: Flags.boolean({description: 'Print the environment used for interpolation (process environment, env files, COMPOSE_PROJECT_NAME), sorted.', default: false}),
    hash: Flags.string({description: 'Print the configuration hash of these services ("*" for all, or a comma list), one per line.'}),
    interpolate: Flags.boolean({description: 'Interpolate environment variables (--no-interpolate to print them as written).', default: true, allowNo: true}),
    normalize: Flags.boolean({description: 'Normalise the model (--no-normalize prints the merged files as written).', default: true, allowNo: true}),
    'env-resolution': Flags.boolean({description: 'Read env_file entries into environment (--no-env-resolution keeps the list of files).', default: true, allowNo: true}),
    'path-resolution': Flags.boolean({description: 'Make host paths absolute (--no-path-resolution prints them as written).', default: true, allowNo: true}),
    consistency: Flags.boolean({description: 'Check the model across services (--no-consistency skips it; the output may then not load).', default: true, allowNo: true}),
    'resolve-image-digests': Flags.boolean({description: 'Pin every image to its digest (from the local image, else its registry).', default: false}),
    'lock-image-digests': Flags.boolean({description: 'Print an override file that pins every service\'s image to its digest.', default: false}),
    output: Flags.string({char: 'o', description: 'Write to this file instead of stdout.'}),
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Config)
    const selected = (argv as string[]).filter((s) => s !== '')
    const listing = flags.services || flags.volumes || flags.networks || flags.images || flags.profiles || flags.hash !== undefined
    if (!listing && flags.variables) {
      if (selected.length > 0) process.stderr.write('warning: service names are ignored with --variables: the variables of the whole project are listed\n')
      // The merged files as written: a required variable that is not set is listed, not an error.
      const result = await loadProjectFromFlags(flags, this.config, {interpolate: false, normalize: false})
      if (!flags.quiet) await this.print(await renderVariables(result, flags.format), flags.output)
      return
    }
    if (flags.format === 'table' && !listing && !flags.environment) {
      throw new UserInputError('CONFIG_FORMAT', '--format table is for --variables; the configuration prints as yaml or json')
    }
    const result = await loadProjectFromFlags(flags, this.config, {
      resolvePaths: flags['path-resolution'],
      resolveEnvFiles: flags['env-resolution'],
      consistency: flags.consistency,
      interpolate: flags.interpolate,
      // Without interpolation the model still holds ${VAR}s that normalisation cannot parse
      // (`ports: ["${PORT}:80"]`): print the merged files then, as written.
      normalize: (flags.normalize && flags.interpolate) || (listing && !(flags.services && !flags.interpolate)),
      explicitServices: selected.length > 0 ? selected : undefined,
    })
    const pinning = !listing && !flags.environment && (flags['resolve-image-digests'] || flags['lock-image-digests'])
    if (pinning) {
      const pinned = await pinImages(result, selected)
      if (flags['lock-image-digests']) {
        if (!flags.quiet) await this.print(await serialise({services: pinned.lock}, {...flags, interpolate: false}), flags.output)
        return
      }
    }
    if (flags.quiet) return
    await this.print(!listing && flags.environment ? renderEnvironment(result) : await render(result, flags, selected), flags.output)
  }

  private async print(text: string, output: string | undefined): Promise<void> {
    if (output) {
      const {writeFile} = await import('node:fs/promises')
      await writeFile(output, text)
      return
    }
    process.stdout.write(text)
  }
}

/**
 * `--resolve-image-digests` / `--lock-image-digests`: the selected services' images pinned to
 * digests (through the engine, imported only here), written into the loaded project (or the
 * merged model, without normalisation); `lock` is the override document's `services`.
 */
async function pinImages(result: LoadResult, selected: string[]): Promise<{lock: Record<string, {image?: string}>}> {
  const services = (result.project?.services ?? (result.model.services as Record<string, {image?: unknown}> | undefined) ?? {}) as Record<string, {image?: unknown}>
  const names = result.project ? selectServices(result.project, selected) : Object.keys(services).filter((n) => selected.length === 0 || selected.includes(n))
  const images: Record<string, string> = {}
  for (const name of names) {
    const image = services[name]?.image
    if (typeof image === 'string' && image !== '' && !image.includes('${')) images[name] = image
  }
  const [{openEngine}, {resolveImageDigests}] = await Promise.all([import('../runtime/session.js'), import('../runtime/image-digests.js')])
  const engine = openEngine()
  let pinned: Record<string, string>
  try {
    pinned = await resolveImageDigests(engine.engine, images, {signal: engine.signal})
  } finally {
    await engine.close()
  }
  for (const [name, image] of Object.entries(pinned)) services[name].image = image
  const lock: Record<string, {image?: string}> = {}
  for (const name of [...names].sort()) lock[name] = pinned[name] ? {image: pinned[name]} : {}
  return {lock}
}

/** `--variables`: a table by default, or compose's JSON / YAML documents keyed by name. */
async function renderVariables(result: LoadResult, format: string | undefined): Promise<string> {
  const {extractVariables, variablesTable} = await import('../compose/load.js')
  // With the top-level `name:` as written (compose leaves its variables out), not the name it made.
  const variables = extractVariables({...result.model, name: result.nameTemplate ?? ''}, {sourceOf: result.sourceOf})
  if (format === undefined || format === 'table') return variablesTable(variables)
  const {renderDocument} = await import('../compose/normalize/index.js')
  if (format === 'json') return renderDocument(variables, 'json')
  // compose's YAML names the fields in lower case.
  const lower = Object.fromEntries(
    Object.entries(variables).map(([k, v]) => [k, {name: v.Name, defaultvalue: v.DefaultValue, presencevalue: v.PresenceValue, required: v.Required}]),
  )
  return renderDocument(lower, 'yaml')
}

/** `--environment`: every variable interpolation sees, `NAME=value` lines sorted as compose sorts them. */
function renderEnvironment(result: LoadResult): string {
  return lines(Object.entries(result.environment).map(([k, v]) => `${k}=${v}`).sort())
}

interface RenderFlags {
  format?: string
  services: boolean
  volumes: boolean
  networks: boolean
  images: boolean
  profiles: boolean
  hash?: string
  interpolate: boolean
  normalize: boolean
}

const lines = (items: string[]) => items.map((i) => `${i}\n`).join('')

async function render(result: LoadResult, flags: RenderFlags, selected: string[]): Promise<string> {
  const project = result.project
  if (!project || !flags.normalize) {
    if (flags.services) return lines(Object.keys((result.model.services as object | undefined) ?? {}))
    // Neither interpolated nor normalised: the merged files as written, `name:` included (or left out).
    if (!flags.interpolate && !flags.normalize) {
      const {name: _computed, ...rest} = result.model
      return serialise(result.writtenName === undefined ? rest : {name: result.writtenName, ...rest}, flags)
    }
    // As compose does: a `$` in interpolated output is written `$$`, so the output is itself a valid Compose file.
    return serialise(result.model, flags)
  }
  if (flags.services) return lines(startOrder(project.services))
  if (flags.volumes) return lines(Object.keys(project.volumes ?? {}))
  if (flags.networks) return lines(Object.keys(project.networks ?? {}))
  if (flags.profiles) {
    const all = new Set<string>()
    for (const s of [...Object.values(project.services), ...Object.values(project.disabledServices ?? {})]) for (const p of s.profiles ?? []) all.add(p)
    return lines([...all].sort())
  }
  const services = selectServices(project, selected)
  if (flags.images) return lines(services.map((n) => project.services[n].image ?? `${project.name}-${n}`))
  if (flags.hash !== undefined) {
    const {serviceHash} = await import('../compose/hash.js')
    const names = flags.hash === '*' ? Object.keys(project.services).sort() : flags.hash.split(',').filter((n) => n !== '')
    for (const n of names) if (!project.services[n]) throw new UserInputError('COMPOSE_UNKNOWN_SERVICE', `no such service: ${n}`)
    return lines(names.sort().map((n) => `${n} ${serviceHash(project.services[n])}`))
  }
  const {toComposeDocument} = await import('../compose/normalize/index.js')
  const shown: Project = {...project, services: Object.fromEntries(services.sort().map((n) => [n, project.services[n]]))}
  return serialise(toComposeDocument(shown, {escapeDollars: flags.interpolate, format: flags.format === 'json' ? 'json' : 'yaml'}), {...flags, interpolate: false})
}

async function serialise(doc: Record<string, unknown>, flags: RenderFlags): Promise<string> {
  const {renderDocument} = await import('../compose/normalize/index.js')
  const text = renderDocument(doc, flags.format === 'json' ? 'json' : 'yaml')
  return flags.interpolate ? text.replaceAll('$', '$$$$') : text
}

/** Service names ordered so that each comes after what it depends on (names sorted among equals). */
function startOrder(services: Record<string, ServiceConfig>): string[] {
  const order: string[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (name: string) => {
    if (state.get(name) !== undefined || !services[name]) return
    state.set(name, 'visiting')
    for (const dep of Object.keys(services[name].depends_on ?? {}).sort()) visit(dep)
    state.set(name, 'done')
    order.push(name)
  }
  for (const name of Object.keys(services).sort()) visit(name)
  return order
}

/** The named services plus everything they depend on; all services when none is named. */
function selectServices(project: Project, selected: string[]): string[] {
  if (selected.length === 0) return Object.keys(project.services)
  const keep = new Set<string>()
  const add = (name: string) => {
    if (keep.has(name)) return
    if (!project.services[name]) throw new UserInputError('COMPOSE_UNKNOWN_SERVICE', `no such service: ${name}`)
    keep.add(name)
    for (const dep of Object.keys(project.services[name].depends_on ?? {})) if (project.services[dep]) add(dep)
  }
  for (const name of selected) add(name)
  return [...keep]
}
