/**
 * Typed instructions -> build stages: the global ARGs before the first FROM, then one stage per
 * FROM with its name and instructions; which stages a target needs (FROM <stage>, COPY --from).
 */
import {DockerfileError} from './errors.js'
import type {ArgInstruction, FromInstruction, Instruction} from './instructions.js'
import {toInstruction} from './instructions.js'
import {parseDockerfileText} from './parser.js'

export interface Stage {
  index: number
  /** Lower-case name from `AS name`. */
  name?: string
  from: FromInstruction
  instructions: Instruction[]
}

export interface Dockerfile {
  file: string
  text: string
  escape: string
  directives: Record<string, string>
  globalArgs: ArgInstruction[]
  stages: Stage[]
  warnings: string[]
}

export function parseDockerfile(text: string, file = 'Dockerfile'): Dockerfile {
  const parsed = parseDockerfileText(text, file)
  const where = {file, text: parsed.text}
  const globalArgs: ArgInstruction[] = []
  const stages: Stage[] = []
  const names = new Map<string, FromInstruction>()
  for (const raw of parsed.instructions) {
    const instruction = toInstruction(raw, where, parsed.escape)
    if (instruction.kind === 'FROM') {
      if (instruction.stageName !== undefined) {
        const earlier = names.get(instruction.stageName)
        if (earlier) {
          throw new DockerfileError('DOCKERFILE_STAGE', `duplicate stage name "${instruction.stageName}" (first defined on line ${earlier.line})`, {file, text: parsed.text, position: {line: instruction.line, col: instruction.col}})
        }
        names.set(instruction.stageName, instruction)
      }
      stages.push({index: stages.length, name: instruction.stageName, from: instruction, instructions: []})
    } else if (stages.length === 0) {
      if (instruction.kind !== 'ARG') {
        throw new DockerfileError('DOCKERFILE_NO_FROM', `${instruction.kind} before the first FROM: only ARG may come before FROM`, {file, text: parsed.text, position: {line: instruction.line, col: instruction.col}})
      }
      globalArgs.push(instruction)
    } else {
      stages[stages.length - 1].instructions.push(instruction)
    }
  }
  if (stages.length === 0) {
    throw new DockerfileError('DOCKERFILE_NO_FROM', parsed.instructions.length === 0 ? 'the Dockerfile is empty' : 'no FROM instruction: a Dockerfile must have at least one stage', {file})
  }
  return {file, text: parsed.text, escape: parsed.escape, directives: parsed.directives, globalArgs, stages, warnings: parsed.warnings}
}

/** The stage `--target` names (case-insensitive), or the last stage. */
export function targetStage(dockerfile: Dockerfile, target?: string): Stage {
  if (target === undefined || target === '') return dockerfile.stages[dockerfile.stages.length - 1]
  const stage = dockerfile.stages.find((s) => s.name === target.toLowerCase())
  if (!stage) {
    const known = dockerfile.stages.filter((s) => s.name).map((s) => s.name)
    throw new DockerfileError('DOCKERFILE_TARGET', `target stage "${target}" could not be found`, {file: dockerfile.file}, known.length > 0 ? [`stages in this Dockerfile: ${known.join(', ')}`] : undefined)
  }
  return stage
}

/**
 * Resolves a stage reference (`FROM <ref>`, `COPY --from=<ref>`) seen from stage `fromIndex`:
 * a named earlier stage, or a numeric index of an earlier stage; otherwise it is an image.
 */
export function stageRef(dockerfile: Dockerfile, ref: string, fromIndex: number): Stage | undefined {
  const lower = ref.toLowerCase()
  const named = dockerfile.stages.find((s) => s.name === lower && s.index < fromIndex)
  if (named) return named
  if (/^\d+$/.test(ref)) {
    const n = Number(ref)
    if (n < fromIndex) return dockerfile.stages[n]
  }
  return undefined
}
