/** The in-tree `kube` plugin's `berth:register` hook (declared in Berth's package.json). */
import {definePlugin} from '../sdk/index.js'
import {kubeTarget} from './target.js'

export default definePlugin({targets: [kubeTarget]})
