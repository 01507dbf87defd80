// `berth chart lint`: the in-tree chart plugin's command (src/plugins/chart), listed here for oclif.
export {default} from '../../plugins/chart/commands/chart/lint.js'
