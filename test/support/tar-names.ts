/** The entry names of a tar archive in memory (ustar headers, 512-byte blocks), for assertions. */
export function tarNames(tar: Buffer): string[] {
  const names: string[] = []
  let offset = 0
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every((b) => b === 0)) break
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '')
    const prefix = field(345, 155)
    names.push((prefix ? prefix + '/' : '') + field(0, 100))
    const size = parseInt(field(124, 12).trim() || '0', 8)
    offset += 512 + Math.ceil(size / 512) * 512
  }
  return names
}
