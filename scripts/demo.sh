#!/usr/bin/env bash
# `npm run demo`: Berth's main job on a real Docker Engine, from a fresh machine.
#   1. installs what is missing (node modules; as root Debian's docker.io and busybox-static)
#   2. builds Berth
#   3. makes sure an engine answers (as root, starts Debian's dockerd when none is reachable)
#   4. builds the local busybox base image (no registry needed)
#   5. berth up -d on fixtures/demo, berth ps, fetches a page from the published port,
#      berth logs, berth down -v
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "dependencies"
bash scripts/ensure-deps.sh

say "build"
npm run --silent build >/dev/null || { echo "demo: the build failed (run \`npm run build\` to see why)" >&2; exit 1; }
berth() { node "$ROOT/bin/run.js" "$@"; }

say "engine"
engine_answers() {
  if [ -n "${DOCKER_HOST:-}" ]; then docker version >/dev/null 2>&1; return; fi
  [ -S /var/run/docker.sock ] && docker version >/dev/null 2>&1
}
if [ -x scripts/engine.sh ] || [ -f scripts/engine.sh ]; then
  bash scripts/engine.sh
elif ! engine_answers; then
  if [ "$(id -u)" != 0 ]; then
    echo "demo: no Docker Engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock}." >&2
    echo "      start one (as root: \`dockerd &\`, or \`systemctl start docker\`), or point DOCKER_HOST at one, then rerun \`npm run demo\`." >&2
    exit 1
  fi
  echo "starting dockerd (log: /var/log/berth-demo-dockerd.log)"
  (setsid dockerd >/var/log/berth-demo-dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do engine_answers && break; sleep 0.5; done
  engine_answers || { echo "demo: dockerd did not come up; see /var/log/berth-demo-dockerd.log" >&2; exit 1; }
fi
docker version --format 'Docker Engine {{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null || true

say "base image (busybox-static, imported through the Engine API)"
npx tsx -e "
import('./test/support/base-image.ts').then(async ({ensureBaseImage}) => {
  const {EngineClient} = await import('./src/engine/index.ts')
  const client = EngineClient.fromEnvironment()
  const {id, built} = await ensureBaseImage(client)
  console.log((built ? 'built ' : 'present ') + 'busybox:latest ' + id.slice(7, 19))
  await client.close()
}).catch((e) => { console.error('demo: ' + e.message); process.exit(1) })"

# Start from a clean slate (a previous demo run that was interrupted).
(cd fixtures/demo && berth down -v -t 1 --progress quiet >/dev/null 2>&1) || true

# A free port for the web service (8080 unless taken).
DEMO_PORT=${DEMO_PORT:-$(node -e "
const net = require('node:net')
const tryPort = (p) => { const s = net.createServer(); s.once('error', () => tryPort(p + 1)); s.listen(p, () => { s.close(() => console.log(p)) }) }
tryPort(8080)")}
export DEMO_PORT

cd fixtures/demo
cleanup() { berth down -v -t 1 --progress quiet >/dev/null 2>&1 || true; }
trap cleanup INT TERM

say "up: web waits for a healthy backend"
run berth up -d

say "ps"
run berth ps

say "a page from the published port ${DEMO_PORT}"
node -e "
const http = require('node:http')
// A fresh connection per request (busybox httpd closes after each response).
const get = (path) => new Promise((resolve, reject) => {
  http.get({host: '127.0.0.1', port: Number(process.env.DEMO_PORT), path, agent: false}, (res) => {
    let body = ''
    res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(path + ': HTTP ' + res.statusCode))))
  }).on('error', reject)
})
;(async () => {
  for (let i = 0; ; i++) {
    try { process.stdout.write('GET / ->\n' + await get('/')); break } catch (e) { if (i > 20) throw e; await new Promise((r) => setTimeout(r, 250)) }
  }
  process.stdout.write('GET /cgi-bin/backend (web -> backend by service name) ->\n' + await get('/cgi-bin/backend'))
})().catch((e) => { console.error('demo: ' + e.message); process.exit(1) })"

say "up again: nothing changed, so nothing happens"
run berth up -d --dry-run

say "logs"
run berth logs

say "down (and -v: the named volume too)"
run berth down -v -t 1
echo
echo "demo finished: that was \`berth up -d\`, \`berth ps\`, \`berth logs\` and \`berth down\` on fixtures/demo."
