// `berth stack rm`: the in-tree swarm plugin's command (src/plugins/swarm), listed here for oclif.
export {default} from '../../plugins/swarm/commands/stack/rm.js'
