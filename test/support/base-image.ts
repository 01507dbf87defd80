/**
 * The local base image for tests and the demo, made without a registry: a root filesystem with
 * Debian's static busybox and its applet links, /etc/passwd and /etc/group (root, nobody), /tmp
 * (1777), /www and /root, packed in memory with tar-stream and imported through Berth's own engine
 * client (POST /images/create?fromSrc=-, what `docker import` does). Tagged
 * `berth-test/busybox:latest` and `busybox:latest`. Skipped when the image exists.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {pack} from 'tar-stream'
import type {EngineClient} from '../../src/engine/index.js'

export const BASE_IMAGE = 'berth-test/busybox:latest'
export const BASE_IMAGE_ALIASES = ['busybox:latest']
const BUSYBOX = '/bin/busybox'

/** What `docker import --change` lines the base image gets. */
export const BASE_IMAGE_CHANGES = ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["sh"]']

export async function ensureBaseImage(engine: EngineClient): Promise<{id: string; built: boolean}> {
  const existing = await engine.images.find(BASE_IMAGE)
  if (existing) {
    await tagAliases(engine)
    return {id: existing.Id, built: false}
  }
  const tar = await buildRootfsTar()
  const id = await engine.images.import(tar, {repository: 'berth-test/busybox', tag: 'latest', changes: BASE_IMAGE_CHANGES, message: 'berth test base image (busybox-static)'})
  await tagAliases(engine)
  return {id, built: true}
}

async function tagAliases(engine: EngineClient): Promise<void> {
  for (const alias of BASE_IMAGE_ALIASES) {
    if (!(await engine.images.find(alias))) await engine.images.tag(BASE_IMAGE, alias)
  }
}

/** The rootfs as an uncompressed tar, in memory (about 2 MB). */
export async function buildRootfsTar(): Promise<Buffer> {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: run \`bash scripts/ensure-deps.sh\` (as root) to install busybox-static`)
  const busybox = readFileSync(BUSYBOX)
  const applets = execFileSync(BUSYBOX, ['--list'], {encoding: 'utf8'})
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'busybox' && /^[\w.[\]-]+$/.test(s))
  const mtime = statSync(BUSYBOX).mtime
  const tar = pack()
  const chunks: Buffer[] = []
  tar.on('data', (chunk: unknown) => chunks.push(chunk as Buffer))
  const done = new Promise<void>((resolve, reject) => {
    tar.on('end', () => resolve())
    tar.on('error', reject)
  })
  const dir = (name: string, mode = 0o755) => tar.entry({name, type: 'directory', mode, mtime})
  const file = (name: string, content: string | Buffer, mode = 0o644) => tar.entry({name, mode, mtime}, content)
  const link = (name: string, target: string) => tar.entry({name, type: 'symlink', linkname: target, mode: 0o777, mtime})

  for (const d of ['bin', 'etc', 'root', 'www', 'usr', 'usr/bin', 'sbin', 'var', 'home', 'dev', 'proc', 'sys', 'run']) dir(d, d === 'root' ? 0o700 : 0o755)
  dir('tmp', 0o1777)
  dir('var/tmp', 0o1777)
  file('bin/busybox', busybox, 0o755)
  for (const applet of applets) link(`bin/${applet}`, 'busybox')
  // Scripts often start with #!/usr/bin/env sh.
  link('usr/bin/env', '/bin/busybox')
  file('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n')
  file('etc/group', 'root:x:0:\nnobody:x:65534:\n')
  file('etc/hostname', 'localhost\n')
  file('www/index.html', '<h1>berth test base image</h1>\n')
  tar.finalize()
  await done
  return Buffer.concat(chunks)
}
