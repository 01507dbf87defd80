/**
 * What convergence reports while it works: one event per step of one resource. The CLI renders
 * them (src/cli/progress.ts: listr2 rows on a terminal, plain lines otherwise); tests collect them.
 */

export type ProgressStatus =
  | 'Pulling' | 'Pulled'
  | 'Building' | 'Built'
  | 'Creating' | 'Created'
  | 'Recreating' | 'Recreated'
  | 'Starting' | 'Started'
  | 'Restarting' | 'Restarted'
  | 'Renaming' | 'Renamed'
  | 'Killing' | 'Killed'
  | 'Pausing' | 'Paused'
  | 'Unpausing' | 'Unpaused'
  | 'Pushing' | 'Pushed'
  | 'Waiting' | 'Healthy' | 'Exited'
  | 'Stopping' | 'Stopped'
  | 'Removing' | 'Removed'
  | 'Running'
  | 'Skipped'
  | 'Error'

/** Statuses after which a resource has nothing more in progress. */
export const FINAL_STATUSES: ReadonlySet<ProgressStatus> = new Set([
  'Pulled', 'Built', 'Created', 'Recreated', 'Started', 'Restarted', 'Renamed', 'Killed', 'Paused', 'Unpaused', 'Pushed',
  'Healthy', 'Exited', 'Stopped', 'Removed', 'Running', 'Skipped', 'Error',
])

export interface ProgressEvent {
  /** `Container demo-web-1`, `Network demo_default`, `Volume demo_data`, `Image busybox`. */
  resource: string
  status: ProgressStatus
  /** Extra words after the status (a pull's progress, an error message). */
  detail?: string
}

export type ProgressSink = (event: ProgressEvent) => void

export const silentProgress: ProgressSink = () => {}
