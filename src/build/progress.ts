/**
 * What a build tells its caller, step by step. Renderers (listr2 for a terminal, plain lines
 * otherwise, nothing for -q) implement this; the builder never prints.
 */
export interface StepInfo {
  /** `stage/step` position, e.g. `[build 3/7]`. */
  label: string
  /** The instruction after substitution. */
  text: string
}

export interface BuildProgress {
  stepStarted?(step: StepInfo): void
  /** The step's result came from the cache. */
  stepCached?(step: StepInfo): void
  /** The step ran (or was folded into the next commit) in `ms`. */
  stepDone?(step: StepInfo, ms: number): void
  /** RUN output as it arrives. */
  output?(step: StepInfo, chunk: string): void
  warning?(message: string): void
}

/** A step's text on one line: heredoc bodies and long commands are shortened. */
export function stepLine(step: StepInfo, max = 160): string {
  const [first, ...rest] = step.text.split('\n')
  const line = rest.length > 0 ? `${first} …` : first
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** Plain text progress (non-TTY, --progress plain): one line per step, RUN output indented. */
export function plainProgress(write: (line: string) => void, showOutput = true): BuildProgress {
  const pending = new Map<string, string>()
  return {
    stepStarted: (step) => write(`${step.label} ${stepLine(step)}`),
    stepCached: (step) => write(`${step.label} ${stepLine(step)}  CACHED`),
    stepDone: (step, ms) => {
      const rest = pending.get(step.label)
      if (rest) write(`  ${rest}`)
      pending.delete(step.label)
      // Metadata steps folded into the next commit have no time of their own.
      if (ms > 0) write(`${step.label} done in ${formatDuration(ms)}`)
    },
    output: (step, chunk) => {
      if (!showOutput) return
      const text = (pending.get(step.label) ?? '') + chunk
      const lines = text.split('\n')
      pending.set(step.label, lines.pop() ?? '')
      for (const line of lines) write(`  ${line}`)
    },
    warning: (message) => write(`warning: ${message}`),
  }
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`
}
