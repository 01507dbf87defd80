/**
 * Numbers and sizes as the docker CLI prints them (Go's `%g`, the go-units package's sizes):
 * `468KiB`, `23.54GiB` for memory, `1.24kB`, `0B` for I/O totals.
 */

/**
 * Go's `%.<precision>g`: `precision` significant digits, trailing zeros dropped, an exponent
 * (`1e+03`) when the exponent is below -4 or not below the precision.
 */
export function goFloat(value: number, precision: number): string {
  if (value === 0) return '0'
  if (!Number.isFinite(value)) return String(value)
  const [mantissa, exponentText] = value.toExponential(Math.max(precision - 1, 0)).split('e')
  const exponent = Number(exponentText)
  const strip = (digits: string) => (digits.includes('.') ? digits.replace(/0+$/, '').replace(/\.$/, '') : digits)
  if (exponent < -4 || exponent >= precision) return `${strip(mantissa)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  return strip(value.toFixed(Math.max(precision - 1 - exponent, 0)))
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB']
const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']

function scaled(size: number, base: number, units: readonly string[], precision: number): string {
  let i = 0
  while (size >= base && i < units.length - 1) {
    size /= base
    i++
  }
  return goFloat(size, precision) + units[i]
}

/** Memory sizes: `468KiB`, `23.54GiB` (go-units BytesSize). */
export function binarySize(bytes: number): string {
  return scaled(bytes, 1024, BINARY_UNITS, 4)
}

/** I/O totals: `1.24kB`, `0B` (go-units HumanSizeWithPrecision, 3 digits). */
export function decimalSize(bytes: number, precision = 3): string {
  return scaled(bytes, 1000, DECIMAL_UNITS, precision)
}
