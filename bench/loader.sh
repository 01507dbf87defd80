#!/usr/bin/env bash
# Loader benchmark: `berth config -q` on a generated 1,000-service project where every service
# extends a base service from another file and interpolates variables (target: under 1 s, peak RSS
# under 200 MB). Prints the median of hyperfine's runs, CPU time and peak RSS (GNU time) as a
# markdown table to stdout (and bench/results/loader.md). N=... changes the number of services.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install -y time)" >&2; exit 1; }
[ -f dist/compose/load.js ] || npm run --silent build

n=${N:-1000}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
node bench/gen-project.mjs "$work/p" "$n" --extends >/dev/null
cmd=(node bin/run.js config -q -f "$work/p/compose.yaml")
"${cmd[@]}" # fails loudly on a broken build before timing it

hyperfine -N -w 2 -r "${RUNS:-10}" --export-json "$work/h.json" "${cmd[*]}" >/dev/null
/usr/bin/time -v "${cmd[@]}" 2>"$work/time.txt"
median=$(node -e "console.log(Math.round(require('$work/h.json').results[0].median * 1000))")
cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%d", (u + s) * 1000}' "$work/time.txt")
rss=$(awk -F': ' '/Maximum resident/ {printf "%d", $2 / 1024}' "$work/time.txt")
mkdir -p bench/results
{
  echo "| berth config -q, $n services with extends + interpolation | median (ms) | CPU user+sys (ms) | peak RSS (MB) |"
  echo "|---|---|---|---|"
  echo "| \`${cmd[*]/$work/<tmp>}\` | $median | $cpu | $rss |"
} | tee bench/results/loader.md
