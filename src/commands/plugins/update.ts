import {keepingBerthLink} from '../../plugins/core/plugins-command.js'

/** plugin-plugins' update, then berth's data-dir link restored (npm prunes it). */
export default keepingBerthLink('plugins:update')
