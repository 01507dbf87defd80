/** The in-tree `swarm` plugin's `berth:register` hook (declared in Berth's package.json). */
import {definePlugin} from '../sdk/index.js'
import {swarmTarget} from './target.js'

export default definePlugin({targets: [swarmTarget]})
