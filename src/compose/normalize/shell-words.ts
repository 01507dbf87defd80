/**
 * Split a command string into words the way docker compose does for `command` and `entrypoint`:
 * whitespace separates words; single quotes keep everything literally; double quotes keep
 * whitespace and honour `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes escapes the next
 * character. Returns undefined for an unterminated quote or a trailing backslash.
 */
export function splitShellWords(text: string): string[] | undefined {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote === "'") {
      if (c === "'") quote = undefined
      else word += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1])) {
        if (text[i + 1] !== '\n') word += text[i + 1]
        i++
      } else word += c
    } else if (c === '\\') {
      if (i + 1 >= text.length) return undefined
      if (text[i + 1] !== '\n') word += text[i + 1]
      inWord = true
      i++
    } else if (c === "'" || c === '"') {
      quote = c
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quote) return undefined
  if (inWord) words.push(word)
  return words
}
