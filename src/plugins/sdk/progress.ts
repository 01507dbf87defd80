/**
 * How a target reports progress: through listr2 tasks, like the core. `berth deploy` runs the
 * target's deploy/remove inside a listr2 task; the target may return a task list made with
 * `ctx.progress.tasks([...])` to show its steps as subtasks (a spinner, then ✔ or ✖ per step; plain
 * lines when the output is not a terminal).
 *
 * @example
 * ```ts
 * async deploy(project, options, ctx) {
 *   return ctx.progress.tasks([
 *     {title: 'render manifests', task: async (step) => { step.output('3 services') }},
 *     {title: 'apply', task: async () => { await apply() }},
 *   ])
 * }
 * ```
 */
const kTaskList = Symbol.for('berth.sdk.task-list')

/** A list of steps to return from deploy/remove (or from a step) so that they run as subtasks. */
export interface TaskList {
  readonly [kTaskList]: true
}

export interface Step {
  title: string
  /** Skip this step (with a reason shown in place of the title when a string). */
  skip?: boolean | string
  task(step: StepReporter): void | TaskList | Promise<void | TaskList>
}

export interface StepReporter {
  /** Replace the one-line output shown under this step. */
  output(text: string): void
  /** Rename this step while it runs. */
  title(text: string): void
  /** Nested steps: return the result from this step's task. */
  tasks(steps: Step[], options?: {concurrent?: boolean | number}): TaskList
}

export type Progress = StepReporter

/** Mark an object as a TaskList (for implementations of Progress). */
export function brandTaskList<T extends object>(list: T): T & TaskList {
  Object.defineProperty(list, kTaskList, {value: true})
  return list as T & TaskList
}

export function isTaskList(value: unknown): value is TaskList {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kTaskList] === true
}
