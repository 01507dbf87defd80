#!/usr/bin/env bash
# `berth watch` side by side with `docker compose watch` (v5, built by scripts/peers.sh) on the same
# private engine: how long from a file written on the host until it is in the container (sync
# action), and until a rebuilt container runs the new file (rebuild action). Both tools wait 500 ms
# for a batch to settle; the rest is each tool's own. The container is polled through the Engine
# API (HEAD /containers/{name}/archive, a few ms per probe), not with `docker exec`.
# A probe asks for a running container with the file, by the container's final name.
# Medians in seconds; markdown in bench/results/watch.md. Needs root (a private dockerd).
#   RUNS=10 bash bench/watch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-10}
[ -f dist/commands/watch.js ] || npm run --silent build
v5=${V5:-/opt/berth-peers/bin/docker-compose-v5}
[ -x "$v5" ] || { echo "needs docker compose v5 (bash scripts/peers.sh)" >&2; exit 1; }

ENGINE_DIR=$(mktemp -d /tmp/berth-bench-XXXX)
work=$(mktemp -d)
watcher=""
cleanup() {
  [ -n "$watcher" ] && kill "$watcher" 2>/dev/null || true
  for p in $(node "$ROOT/bin/run.js" ls -q 2>/dev/null); do node "$ROOT/bin/run.js" down -p "$p" -v -t 0 --progress quiet >/dev/null 2>&1 || true; done
  if bash scripts/engine.sh stop --private "$ENGINE_DIR" >/dev/null 2>&1; then rm -rf "$ENGINE_DIR"; fi
  rm -rf "$work"
}
trap cleanup EXIT
bash scripts/engine.sh start --private "$ENGINE_DIR" >/dev/null
export DOCKER_HOST=unix://$ENGINE_DIR/sock
SOCK=$ENGINE_DIR/sock
npx tsx -e "
import('./test/support/base-image.ts').then(async ({ensureBaseImage}) => {
  const {EngineClient} = await import('./src/engine/index.ts')
  const client = EngineClient.fromEnvironment()
  await ensureBaseImage(client)
  await client.close()
})"

mkdir -p "$work/p/src" "$work/p/ctx"
cat >"$work/p/compose.yaml" <<'EOF'
services:
  web:
    image: busybox
    init: true
    command: ["sleep", "3600"]
    develop:
      watch:
        - {path: ./src, action: sync, target: /app}
  app:
    build: ./ctx
    init: true
    develop:
      watch:
        - {path: ./ctx, action: rebuild}
EOF
printf 'FROM busybox\nCOPY v.txt /v/\nCMD ["sleep", "3600"]\n' >"$work/p/ctx/Dockerfile"
echo 0 >"$work/p/ctx/v.txt"

now() { date +%s.%N; }
exists() { # container path -> 0 when the container runs and the path exists in it
  curl -s --unix-socket "$SOCK" "http://x/containers/$1/json" | grep -q '"Running":true' &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -I "http://x/containers/$1/archive?path=$2")" = 200 ]
}
wait_for() { # project service path start -> seconds until the path is in the service's container
  # By name: a recreated container takes the same name once it replaces the old one.
  local name=$1-$2-1 path=$3 start=$4
  for _ in $(seq 1 3000); do
    if exists "$name" "$path"; then awk -v a="$start" -v b="$(now)" 'BEGIN{printf "%.3f", b-a}'; return; fi
    sleep 0.01
  done
  echo "timeout"; return 1
}
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() { # tool-name command...
  local name=$1; shift
  local project=bw-$name
  ( cd "$work/p" && exec "$@" -p "$project" watch >"$work/$name.log" 2>&1 ) &
  watcher=$!
  for _ in $(seq 1 600); do grep -q 'Watch enabled' "$work/$name.log" 2>/dev/null && break; sleep 0.1; done
  grep -q 'Watch enabled' "$work/$name.log" || { cat "$work/$name.log" >&2; exit 1; }
  : >"$work/$name.sync"; : >"$work/$name.rebuild"
  for i in $(seq 1 "$RUNS"); do
    local t; t=$(now); echo "$i" >"$work/p/src/f$name$i.txt"
    wait_for "$project" web "/app/f$name$i.txt" "$t" >>"$work/$name.sync"; echo >>"$work/$name.sync"
    sleep 1
  done
  for i in $(seq 1 "$RUNS"); do
    local t; t=$(now); echo "$name$i" >"$work/p/ctx/v.txt"; mkdir -p "$work/p/ctx/m"; : >"$work/p/ctx/m/$name$i"
    printf 'FROM busybox\nCOPY v.txt /v/\nCOPY m/ /m/\nCMD ["sleep", "3600"]\n' >"$work/p/ctx/Dockerfile"
    wait_for "$project" app "/m/$name$i" "$t" >>"$work/$name.rebuild"; echo >>"$work/$name.rebuild"
    sleep 1
  done
  kill "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true; watcher=""
  node "$ROOT/bin/run.js" down -p "$project" -v -t 0 --progress quiet >/dev/null 2>&1 || true
  rm -rf "$work/p/src"/* "$work/p/ctx/m"
  printf 'FROM busybox\nCOPY v.txt /v/\nCMD ["sleep", "3600"]\n' >"$work/p/ctx/Dockerfile"
}

measure berth node "$ROOT/bin/run.js"
measure v5 "$v5"

b_sync=$(grep . "$work/berth.sync" | median); v_sync=$(grep . "$work/v5.sync" | median)
b_reb=$(grep . "$work/berth.rebuild" | median); v_reb=$(grep . "$work/v5.rebuild" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
mkdir -p bench/results
{
  echo "# watch: Berth vs docker compose v5 (same engine, same project)"
  echo
  echo "$(date -u +%F), $(nproc) cores, RUNS=$RUNS; medians in seconds, from the host write until the file is in the (new) container."
  echo "Produced by \`RUNS=$RUNS bash bench/watch.sh\`. Both tools wait for 500 ms without a change before acting."
  echo
  echo "| case | berth | docker compose v5 | berth / v5 |"
  echo "|---|---|---|---|"
  echo "| sync: one new file | $b_sync | $v_sync | $(ratio "$b_sync" "$v_sync") |"
  echo "| rebuild: context changed, container recreated | $b_reb | $v_reb | $(ratio "$b_reb" "$v_reb") |"
  echo
  echo "Samples (s): berth sync $(grep . "$work/berth.sync" | tr '\n' ' '); v5 sync $(grep . "$work/v5.sync" | tr '\n' ' ')."
  echo "berth rebuild $(grep . "$work/berth.rebuild" | tr '\n' ' '); v5 rebuild $(grep . "$work/v5.rebuild" | tr '\n' ' ')."
} >bench/results/watch.md
cat bench/results/watch.md
