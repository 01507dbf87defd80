/**
 * The core `local` target: the Docker Engine on this host, i.e. what `berth up -d` and
 * `berth down` do, offered to `berth deploy --target local` through the same SDK a third party
 * uses (registered by ./register.ts).
 */
import {defineTarget, option} from '../sdk/index.js'
import {progressOutput, withLocalEngine} from './runtime.js'

export const localTarget = defineTarget({
  name: 'local',
  description: "Containers on this host's Docker Engine (what berth up -d / berth down do).",
  options: {
    'remove-orphans': option.boolean({description: 'Remove containers of services no longer in the Compose file.'}),
    volumes: option.boolean({description: 'On remove, also remove named volumes (like down -v).'}),
    timeout: option.integer({description: 'Seconds to wait for containers to stop.'}),
  },
  async deploy(project, options, ctx) {
    const {up} = await import('../../runtime/up.js')
    await withLocalEngine(ctx, (engine) =>
      up(engine, project, {signal: ctx.signal, warn: ctx.warn, progress: progressOutput(ctx), timeout: options.timeout, removeOrphans: options['remove-orphans']}),
    )
  },
  async remove(project, options, ctx) {
    const {down} = await import('../../runtime/down.js')
    await withLocalEngine(ctx, (engine) =>
      down(engine, project.name, project, {signal: ctx.signal, warn: ctx.warn, progress: progressOutput(ctx), timeout: options.timeout, volumes: options.volumes, removeOrphans: options['remove-orphans']}),
    )
  },
  async status(project, ctx) {
    const {projectPs} = await import('../../runtime/ps.js')
    const rows = await withLocalEngine(ctx, (_engine, client) => projectPs(client, {name: project.name, project}, {all: true, signal: ctx.signal}))
    return {
      deployed: rows.length > 0,
      services: rows.map((r) => ({name: r.Service, state: r.State, detail: `${r.Name}: ${r.Status}`})),
    }
  },
})
