// `berth kube apply`: the in-tree kube plugin's command (src/plugins/kube), listed here for oclif.
export {default} from '../../plugins/kube/commands/kube/apply.js'
