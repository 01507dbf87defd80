#!/usr/bin/env bash
# Start-up and loader benchmarks, side by side with the peers (no engine needed):
#   berth --version, berth --help, berth config -q (10 services)
#   vs docker-compose 1.29 (Debian) and docker compose v5 (built by scripts/peers.sh, if present).
# Prints hyperfine's medians as a markdown table to stdout (and bench/results/startup.md).
# BASELINE=DIR adds `config -q` of another build (a directory with bin/, dist/, package.json and
# oclif.manifest.json, e.g. a copy of an older build) to the same run, for before/after figures.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
[ -f dist/commands/config.js ] || npm run --silent build

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
node bench/gen-project.mjs "$work/p10" 10 >/dev/null
mkdir -p bench/results
V5=/opt/berth-peers/bin/docker-compose-v5

cmds=(
  -n 'berth --version' 'node bin/run.js --version'
  -n 'berth --help' 'node bin/run.js --help'
  -n 'berth config -q (10 services)' "node bin/run.js config -q -f $work/p10/compose.yaml"
)
[ -n "${BASELINE:-}" ] && cmds+=(-n "baseline config -q ($BASELINE)" "node $BASELINE/bin/run.js config -q -f $work/p10/compose.yaml")
command -v docker-compose >/dev/null && cmds+=(-n 'docker-compose 1.29 config -q' "docker-compose -f $work/p10/compose.yaml config -q")
[ -x "$V5" ] && cmds+=(-n 'docker compose v5 config -q' "$V5 -f $work/p10/compose.yaml config -q")

hyperfine -N -w 3 -r "${RUNS:-15}" --export-markdown bench/results/startup.md "${cmds[@]}" >/dev/null
cat bench/results/startup.md
