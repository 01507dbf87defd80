import assert from 'node:assert/strict'
import {formatDuration, parseByteSize, parseDuration} from '../../../src/compose/units.js'

describe('compose units', () => {
  describe('durations', () => {
    it('parses Go duration syntax into nanoseconds', () => {
      assert.equal(parseDuration('1m30s'), 90e9)
      assert.equal(parseDuration('1.5h'), 5400e9)
      assert.equal(parseDuration('500ms'), 5e8)
      assert.equal(parseDuration('100us'), 1e5)
      assert.equal(parseDuration('100µs'), 1e5)
      assert.equal(parseDuration('1h2m3s4ms'), 3723004e6)
      assert.equal(parseDuration('0'), 0)
      assert.equal(parseDuration('-5s'), -5e9)
    })

    it('refuses what Go refuses', () => {
      for (const bad of ['', '10', '1x', 's', '1m 30s', '1.5.5s', 'ms']) assert.equal(parseDuration(bad), undefined, bad)
    })

    it('prints as Go prints a time.Duration', () => {
      const cases: Array<[number, string]> = [
        [0, '0s'], [1, '1ns'], [1500, '1.5µs'], [5e8, '500ms'], [1.5e9, '1.5s'], [60e9, '1m0s'], [90e9, '1m30s'],
        [3600e9, '1h0m0s'], [3723.5e9, '1h2m3.5s'], [9900e9, '2h45m0s'], [-90e9, '-1m30s'],
      ]
      for (const [nanos, text] of cases) assert.equal(formatDuration(nanos), text)
    })

    it('round-trips canonical text', () => {
      for (const text of ['1m30s', '2h0m0s', '1.5s', '250ms', '10µs']) assert.equal(formatDuration(parseDuration(text)!), text)
    })
  })

  describe('byte sizes', () => {
    it('reads binary units as docker does', () => {
      assert.equal(parseByteSize('512m'), 512 * 1024 ** 2)
      assert.equal(parseByteSize('1g'), 1024 ** 3)
      assert.equal(parseByteSize('1GB'), 1024 ** 3)
      assert.equal(parseByteSize('1.5GiB'), 1.5 * 1024 ** 3)
      assert.equal(parseByteSize('64k'), 65536)
      assert.equal(parseByteSize('100 kb'), 102400)
      assert.equal(parseByteSize('2048'), 2048)
      assert.equal(parseByteSize('10b'), 10)
      assert.equal(parseByteSize(1024), 1024)
      assert.equal(parseByteSize(-1), -1)
    })

    it('refuses other text', () => {
      for (const bad of ['', 'lots', '1x', 'm', '1.5.2m', '-1m', 1.5]) assert.equal(parseByteSize(bad), undefined, String(bad))
    })
  })
})
