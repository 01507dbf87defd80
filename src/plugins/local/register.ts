/** The in-tree `local` plugin's `berth:register` hook (declared in Berth's package.json). */
import {definePlugin} from '../sdk/index.js'
import {localTarget} from './target.js'

export default definePlugin({targets: [localTarget]})
