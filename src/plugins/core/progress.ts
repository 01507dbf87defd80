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

/** Options for a top-level Listr that runs target operations. */
export function listrOptions(): Record<string, unknown> {
  const tty = Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb' && process.env.CI === undefined
  return {
    renderer: tty ? 'default' : 'simple',
    rendererOptions: tty ? {collapseSubtasks: false, showErrorMessage: false} : {},
    exitOnError: true,
    registerSignalListeners: false,
    collectErrors: false,
  }
}
