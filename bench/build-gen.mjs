// Generates the build benchmark contexts:
//   node bench/build-gen.mjs DIR small   -> 10-step Dockerfile, two COPYs of 100 x 10 KiB files
//   node bench/build-gen.mjs DIR large   -> COPY of 20,000 files / 200 MB
import {mkdirSync, writeFileSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import path from 'node:path'

const [dir, kind] = process.argv.slice(2)
mkdirSync(dir, {recursive: true})
const files = (sub, count, size) => {
  for (let i = 0; i < count; i++) {
    const d = path.join(dir, sub, String(Math.floor(i / 1000)).padStart(2, '0'))
    mkdirSync(d, {recursive: true})
    writeFileSync(path.join(d, `file-${String(i).padStart(5, '0')}.txt`), randomBytes(size / 2).toString('hex'))
  }
}
if (kind === 'small') {
  files('a', 100, 10240)
  files('b', 100, 10240)
  writeFileSync(path.join(dir, 'Dockerfile'), [
    'FROM berth-test/busybox:latest',
    'ENV APP=/srv/app LANG=C.UTF-8',
    'WORKDIR /srv/app',
    'RUN mkdir -p /srv/app/data && echo prepared > /srv/app/prepared.txt',
    'COPY a/ /srv/app/a/',
    'RUN find /srv/app/a -type f | wc -l > /srv/app/a.count',
    'COPY b/ /srv/app/b/',
    'RUN find /srv/app/b -type f | wc -l > /srv/app/b.count',
    'RUN cat /srv/app/a.count /srv/app/b.count',
    'CMD ["ls", "/srv/app"]',
    '',
  ].join('\n'))
} else {
  files('data', 20000, 10240)
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM berth-test/busybox:latest\nCOPY data/ /data/\nCMD ["true"]\n')
}
