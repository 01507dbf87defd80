/**
 * Picks the build progress view for a command: listr2 on a terminal (--progress auto|tty), plain
 * lines otherwise (--progress plain, or stderr not a TTY), nothing but warnings for quiet.
 */
import {plainProgress, type BuildProgress} from './progress.js'

export type BuildProgressMode = 'auto' | 'tty' | 'plain' | 'quiet'

export interface BuildView {
  progress: BuildProgress
  run<T>(work: () => Promise<T>): Promise<T>
}

export async function buildView(mode: BuildProgressMode, title: string, err: NodeJS.WriteStream = process.stderr): Promise<BuildView> {
  const tty = mode === 'tty' || (mode === 'auto' && Boolean(err.isTTY) && process.env.TERM !== 'dumb' && !process.env.CI)
  if (mode === 'quiet') {
    return {progress: {warning: (m) => err.write(`warning: ${m}\n`)}, run: (work) => work()}
  }
  if (tty) {
    const {ttyProgress} = await import('./progress-tty.js')
    return ttyProgress(title)
  }
  const progress = plainProgress((line) => err.write(line + '\n'))
  return {progress, run: (work) => work()}
}
