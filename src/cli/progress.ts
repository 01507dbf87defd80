/**
 * Progress of `up` / `down` on stderr: one row per resource (Container demo-web-1  Started).
 * On a terminal (and --progress auto|tty) rows are listr2 tasks that update in place; otherwise
 * (or --progress plain) every status change is one plain line; --progress quiet prints nothing.
 * listr2 is imported only when a terminal renderer is actually used.
 */
import type {Plan, Operation} from '../runtime/plan.js'
import {FINAL_STATUSES, type ProgressEvent, type ProgressSink, type ProgressStatus} from '../runtime/progress-events.js'

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'quiet'

export const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'tty', 'plain', 'quiet']

export interface ProgressView {
  /** Feed convergence events here. */
  sink: ProgressSink
  /** Declares the rows of the next phase (from its plan) so a terminal can lay them out. */
  begin(rows: string[]): void
  /** Settles every row and waits for the renderer to finish drawing. */
  end(): Promise<void>
  /** A warning line, printed without breaking the rows. */
  warn(message: string): void
}

/** The row title of an operation: `Container demo-web-1`, `Network demo_default`. */
export function rowOf(op: Operation): string {
  switch (op.kind) {
    case 'pull-image':
    case 'build-image':
    case 'remove-image':
      return `Image ${op.image}`
    case 'create-network':
    case 'remove-network':
      return `Network ${op.name}`
    case 'create-volume':
    case 'remove-volume':
      return `Volume ${op.name}`
    default:
      return `Container ${op.name}`
  }
}

export function rowsOf(plan: Plan): string[] {
  return [...new Set(plan.operations.map(rowOf))]
}

/** Plain text: one line per status change, as `docker compose --progress plain` does. */
export class PlainProgress implements ProgressView {
  private readonly last = new Map<string, ProgressStatus>()
  private readonly started = new Map<string, number>()
  constructor(private readonly out: NodeJS.WritableStream) {}

  sink: ProgressSink = (event: ProgressEvent) => {
    if (this.last.get(event.resource) === event.status && event.status !== 'Error') return
    this.last.set(event.resource, event.status)
    const first = !this.started.has(event.resource)
    if (first) this.started.set(event.resource, Date.now())
    // The time a step took, on its final line (not for a lone "Running").
    const elapsed = FINAL_STATUSES.has(event.status) && !first ? ` ${((Date.now() - this.started.get(event.resource)!) / 1000).toFixed(1)}s` : ''
    this.out.write(` ${event.resource}  ${event.status}${event.detail && event.status === 'Error' ? ` ${event.detail}` : ''}${elapsed}\n`)
  }

  begin(): void {}

  async end(): Promise<void> {}

  warn(message: string): void {
    this.out.write(`warning: ${message}\n`)
  }
}

export class QuietProgress implements ProgressView {
  constructor(private readonly err: NodeJS.WritableStream) {}
  sink: ProgressSink = () => {}
  begin(): void {}
  async end(): Promise<void> {}
  warn(message: string): void {
    this.err.write(`warning: ${message}\n`)
  }
}

interface Row {
  title: string
  status?: ProgressStatus
  detail?: string
  listeners: Array<() => void>
  settled: boolean
}

/** listr2 rows that update in place; a row's task ends when the resource reaches a final status. */
export class TerminalProgress implements ProgressView {
  private rows = new Map<string, Row>()
  private running?: Promise<void>
  private readonly pendingWarnings: string[] = []

  constructor(private readonly out: NodeJS.WriteStream) {}

  sink: ProgressSink = (event: ProgressEvent) => {
    const row = this.rows.get(event.resource)
    if (!row) return
    row.status = event.status
    row.detail = event.detail
    for (const l of row.listeners) l()
  }

  begin(rows: string[]): void {
    const fresh = rows.filter((r) => !this.rows.has(r))
    if (fresh.length === 0) return
    for (const title of fresh) this.rows.set(title, {title, listeners: [], settled: false})
    const previous = this.running ?? Promise.resolve()
    this.running = previous.then(() => this.render(fresh))
  }

  private async render(titles: string[]): Promise<void> {
    const {Listr, ListrLogger, ProcessOutput, DefaultRenderer} = await import('listr2')
    // listr2 falls back to plain output when *stdout* is not a terminal; our rows go to stderr.
    class StderrRenderer extends DefaultRenderer {
      static override nonTTY = true
    }
    const rows = titles.map((t) => this.rows.get(t)!)
    const list = new Listr(
      rows.map((row) => ({
        title: row.title,
        task: (_: unknown, task: {title: string}) =>
          new Promise<void>((resolve, reject) => {
            const update = () => {
              task.title = `${row.title}  ${row.status ?? ''}${row.detail && row.status !== 'Error' ? `  ${row.detail}` : ''}`
              if (row.status === 'Error') {
                row.settled = true
                reject(new Error(`${row.title}  Error${row.detail ? ` ${row.detail}` : ''}`))
              } else if ((row.status && FINAL_STATUSES.has(row.status)) || row.settled) {
                row.settled = true
                resolve()
              }
            }
            row.listeners.push(update)
            update()
          }),
      })),
      {
        concurrent: true,
        exitOnError: false,
        renderer: StderrRenderer,
        fallbackRendererCondition: false,
        silentRendererCondition: false,
        // Rows go to our stream (stderr), so stdout stays clean for logs and --dry-run plans.
        rendererOptions: {formatOutput: 'truncate', logger: new ListrLogger({useIcons: true, toStderr: [], processOutput: new ProcessOutput(this.out, this.out)})},
      },
    )
    await list.run().catch(() => {})
    for (const w of this.pendingWarnings.splice(0)) this.out.write(`warning: ${w}\n`)
  }

  async end(): Promise<void> {
    for (const row of this.rows.values()) {
      if (!row.settled) {
        row.settled = true
        for (const l of row.listeners) l()
      }
    }
    await this.running
  }

  warn(message: string): void {
    if (this.running) this.pendingWarnings.push(message)
    else this.out.write(`warning: ${message}\n`)
  }
}

/** The view for a --progress value on this stream. */
export function createProgress(mode: ProgressMode = 'auto', stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (mode === 'quiet') return new QuietProgress(stream)
  // A terminal that reports no width (some CI ptys) cannot hold rows that redraw: plain lines.
  const tty = mode === 'tty' || (mode === 'auto' && Boolean(stream.isTTY) && Boolean(stream.columns) && process.env.TERM !== 'dumb' && !process.env.CI)
  return tty ? new TerminalProgress(stream) : new PlainProgress(stream)
}
