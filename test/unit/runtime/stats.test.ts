import {strict as assert} from 'node:assert'
import {PassThrough} from 'node:stream'
import type {StatsSample} from '../../../src/engine/resources/stats.js'
import {cpuPercent, idleRow, memoryUsage, roundWriter, statsItem, statsRow, STATS_SCHEMA} from '../../../src/runtime/stats.js'
import {parseFormat, renderItems} from '../../../src/runtime/template-format.js'

const ID = '0c2f755fd868fdf9864577a8daa35c84d92664d2a279f89fcf28840d991b83a9'

/** A sample as Docker 20.10 sends it (cgroup v1), trimmed to what is read. */
function sample(over: Partial<StatsSample> = {}): StatsSample {
  return {
    read: '2026-11-22T19:14:53.328498054Z',
    preread: '2026-11-22T19:14:52.324849741Z',
    name: '/demo-web-1',
    id: ID,
    pids_stats: {current: 3},
    blkio_stats: {
      io_service_bytes_recursive: [
        {major: 8, minor: 0, op: 'Read', value: 4096},
        {major: 8, minor: 0, op: 'Write', value: 1_240_000},
        {major: 8, minor: 0, op: 'Sync', value: 99},
        {major: 8, minor: 16, op: 'read', value: 4096},
      ],
    },
    cpu_stats: {cpu_usage: {total_usage: 117_807_094, percpu_usage: [60_089_315, 57_717_779]}, system_cpu_usage: 33_052_990_000_000, online_cpus: 2},
    precpu_stats: {cpu_usage: {total_usage: 116_767_083, percpu_usage: [59_475_022, 57_292_061]}, system_cpu_usage: 33_051_000_000_000, online_cpus: 2},
    memory_stats: {usage: 1_000_000, limit: 25_276_063_744, stats: {total_inactive_file: 49_728, inactive_file: 0, cache: 12_288}},
    networks: {eth0: {rx_bytes: 796, tx_bytes: 0}, eth1: {rx_bytes: 500, tx_bytes: 1_500}},
    ...over,
  }
}

describe('runtime: stats figures', () => {
  it('CPU % is the container share of host CPU time between the two readings, times the CPUs', () => {
    // (117807094-116767083) / (33052990000000-33051000000000) * 2 * 100
    assert.ok(Math.abs(cpuPercent(sample()) - 0.104524) < 1e-5)
    // No online_cpus: the per-CPU list counts them.
    const noOnline = sample({cpu_stats: {...sample().cpu_stats, online_cpus: undefined}})
    assert.ok(Math.abs(cpuPercent(noOnline) - 0.104524) < 1e-5)
  })

  it('without precpu_stats (a stream\'s first sample) the previous sample is the other reading, else 0', () => {
    const first = sample({precpu_stats: {cpu_usage: {total_usage: 0}}})
    assert.equal(cpuPercent(first), 0)
    const previous = sample({cpu_stats: {cpu_usage: {total_usage: 100_000_000}, system_cpu_usage: 33_050_990_000_000, online_cpus: 2}})
    // (117807094-100000000) / 2e9 * 2 * 100
    assert.ok(Math.abs(cpuPercent(first, previous) - 1.7807094) < 1e-6)
    // A counter going backwards (a restart) is 0, not negative.
    assert.equal(cpuPercent(sample({precpu_stats: {cpu_usage: {total_usage: 200_000_000}, system_cpu_usage: 33_051_000_000_000}})), 0)
  })

  it('memory leaves the inactive page cache out (cgroup v1 total_inactive_file, v2 inactive_file)', () => {
    assert.equal(memoryUsage({usage: 1_000_000, stats: {total_inactive_file: 49_728}}), 950_272)
    assert.equal(memoryUsage({usage: 1_000_000, stats: {inactive_file: 100_000}}), 900_000)
    assert.equal(memoryUsage({usage: 1_000, stats: {total_inactive_file: 5_000}}), 1_000)
    assert.equal(memoryUsage({}), 0)
    assert.equal(memoryUsage(undefined), 0)
  })

  it('a row sums every network and the read/write block I/O entries; the name loses its slash', () => {
    const row = statsRow(sample(), {id: ID, name: 'fallback'})
    assert.equal(row.name, 'demo-web-1')
    assert.equal(row.memory, 950_272)
    assert.equal(row.netRx, 1296)
    assert.equal(row.netTx, 1500)
    assert.equal(row.blockRead, 8192)
    assert.equal(row.blockWrite, 1_240_000)
    assert.equal(row.pids, 3)
    // A stopped container's sample has no name or figures: the container's own name and zeros.
    const idle = statsRow({read: '0001-01-01T00:00:00Z', name: '', id: ''}, {id: ID, name: 'demo-db-1'})
    assert.deepEqual(idle, idleRow(ID, 'demo-db-1'))
  })

  it('formats the fields as docker compose stats does', () => {
    const item = statsItem(statsRow(sample(), {id: ID, name: 'x'}))
    assert.deepEqual(item.fields, {
      BlockIO: '8.19kB / 1.24MB',
      CPUPerc: '0.10%',
      Container: ID,
      ID: '0c2f755fd868',
      MemPerc: '0.00%',
      MemUsage: '928KiB / 23.54GiB',
      Name: 'demo-web-1',
      NetIO: '1.3kB / 1.5kB',
      PIDs: '3',
    })
    assert.equal(statsItem(idleRow(ID, 'demo-db-1'), {noTrunc: true}).fields.ID, ID)
    assert.equal(statsItem(idleRow(ID, 'demo-db-1')).fields.MemUsage, '0B / 0B')
  })

  it('the default table has the docker columns; json has the keys in docker\'s (sorted) order', () => {
    const rows = [statsRow(sample(), {id: ID, name: 'x'}), idleRow('b029770e856d45f75518d24ff8775394076029a0dc13d74026cad66f23179f2b', 'demo-db-1')]
    const table = renderItems(parseFormat('table', STATS_SCHEMA), rows.map((r) => statsItem(r)), STATS_SCHEMA)
    assert.equal(
      table,
      [
        'CONTAINER ID   NAME         CPU %     MEM USAGE / LIMIT   MEM %     NET I/O         BLOCK I/O         PIDS',
        '0c2f755fd868   demo-web-1   0.10%     928KiB / 23.54GiB   0.00%     1.3kB / 1.5kB   8.19kB / 1.24MB   3',
        'b029770e856d   demo-db-1    0.00%     0B / 0B             0.00%     0B / 0B         0B / 0B           0',
        '',
      ].join('\n'),
    )
    const json = renderItems(parseFormat('json', STATS_SCHEMA), rows.map((r) => statsItem(r)), STATS_SCHEMA).trim().split('\n')
    assert.deepEqual(Object.keys(JSON.parse(json[0]) as object), ['BlockIO', 'CPUPerc', 'Container', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs'])
    const custom = renderItems(parseFormat('table {{.Name}}\\t{{.Container}}', STATS_SCHEMA), rows.slice(1).map((r) => statsItem(r)), STATS_SCHEMA)
    assert.equal(custom.split('\n')[0].trimEnd(), 'NAME        CONTAINER')
  })

  it('rounds: redrawn in place on a terminal, appended (tables separated by a blank line) otherwise', () => {
    const captured = () => {
      const stream = new PassThrough()
      let text = ''
      stream.on('data', (c: Buffer) => (text += c.toString()))
      return {stream, text: () => text}
    }
    const tty = captured()
    const drawTty = roundWriter(Object.assign(tty.stream, {isTTY: true}), true)
    drawTty('A\nB\n')
    drawTty('C\n')
    assert.equal(tty.text(), '\u001B[HA\u001B[K\nB\u001B[K\n\u001B[J\u001B[HC\u001B[K\n\u001B[J')
    const pipe = captured()
    const drawPipe = roundWriter(pipe.stream, true)
    drawPipe('A\n')
    drawPipe('')
    drawPipe('B\n')
    assert.equal(pipe.text(), 'A\n\nB\n')
    const lines = captured()
    const drawLines = roundWriter(lines.stream, false)
    drawLines('{"a":1}\n')
    drawLines('{"a":2}\n')
    assert.equal(lines.text(), '{"a":1}\n{"a":2}\n')
  })
})
