/**
 * The `swarm` target of `berth deploy`: the project deployed as a stack named after the project,
 * on the swarm manager DOCKER_HOST points at — what `berth stack deploy` / `stack rm` /
 * `stack services` do, offered through the same SDK a third party uses (registered by ./register.ts).
 */
import {defineTarget, option} from '../sdk/index.js'

export const swarmTarget = defineTarget({
  name: 'swarm',
  description: 'A Docker Swarm stack named after the project (what berth stack deploy / stack rm do).',
  options: {
    prune: option.boolean({description: 'Remove services of the stack that are no longer in the Compose file.'}),
    'resolve-image': option.string({description: 'Pin images to their local registry digest: always, changed or never.', default: 'always', choices: ['always', 'changed', 'never']}),
    'with-registry-auth': option.boolean({description: 'Send registry authentication details to swarm agents.'}),
  },
  async deploy(project, options, ctx) {
    const {runStackDeploy} = await import('./run.js')
    const lines: string[] = []
    await runStackDeploy(project, project.name, {
      prune: options.prune,
      resolveImage: options['resolve-image'] as 'always' | 'changed' | 'never',
      withRegistryAuth: options['with-registry-auth'],
      signal: ctx.signal,
      report: (line) => {
        lines.push(line)
        ctx.progress.output(lines.slice(-8).join('\n'))
      },
      warn: ctx.warn,
      debug: ctx.debug ? ctx.warn : undefined,
    })
  },
  async remove(project, _options, ctx) {
    const {runStackRemove} = await import('./run.js')
    const lines: string[] = []
    await runStackRemove([project.name], {
      signal: ctx.signal,
      report: (line) => {
        lines.push(line)
        ctx.progress.output(lines.slice(-8).join('\n'))
      },
      warn: ctx.warn,
    })
  },
  async status(project, ctx) {
    const [{withSwarm}, {serviceRows}, {stackFilter}] = await Promise.all([import('./session.js'), import('./list.js'), import('./api.js')])
    const services = await withSwarm((api) => api.services(stackFilter(project.name), {status: true, signal: ctx.signal}), {signal: ctx.signal})
    const rows = serviceRows(services)
    return {
      deployed: rows.length > 0,
      services: rows.map((r) => {
        const [running, desired] = r.Replicas.split(' ')[0]!.split('/').map(Number)
        return {name: r.Name.slice(project.name.length + 1), state: running === desired && desired! > 0 ? 'running' : running! > 0 ? 'partial' : 'pending', detail: `${r.Mode} ${r.Replicas}${r.Ports ? ` ${r.Ports}` : ''}`}
      }),
      message: rows.length > 0 ? `stack ${project.name}` : undefined,
    }
  },
})
