import {strict as assert} from 'node:assert'
import {binarySize, decimalSize, goFloat} from '../../../src/runtime/go-units.js'

describe('runtime: sizes as the docker CLI prints them', () => {
  it("goFloat is Go's %.Ng: significant digits, no trailing zeros, an exponent when out of range", () => {
    assert.equal(goFloat(0, 4), '0')
    assert.equal(goFloat(1, 4), '1')
    assert.equal(goFloat(23.5, 4), '23.5')
    assert.equal(goFloat(23.5432, 4), '23.54')
    assert.equal(goFloat(1004.4, 4), '1004')
    assert.equal(goFloat(1.2449, 3), '1.24')
    assert.equal(goFloat(999.7, 3), '1e+03')
    assert.equal(goFloat(0.0001234, 3), '0.000123')
    assert.equal(goFloat(0.00001234, 3), '1.23e-05')
    assert.equal(goFloat(-2.5, 2), '-2.5')
  })

  it('binarySize: memory in KiB/MiB/GiB with four digits (go-units BytesSize)', () => {
    assert.equal(binarySize(0), '0B')
    assert.equal(binarySize(1023), '1023B')
    assert.equal(binarySize(1024), '1KiB')
    assert.equal(binarySize(479_232), '468KiB')
    assert.equal(binarySize(1_028_096), '1004KiB')
    assert.equal(binarySize(1_052_770), '1.004MiB')
    assert.equal(binarySize(25_276_063_744), '23.54GiB')
  })

  it('decimalSize: I/O in kB/MB/GB with three digits (go-units HumanSizeWithPrecision)', () => {
    assert.equal(decimalSize(0), '0B')
    assert.equal(decimalSize(876), '876B')
    assert.equal(decimalSize(1240), '1.24kB')
    assert.equal(decimalSize(999_700), '1e+03kB')
    assert.equal(decimalSize(5_300_000_000), '5.3GB')
    assert.equal(decimalSize(1_234_567, 4), '1.235MB')
  })
})
