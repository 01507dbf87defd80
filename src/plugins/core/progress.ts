/**
 * The SDK's Progress on top of listr2: a target's steps become listr2 subtasks of the task that
 * runs it (default renderer in a terminal, one plain line per event otherwise).
 */
import type {ListrTask, ListrTaskWrapper} from 'listr2'
import {brandTaskList, type Step, type StepReporter} from '../sdk/progress.js'

type AnyWrapper = ListrTaskWrapper<unknown, any, any>

export function reporterFor(task: AnyWrapper): StepReporter {
  return {
    output(text) {
      task.output = text
    },
    title(text) {
      task.title = text
    },
    tasks(steps, options) {
      const concurrent = options?.concurrent ?? false
      return brandTaskList(task.newListr(steps.map(toListrTask), {concurrent, exitOnError: true}))
    },
  }
}

export function toListrTask(step: Step): ListrTask<unknown, any, any> {
  return {
    title: step.title,
    skip: step.skip,
    task: (_ctx, task) => step.task(reporterFor(task)) as any,
  }
}

/** Options for a top-level Listr that runs target operations: progress goes to stderr, like the core's. */
export function listrOptions(listr: Pick<typeof import('listr2'), 'ListrLogger' | 'ProcessOutput'>): Record<string, unknown> {
  const tty = Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb' && process.env.CI === undefined
  const logger = new listr.ListrLogger({useIcons: true, processOutput: new listr.ProcessOutput(process.stderr, process.stderr)})
  return {
    renderer: tty ? 'default' : 'simple',
    rendererOptions: tty ? {collapseSubtasks: false, showErrorMessage: false, logger} : {logger},
    exitOnError: true,
    registerSignalListeners: false,
    collectErrors: false,
  }
}
