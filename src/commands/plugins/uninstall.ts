import {keepingBerthLink} from '../../plugins/core/plugins-command.js'

/** plugin-plugins' uninstall, then berth's data-dir link restored (npm prunes it). */
export default keepingBerthLink('plugins:uninstall')
