#!/usr/bin/env bash
# What installed plugins cost at start-up: `berth --version`, `berth config -q` and `berth ps` with
# three plugins installed (copies of fixtures/plugins/berth-plugin-example under other names and
# topics, installed with `berth plugins install <dir>`) versus none. Plugins load lazily (commands
# from their manifests, hooks only when their event runs), so the difference must stay <= 30 ms.
# Uses private HOME/XDG dirs; prints a markdown table (also bench/results/plugins.md) and exits
# non-zero when a median grows by more than LIMIT_MS (default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
[ -f dist/plugins/sdk/index.js ] && [ -f oclif.manifest.json ] || npm run --silent build
LIMIT_MS=${LIMIT_MS:-30}
RUNS=${RUNS:-30}

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/none" "$work/three" "$work/project" bench/results
printf 'name: bench\nservices:\n  web:\n    image: busybox\n  db:\n    image: busybox\n' > "$work/project/compose.yaml"

with_home() { local home=$1; shift; env HOME="$home" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" XDG_CONFIG_HOME="$home/config" npm_config_cache="$home/npm-cache" "$@"; }

for n in 1 2 3; do
  dir="$work/src/berth-plugin-bench$n"
  mkdir -p "$dir/commands"
  cp fixtures/plugins/berth-plugin-example/{package.json,register.js,target.js,expand.js,oclif.manifest.json} "$dir/"
  cp -r fixtures/plugins/berth-plugin-example/commands/example "$dir/commands/bench$n"
  sed -i "s/berth-plugin-example/berth-plugin-bench$n/g; s/\"example\"/\"bench$n\"/g; s/example:hello/bench$n:hello/g; s/\"example\",/\"bench$n\",/g" "$dir/package.json" "$dir/oclif.manifest.json"
  sed -i "s/name: 'example'/name: 'bench$n'/" "$dir/target.js"
  with_home "$work/three" node bin/run.js plugins install "$dir" >/dev/null 2>&1
done
with_home "$work/three" node bin/run.js plugins >&2

# ps needs an engine; without one it still loads the project and fails to connect, which is the
# start-up path being measured, so failures are ignored.
cmds=()
for setup in none three; do
  cmds+=(-n "berth --version ($setup)" "env HOME=$work/$setup XDG_DATA_HOME=$work/$setup/data node bin/run.js --version")
  cmds+=(-n "berth config -q ($setup)" "env HOME=$work/$setup XDG_DATA_HOME=$work/$setup/data node bin/run.js config -q -f $work/project/compose.yaml")
  cmds+=(-n "berth ps ($setup)" "env HOME=$work/$setup XDG_DATA_HOME=$work/$setup/data node bin/run.js ps -f $work/project/compose.yaml")
done
hyperfine -N -i -w 3 -r "$RUNS" --export-json "$work/plugins.json" "${cmds[@]}" >/dev/null

# In-process CPU time of Config.load + init hook, SAMPLES runs per setup.
for setup in none three; do
  for _ in $(seq "${SAMPLES:-25}"); do with_home "$work/$setup" node bench/plugins-startup.mjs; done > "$work/inproc-$setup.jsonl"
done

node - "$work/plugins.json" "$LIMIT_MS" "$work/inproc-none.jsonl" "$work/inproc-three.jsonl" <<'JS' | tee bench/results/plugins.md
const [file, limit] = process.argv.slice(2)
const results = JSON.parse(require('node:fs').readFileSync(file, 'utf8')).results
const median = (name) => results.find((r) => r.command === name).median * 1000
const rows = ['berth --version', 'berth config -q', 'berth ps'].map((cmd) => {
  const none = median(`${cmd} (none)`), three = median(`${cmd} (three)`)
  return {cmd, none, three, diff: three - none}
})
// CPU time (user + system, mean) is shown too: on a shared, loaded machine it is steadier than wall time.
const cpu = (name) => { const r = results.find((x) => x.command === name); return (r.user + r.system) * 1000 }
const sign = (n) => `${n >= 0 ? '+' : ''}${n.toFixed(1)} ms`
console.log('| command | no plugins (median) | 3 plugins (median) | difference | CPU difference (mean user+sys) |')
console.log('|---|---|---|---|---|')
for (const r of rows) console.log(`| ${r.cmd} | ${r.none.toFixed(1)} ms | ${r.three.toFixed(1)} ms | ${sign(r.diff)} | ${sign(cpu(`${r.cmd} (three)`) - cpu(`${r.cmd} (none)`))} |`)
const fs = require('node:fs')
const med = (f) => { const xs = fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l).cpuMs).sort((a, b) => a - b); return xs[Math.floor(xs.length / 2)] }
const [inNone, inThree] = [med(process.argv[4]), med(process.argv[5])]
console.log('')
console.log(`In process (oclif Config.load + Berth's init hook, CPU median): ${inNone.toFixed(1)} ms without plugins, ${inThree.toFixed(1)} ms with three: ${sign(inThree - inNone)}`)
const over = rows.filter((r) => r.diff > Number(limit))
if (over.length > 0) {
  console.error(`over the ${limit} ms budget: ${over.map((r) => r.cmd).join(', ')}`)
  process.exitCode = 1
}
JS
