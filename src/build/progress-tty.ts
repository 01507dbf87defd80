/**
 * Build progress on a terminal with listr2: one task per build whose output lists every step as
 * it settles (`CACHED` or its duration) and, while a RUN runs, its last few output lines (folded
 * away when the step succeeds; a failing RUN's last 20 lines are in the error). Import lazily.
 */
import {Listr, type ListrTaskWrapper} from 'listr2'
import {formatDuration, stepLine, type BuildProgress, type StepInfo} from './progress.js'

export interface TtyBuild {
  progress: BuildProgress
  run<T>(work: () => Promise<T>): Promise<T>
}

const LIVE_LINES = 6

/** Room for a step's text on the terminal (label and timing need the rest). */
const columns = () => Math.max(40, (process.stdout.columns || 120) - 40)

export function ttyProgress(title: string): TtyBuild {
  const settled: string[] = []
  const running = new Map<string, {step: StepInfo; started: number; lines: string[]}>()
  let task: ListrTaskWrapper<object, never, never> | undefined
  let timer: NodeJS.Timeout | undefined
  const render = () => {
    if (!task) return
    const live: string[] = []
    for (const {step, started, lines} of running.values()) {
      live.push(`${step.label} ${stepLine(step, columns())}  ${formatDuration(performance.now() - started)}`)
      for (const line of lines.slice(-LIVE_LINES)) live.push(`  │ ${line}`)
    }
    task.output = [...settled, ...live].join('\n')
  }
  const progress: BuildProgress = {
    stepStarted: (step) => {
      running.set(step.label, {step, started: performance.now(), lines: []})
      render()
    },
    stepCached: (step) => {
      settled.push(`${step.label} ${stepLine(step, columns())}  CACHED`)
      render()
    },
    stepDone: (step, ms) => {
      running.delete(step.label)
      settled.push(`${step.label} ${stepLine(step, columns())}  ${ms > 0 ? formatDuration(ms) : 'folded'}`)
      render()
    },
    output: (step, chunk) => {
      const row = running.get(step.label)
      if (!row) return
      const parts = chunk.split('\n')
      if (row.lines.length === 0) row.lines.push('')
      row.lines[row.lines.length - 1] += parts[0]
      row.lines.push(...parts.slice(1))
      if (row.lines.length > LIVE_LINES + 1) row.lines.splice(0, row.lines.length - LIVE_LINES - 1)
    },
    warning: (message) => settled.push(`warning: ${message}`),
  }
  return {
    progress,
    async run<T>(work: () => Promise<T>): Promise<T> {
      let result: T | undefined
      const list = new Listr<object>([
        {
          title,
          rendererOptions: {outputBar: Infinity, persistentOutput: true},
          task: async (_ctx, wrapper) => {
            task = wrapper as unknown as ListrTaskWrapper<object, never, never>
            timer = setInterval(render, 100)
            try {
              result = await work()
            } finally {
              clearInterval(timer)
              running.clear()
              render()
            }
          },
        },
      ], {renderer: 'default', fallbackRenderer: 'simple', exitOnError: true, rendererOptions: {formatOutput: 'wrap'}, registerSignalListeners: false} as never)
      await list.run()
      return result as T
    },
  }
}
