#!/usr/bin/env bash
# Berth's builder vs the classic builder (DOCKER_BUILDKIT=0 docker build, docker CLI 28) on the same
# private engine and the same Dockerfile, medians with hyperfine:
#   small: 10 steps (ENV, WORKDIR, RUNs, two COPYs of 100 x 10 KiB files): cold (--no-cache),
#          nothing changed, one copied file's content changed, one file touched (mtime only)
#   large: COPY of 20,000 files / 200 MB with nothing changed (+ cold hashing throughput, peak RSS)
# Needs root (private dockerd), hyperfine and a built CLI (npm run build). RUNS=N (default 5).
# Results: bench/results/build.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
[ -f dist/commands/image/build.js ] || npm run --silent build
RUNS=${RUNS:-5}
work=$(mktemp -d /tmp/berth-bench-build-XXXX)
cleanup() {
  [ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null || true
  umount "$work"/d/exec/* 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${BERTH_TEST_DOCKER_HOST:-}" ]; then
  export DOCKER_HOST=$BERTH_TEST_DOCKER_HOST
else
  mkdir -p "$work/d"
  dockerd --data-root "$work/d/data" --exec-root "$work/d/exec" --pidfile "$work/d/pid" -H "unix://$work/d/sock" \
    --bridge=none --containerd-namespace berth-bench --containerd-plugins-namespace berth-bench-plugins >"$work/d/log" 2>&1 &
  DPID=$!
  export DOCKER_HOST="unix://$work/d/sock"
  for _ in $(seq 1 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
fi
export XDG_CACHE_HOME="$work/cache"
npx tsx -e "import('./test/support/base-image.ts').then(async (m) => { const {EngineClient} = await import('./src/engine/index.ts'); const c = EngineClient.fromEnvironment(); await m.ensureBaseImage(c); await c.close() })"

node bench/build-gen.mjs "$work/small" small
node bench/build-gen.mjs "$work/large" large
mkdir -p bench/results
berth="node bin/run.js image build -q"
classic="env DOCKER_BUILDKIT=0 docker build -q"
change="sh -c 'date +%s%N > $work/small/b/00/file-00042.txt'"
touchf="touch $work/small/b/00/file-00017.txt"

# Warm both caches once.
$berth "$work/small" >/dev/null; $classic "$work/small" >/dev/null 2>&1
hf() { local out=$1; shift; hyperfine -N -w 1 -r "$RUNS" --export-json "$work/$out.json" "$@" >/dev/null 2>"$work/$out.err" || cat "$work/$out.err" >&2; }
RUNS=${COLD_RUNS:-3} hf cold -n 'berth cold (--no-cache)' "$berth --no-cache $work/small" -n 'classic cold (--no-cache)' "$classic --no-cache $work/small"
hf warm -n 'berth nothing changed' "$berth $work/small" -n 'classic nothing changed' "$classic $work/small"
hf changed --prepare "$change" -n 'berth one file changed' "$berth $work/small" -n 'classic one file changed' "$classic $work/small"
hf touched --prepare "$touchf" -n 'berth one file touched' "$berth $work/small" -n 'classic one file touched' "$classic $work/small"

# Which steps re-run after a content change (printed once).
sh -c "date +%s%N > $work/small/b/00/file-00042.txt"
node bin/run.js image build --progress plain "$work/small" 2>&1 | grep -E '^\[' > "$work/changed-steps.txt" || true

# Large context: cold hashing (first berth build), then nothing changed.
/usr/bin/time -f '%e %M' -o "$work/large-cold.time" node bin/run.js image build -q "$work/large" >/dev/null
$classic "$work/large" >/dev/null 2>&1
/usr/bin/time -f '%e %M' -o "$work/large-warm.time" node bin/run.js image build -q "$work/large" >/dev/null
rm -rf "$XDG_CACHE_HOME"
/usr/bin/time -f '%e %M' -o "$work/large-nostat.time" node bin/run.js image build -q "$work/large" >/dev/null
hf large -n 'berth 20k files nothing changed' "$berth $work/large" -n 'classic 20k files nothing changed' "$classic $work/large"

node -e '
const fs = require("fs")
const rows = ["cold", "warm", "changed", "touched", "large"].flatMap((n) => { try { return JSON.parse(fs.readFileSync(`${process.argv[1]}/${n}.json`)).results } catch { return [] } })
const med = (n) => rows.find((r) => r.command === n)?.median
const f = (s) => s === undefined ? "n/a" : s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`
const pairs = [["cold (--no-cache)", "cold (--no-cache)"], ["nothing changed", "nothing changed"], ["one file changed", "one file changed"], ["one file touched", "one file touched"], ["20k files nothing changed", "20k files nothing changed"]]
let out = "| scenario | berth (median) | classic builder (median) | ratio |\n|---|---|---|---|\n"
for (const [a] of pairs) { const b = med("berth " + a), c = med("classic " + a); out += `| ${a} | ${f(b)} | ${f(c)} | ${b && c ? (b / c).toFixed(2) + "x" : "n/a"} |\n` }
const [coldS, coldKb] = fs.readFileSync(process.argv[3], "utf8").trim().split(" ")
const [warmS, warmKb] = fs.readFileSync(process.argv[4], "utf8").trim().split(" ")
const [nsS, nsKb] = fs.readFileSync(process.argv[5], "utf8").trim().split(" ")
out += `\nLarge context (20,000 files, 200 MB): first berth build (hash everything + COPY) ${coldS} s, peak RSS ${Math.round(coldKb / 1024)} MB; nothing changed ${warmS} s, peak RSS ${Math.round(warmKb / 1024)} MB; nothing changed but no stat cache (re-hash 200 MB, layer cache hit) ${nsS} s -> hashing throughput >= ${(200 / Number(nsS)).toFixed(0)} MB/s, peak RSS ${Math.round(nsKb / 1024)} MB.\n`
out += "\nSteps after one copied file changed:\n```\n" + fs.readFileSync(process.argv[6], "utf8") + "```\n"
fs.writeFileSync("bench/results/build.md", out)
process.stdout.write(out)
' "$work" "" "$work/large-cold.time" "$work/large-warm.time" "$work/large-nostat.time" "$work/changed-steps.txt"
