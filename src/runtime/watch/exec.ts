/**
 * A command run in a running container without a terminal: develop.watch `sync+exec` hooks and the
 * `rm -rf` of a sync. Output is handed on line by line when asked for, stderr is kept for errors.
 */
import type {EngineClient, OutputChunk} from '../../engine/index.js'
import type {WatchHook} from './rules.js'

export interface RunResult {
  exitCode: number
  stderr: string
}

export interface RunOptions {
  signal?: AbortSignal
  /** Receives the command's output (stdout and stderr) as it comes. */
  output?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void
}

export function hookArgv(command: string | string[]): string[] {
  return Array.isArray(command) ? command : ['/bin/sh', '-c', command]
}

function hookEnv(environment: WatchHook['environment']): string[] | undefined {
  if (!environment) return undefined
  if (Array.isArray(environment)) return environment
  return Object.entries(environment).map(([k, v]) => (v === null || v === undefined ? k : `${k}=${String(v)}`))
}

export async function runInContainer(engine: EngineClient, containerId: string, hook: WatchHook, options: RunOptions = {}): Promise<RunResult> {
  const {Id: execId} = await engine.exec.create(
    containerId,
    {
      Cmd: hookArgv(hook.command),
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      User: hook.user,
      Privileged: hook.privileged,
      WorkingDir: hook.working_dir,
      Env: hookEnv(hook.environment),
    },
    {signal: options.signal},
  )
  const {outputDecoder} = await import('../../engine/index.js')
  const hijacked = await engine.exec.start(execId, {tty: false, signal: options.signal})
  let stderr = ''
  const decoder = hijacked.socket.pipe(outputDecoder(false))
  for await (const chunk of decoder as AsyncIterable<OutputChunk>) {
    if (chunk.stream !== 'stdout' && chunk.stream !== 'stderr') continue
    if (chunk.stream === 'stderr' && stderr.length < 4096) stderr += chunk.data.toString('utf8')
    options.output?.(chunk.data, chunk.stream)
  }
  // The output can end a moment before the engine records the exit code.
  for (let attempt = 0; ; attempt++) {
    const info = await engine.exec.inspect(execId, {signal: options.signal})
    if (!info.Running || attempt >= 50) return {exitCode: info.ExitCode ?? 0, stderr}
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
