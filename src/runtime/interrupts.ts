/**
 * Ctrl-C for long-running verbs: the first SIGINT/SIGTERM aborts a signal (no new engine step
 * starts; steps in flight finish, so only labelled resources remain) and calls the handlers; the
 * second calls them again with count 2 (kill); a third exits at once with 130.
 */
export class Interrupts {
  readonly controller = new AbortController()
  private count = 0
  private readonly handlers: Array<(count: number) => void> = []
  private readonly listener = () => this.fire()

  constructor(private readonly onForceExit: () => void = () => process.exit(130)) {}

  get signal(): AbortSignal {
    return this.controller.signal
  }

  get interrupted(): boolean {
    return this.count > 0
  }

  install(): this {
    process.on('SIGINT', this.listener)
    process.on('SIGTERM', this.listener)
    return this
  }

  dispose(): void {
    process.off('SIGINT', this.listener)
    process.off('SIGTERM', this.listener)
  }

  onInterrupt(handler: (count: number) => void): void {
    this.handlers.push(handler)
  }

  fire(): void {
    this.count++
    if (this.count >= 3) {
      this.onForceExit()
      return
    }
    if (this.count === 1) this.controller.abort()
    for (const h of this.handlers) h(this.count)
  }
}

/**
 * For a command that only needs to stop: the first Ctrl-C (or SIGTERM) aborts the signal, a
 * second exits at once with 130.
 */
export function interruptSignal(): {signal: AbortSignal; dispose(): void} {
  const interrupts = new Interrupts()
  interrupts.onInterrupt((count) => {
    if (count >= 2) process.exit(130)
  })
  interrupts.install()
  return {signal: interrupts.signal, dispose: () => interrupts.dispose()}
}
