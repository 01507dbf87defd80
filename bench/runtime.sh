#!/usr/bin/env bash
# The runner side by side with docker-compose 1.29 (Debian) on the same private engine and the same
# generated projects (bench/gen-project.mjs: a depends_on chain, one network, 3 named volumes, 5
# published ports, busybox httpd with init). Medians from hyperfine; markdown in
# bench/results/runtime.md. Needs root (a private dockerd) and hyperfine.
#   RUNS=5 SIZES="10 50" bash bench/runtime.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
SIZES=${SIZES:-"10 50"}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
[ -f dist/commands/up.js ] || npm run --silent build

ENGINE_DIR=$(mktemp -d /tmp/berth-bench-XXXX)
work=$(mktemp -d)
cleanup() {
  # Projects down first (a daemon stopped under running containers leaves mounts behind), then the
  # daemon; its directory is removed only once it is gone.
  for p in $(node "$ROOT/bin/run.js" ls -q 2>/dev/null); do node "$ROOT/bin/run.js" down -p "$p" -v -t 0 --progress quiet >/dev/null 2>&1 || true; done
  if bash scripts/engine.sh stop --private "$ENGINE_DIR" >/dev/null 2>&1; then rm -rf "$ENGINE_DIR"; fi
  rm -rf "$work"
}
trap cleanup EXIT
bash scripts/engine.sh start --private "$ENGINE_DIR" >/dev/null
export DOCKER_HOST=unix://$ENGINE_DIR/sock
npx tsx -e "
import('./test/support/base-image.ts').then(async ({ensureBaseImage}) => {
  const {EngineClient} = await import('./src/engine/index.ts')
  const client = EngineClient.fromEnvironment()
  await ensureBaseImage(client)
  await client.close()
})"

berth="node $ROOT/bin/run.js"
dc="docker-compose"
# docker compose v5 built from its Go module (scripts/peers.sh): the fastest peer, for reference.
v5=${V5:-/opt/berth-peers/bin/docker-compose-v5}
[ -x "$v5" ] || v5=""
out=$ROOT/bench/results/runtime.md
mkdir -p "$ROOT/bench/results"
{
  echo "# Runtime: Berth vs docker-compose 1.29 (same engine, same project)"
  echo
  echo "$(date -u +%F), $(nproc) cores, Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null), RUNS=$RUNS; medians in seconds."
  echo "Produced by \`RUNS=$RUNS SIZES=\"$SIZES\" bash bench/runtime.sh\`."
  echo
  echo "| case | berth | docker-compose 1.29 | berth / compose 1.29 | docker compose v5 (Go) | berth / v5 |"
  echo "|---|---|---|---|---|---|"
} >"$out"

median() { node -e "const r=require('$1').results; console.log(r.map(x=>x.median.toFixed(3)).join(' '))"; }
row() { # name berth-args compose-args [prepare]  (the same arguments for all three tools)
  local name=$1 b=$2 c=$3 prep=${4:-} args=(-w 1 -r "$RUNS" --export-json "$work/r.json") cmds
  [ -n "$prep" ] && args+=(--prepare "$prep")
  cmds=("$berth $b" "$dc $c")
  [ -n "$v5" ] && cmds+=("$v5 $c")
  hyperfine "${args[@]}" "${cmds[@]}" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  read -r mb mc m5 <<<"$(median "$work/r.json")"
  local r5="-" q5="-"
  [ -n "${m5:-}" ] && { r5=$m5; q5=$(node -e "console.log(($mb/$m5).toFixed(2))"); }
  echo "| $name | $mb | $mc | $(node -e "console.log(($mb/$mc).toFixed(2))") | $r5 | $q5 |" | tee -a "$out"
}
clean_all() { echo "$berth down $1 -v -t 0 --progress quiet >/dev/null 2>&1; $dc $1 down -v -t 0 >/dev/null 2>&1; ${v5:-true} $1 down -v -t 0 >/dev/null 2>&1; true"; }

for n in $SIZES; do
  p=$work/p$n
  node bench/gen-project.mjs "$p" "$n" --port-base 19000 >/dev/null
  cd "$p"
  q="-p bench$n"
  # Each tool brings the project up and down under its own name, so no run sees another's containers.
  row "$n services: up -d (from nothing)" "up -d $q --progress quiet" "$q up -d" "$(clean_all "$q")"
  row "$n services: down -v -t 0" "down $q -v -t 0 --progress quiet" "$q down -v -t 0" "$(clean_all "$q"); $berth up -d $q --progress quiet >/dev/null 2>&1"
  $berth up -d $q --progress quiet >/dev/null
  row "$n services: up -d (nothing changed)" "up -d $q --progress quiet" "$q up -d"
  row "$n services: ps" "ps $q" "$q ps"
  row "$n services: logs" "logs $q" "$q logs --no-color"
  row "$n services: config -q" "config -q $q" "$q config -q"
  $berth down $q -v -t 0 --progress quiet >/dev/null
  # The engine's own time on the critical path (BERTH_DEBUG=1 logs each call with its duration): a
  # depends_on chain starts, and stops, one container after another whatever the client does.
  BERTH_DEBUG=1 $berth up -d $q --progress quiet 2>"$work/up.dbg" >/dev/null
  BERTH_DEBUG=1 $berth down $q -v -t 0 --progress quiet 2>"$work/down.dbg" >/dev/null
  node -e '
    const fs = require("fs")
    const calls = (f) => fs.readFileSync(f, "utf8").split("\n").map((l) => /^engine: (\S+) (\S+) \S+ (\d+)ms \(at (\d+)ms\)/.exec(l)).filter(Boolean)
    const sum = (cs, re) => cs.filter((c) => re.test(c[1] + " " + c[2])).reduce((n, c) => n + Number(c[3]), 0)
    const end = (cs) => Math.max(...cs.map((c) => Number(c[3]) + Number(c[4])))
    const up = calls(process.argv[1]), down = calls(process.argv[2])
    const s = (ms) => (ms / 1000).toFixed(3)
    console.log(`engine floor, ${process.argv[3]} services: up -d makes ${up.length} calls; its ${up.filter((c) => /\/start$/.test(c[2])).length} container starts, one after another along the chain, take ${s(sum(up, /\/start$/))} s of its ${s(end(up))} s. down -v -t 0: stops ${s(sum(down, /\/stop$/))} s + network removal ${s(sum(down, /^DELETE \/v[\d.]+\/networks/))} s of its ${s(end(down))} s.`)
  ' "$work/up.dbg" "$work/down.dbg" "$n" | tee -a "$work/floor.txt"
  cd "$ROOT"
done
{ echo; cat "$work/floor.txt"; } >>"$out"
echo >>"$out"
echo "Peak RSS of \`berth up -d\` for the largest project:" >>"$out"
n=${SIZES##* }
(cd "$work/p$n" && /usr/bin/time -f '%M KB' $berth up -d -p rss$n --progress quiet 2>&1 >/dev/null | tail -1 | sed 's/^/    /' >>"$out"; $berth down -p rss$n -v -t 0 --progress quiet >/dev/null)
cat "$out"
