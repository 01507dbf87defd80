#!/usr/bin/env node
// Writes a generated Compose project for benchmarks.
//   node bench/gen-project.mjs DIR N [--extends]
// N services in a depends_on chain on one network, 3 named volumes, 5 published ports (on the
// first five services), busybox httpd with init so stops are fast. With --extends every service
// extends a shared base from another file and interpolates variables, for the loader benchmark.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

const [dir, nArg, ...rest] = process.argv.slice(2)
if (!dir || !nArg) {
  console.error('usage: gen-project.mjs DIR N [--extends] [--port-base P]')
  process.exit(2)
}
const n = Number(nArg)
const withExtends = rest.includes('--extends')
const portBase = Number(rest[rest.indexOf('--port-base') + 1]) || 18080
mkdirSync(dir, {recursive: true})

const lines = ['services:']
for (let i = 0; i < n; i++) {
  lines.push(`  svc${i}:`)
  if (withExtends) {
    lines.push(`    extends: {file: base.yaml, service: base}`)
    lines.push(`    environment:`, `      INDEX: "${i}"`, `      MODE: \${MODE:-bench}`, `      TAG: "\${TAG:-v1}-${i}"`)
  } else {
    lines.push(`    image: \${IMAGE:-busybox:latest}`)
    lines.push(`    init: true`)
    lines.push(`    command: ["sh", "-c", "mkdir -p /www && echo svc${i} > /www/index.html && exec httpd -f -p 80 -h /www"]`)
  }
  lines.push(`    networks: [backend]`)
  if (i < 3) lines.push(`    volumes: ["data${i}:/data"]`)
  if (i < 5) lines.push(`    ports: ["127.0.0.1:${portBase + i}:80"]`)
  if (i > 0) lines.push(`    depends_on: [svc${i - 1}]`)
}
lines.push('networks:', '  backend: {}', 'volumes:', '  data0: {}', '  data1: {}', '  data2: {}')
writeFileSync(join(dir, 'compose.yaml'), lines.join('\n') + '\n')
if (withExtends) {
  writeFileSync(join(dir, 'base.yaml'), [
    'services:',
    '  base:',
    '    image: ${IMAGE:-busybox:latest}',
    '    init: true',
    '    command: ["sh", "-c", "exec httpd -f -p 80 -h /"]',
    '    labels: {tier: "${TIER:-bench}"}',
    '    environment: {BASE: "1"}',
    '',
  ].join('\n'))
}
console.log(`wrote ${n} services to ${join(dir, 'compose.yaml')}`)
