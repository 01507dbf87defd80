/**
 * Groups file events into batches: a batch is handed on once no new path has arrived for the quiet
 * period (500 ms, as docker compose waits), so an editor saving many files, or `git checkout`, is
 * one batch and one action per service.
 */
export const QUIET_PERIOD_MS = 500

export class Batcher {
  private readonly pending = new Set<string>()
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly flush: (paths: string[]) => void,
    private readonly quietMs = QUIET_PERIOD_MS,
  ) {}

  add(hostPath: string): void {
    this.pending.add(hostPath)
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => this.emit(), this.quietMs)
  }

  /** Hands on what is pending now. */
  emit(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.size === 0) return
    const paths = [...this.pending].sort()
    this.pending.clear()
    this.flush(paths)
  }

  /** Drops what is pending; no more batches. */
  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.pending.clear()
  }
}
