/**
 * The SDK's version contract. A plugin names the SDK range it was written for in its package.json,
 *
 *   "berth": {"sdk": "^1.0.0"}
 *
 * and Berth refuses to load a plugin whose range does not include SDK_VERSION (one warning naming
 * both versions; Berth keeps working without it). SDK_VERSION follows semver on its own, apart from
 * Berth's version: a minor adds extension points, a major removes or changes one.
 */
export const SDK_VERSION = '1.0.0'

/** The `berth` field of a plugin's package.json. */
export interface PluginManifest {
  /** The semver range of SDK versions the plugin supports, e.g. "^1.0.0". */
  sdk: string
}

/**
 * Why a plugin that declares `range` cannot run against `sdkVersion`, or undefined when it can.
 * semver is loaded only here, so start-up pays for it only when a plugin declares a range.
 */
export async function sdkRangeProblem(range: unknown, sdkVersion: string = SDK_VERSION): Promise<string | undefined> {
  if (typeof range !== 'string' || range.trim() === '') return 'does not declare the Berth SDK range it supports ("berth": {"sdk": "^1.0.0"} in its package.json)'
  const {default: validRange} = await import('semver/ranges/valid.js')
  if (validRange(range) === null) return `declares an invalid Berth SDK range "${range}"`
  const {default: satisfies} = await import('semver/functions/satisfies.js')
  if (!satisfies(sdkVersion, range, {includePrerelease: true})) return `needs Berth SDK ${range}, but this Berth provides SDK ${sdkVersion}`
  return undefined
}
