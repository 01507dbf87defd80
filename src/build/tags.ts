/** Checks an image reference given to -t / build.tags the way the engine will, before any engine call. */
export function invalidTagReason(ref: string): string | undefined {
  let name = ref
  let tag: string | undefined
  const at = name.indexOf('@')
  if (at >= 0) return 'a digest cannot be used as a build tag'
  const slash = name.lastIndexOf('/')
  const colon = name.lastIndexOf(':')
  if (colon > slash) {
    tag = name.slice(colon + 1)
    name = name.slice(0, colon)
  }
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) return 'the tag must be 1-128 of [A-Za-z0-9_.-], not starting with . or -'
  const parts = name.split('/')
  const first = parts[0]
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
  const path = hasRegistry ? parts.slice(1) : parts
  if (hasRegistry && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(first)) return `bad registry "${first}"`
  for (const part of path) {
    if (part === '') return 'empty path component'
    if (/[A-Z]/.test(part)) return 'repository names must be lowercase'
    if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(part)) return `bad repository name component "${part}"`
  }
  if (name.length > 255) return 'the repository name is longer than 255 characters'
  return undefined
}
