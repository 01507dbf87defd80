// One sample of what plugins add inside the process: CPU time (user + system, ms) of oclif's
// Config.load (which reads installed plugins' package.json and manifests) plus the core init hook
// (plugin health checks), for the HOME / XDG_DATA_HOME in the environment. bench/plugins.sh runs it
// many times per setup; CPU time stays meaningful on a loaded machine where wall time does not.
import {Config} from '@oclif/core'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const before = process.cpuUsage()
const config = await Config.load({root})
await config.runHook('init', {argv: [], id: 'version'})
const used = process.cpuUsage(before)
console.log(JSON.stringify({plugins: config.plugins.size, cpuMs: (used.user + used.system) / 1000}))
