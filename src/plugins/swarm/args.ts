/** The STACK argument, or one clear line saying how to give it. */
export async function requireStack(stack: string | undefined, usage: string): Promise<string> {
  if (stack !== undefined && stack !== '') return stack
  const {UserInputError} = await import('../sdk/index.js')
  throw new UserInputError('STACK_MISSING', `a stack name is required: ${usage}`, {hints: ['berth stack ls lists the stacks']})
}
