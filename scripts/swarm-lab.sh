#!/usr/bin/env bash
# A real multi-node Docker Swarm on this one Linux host, for the swarm tests (test/support/swarm.ts)
# and for trying `berth stack deploy` by hand. Needs root.
#
#   scripts/swarm-lab.sh up N [--dir DIR]    N nodes (node 1 the manager, the others workers), each a
#                                            dockerd + containerd of its own in a network namespace of
#                                            its own, the busybox base image in every node
#   scripts/swarm-lab.sh down [--dir DIR]    stop what `up` started (by pid), remove namespaces and
#                                            files; safe to repeat, and after a crash
#   scripts/swarm-lab.sh status [--dir DIR]  processes, memory and the swarm's nodes
#   scripts/swarm-lab.sh env I [--dir DIR]   `export DOCKER_HOST=...` for node I
#   scripts/swarm-lab.sh get I PORT [PATH] [--dir DIR]
#                                            HTTP GET of node I's address from the host side (the hub
#                                            namespace): how a `mode: host` published port is reached
#
# DIR (default /tmp/berth-swarm-lab, at most 60 characters: unix socket paths are short) holds
# everything: node I's state in DIR/nodeI/, its API socket DIR/nodeI.sock, lab.env (names and
# addresses). Names of namespaces and cgroups start with a prefix made from DIR, so two labs in two
# dirs live side by side. The nodes talk over a bridge in a "hub" namespace on 192.168.213.0/24,
# which exists only inside the lab: nothing is added to the root namespace's interfaces, routes,
# iptables or sysctls, and the default dockerd (/var/run/docker.sock) and the tests' private
# dockerds are never touched. No IPVS in this kernel: use `endpoint_mode: dnsrr` and `mode: host`.
# KEEP_ON_FAIL=1 keeps a failed `up` (and its logs in DIR/node*/) for a look; `down` removes it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SELF=$ROOT/scripts/swarm-lab.sh
NET=192.168.213 # node I is $NET.(10+I); the hub's bridge is $NET.1

die() { echo "swarm-lab: $*" >&2; exit 1; }
say() { echo "swarm-lab: $*" >&2; }
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SELF"; }

# ---- names ------------------------------------------------------------------------------------
# set_lab DIR: the lab's absolute dir and the prefix of its namespace and cgroup names.
set_lab() {
  LAB=$(cd "$1" && pwd)
  [ ${#LAB} -le 60 ] || die "--dir $LAB is too long for the sockets inside it (at most 60 characters, e.g. /tmp/berth-swarm-lab)"
  PFX=bsw$(printf '%s' "$LAB" | sha256sum | cut -c1-8)
  HUB=$PFX-hub
}
ndir() { echo "$LAB/node$1"; }
nsock() { echo "$LAB/node$1.sock"; }
nns() { echo "$PFX-n$1"; }
nip() { echo "$NET.$((10 + $1))"; }
# Node numbers the lab has: from state dirs and namespaces, so that `down` finds half-made nodes.
# State dirs count only next to lab.env (written first by `up`): DIR may hold someone else's node1/.
nodes() {
  local p
  {
    if [ -e "$LAB/lab.env" ]; then for p in "$LAB"/node[0-9]*/; do [ -d "$p" ] && basename "$p"; done; fi
    for p in /run/netns/"$PFX"-n[0-9]*; do [ -e "$p" ] && basename "$p"; done
    true
  } | sed -e 's/^node//' -e "s/^$PFX-n//" | sort -un
}
pid_in() { [ -s "$1" ] && cat "$1" || true; }
# alive PID: running, and not a zombie (an orphan is reaped by PID 1, which may take a second).
alive() { local s; s=$(sed -n 's/^.*) \(.\).*/\1/p' "/proc/${1:-x}/stat" 2>/dev/null) && [ -n "$s" ] && [ "$s" != Z ]; }
# ours PID DIR: alive AND started with DIR in its command line (a stale pidfile's pid may be reused).
ours() { local c; alive "${1:-}" && c=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) && [[ $c == *"$2/"* ]]; }

# ---- inside a node's namespaces -------------------------------------------------------------------
# `_node DIR I` runs as `ip netns exec NS unshare --uts`. containerd and dockerd must share one mount
# namespace: dockerd mounts each container's rootfs in its own and hands the path to containerd/runc.
node_main() {
  local i=$1 d
  d=$(ndir "$i")
  echo $$ >"$d/launcher.pid" # becomes dockerd's pid (exec below): `up` sees a dockerd that died early
  echo "node$i" >/proc/sys/kernel/hostname # a UTS namespace of its own: `docker node ls` reads well
  remount_cgroups
  containerd --config "$d/containerd.toml" >>"$d/containerd.log" 2>&1 &
  echo $! >"$d/containerd.pid"
  for _ in $(seq 100); do [ -S "$d/ctd.sock" ] && break; sleep 0.1; done
  # No registry: do not resolve digests on service create or pull before each task; images must be
  # on every node already (up loads the base image everywhere).
  export DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1
  exec dockerd --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec" \
    --pidfile "$d/dockerd.pid" -H "unix://$(nsock "$i")" --containerd "$d/ctd.sock" \
    --cgroup-parent "/$(nns "$i")" --swarm-default-advertise-addr "$(nip "$i")" \
    --shutdown-timeout 3 >>"$d/dockerd.log" 2>&1
}

# `ip netns exec` mounts a fresh sysfs over /sys (so that /sys/class/net is the namespace's), which
# hides the cgroup mounts under /sys/fs/cgroup: dockerd then dies with "Devices cgroup isn't
# mounted". Mount the same hierarchies again, as the host's init has them (v1, v2 or both).
remount_cgroups() {
  local mp fs opts
  mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
  awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup" || $(i+1) == "cgroup2") print $5, $(i+1), $(i+3) }' \
    /proc/1/mountinfo | while read -r mp fs opts; do
    mkdir -p "$mp"
    if [ "$fs" = cgroup2 ]; then mount -t cgroup2 cgroup2 "$mp"; else mount -t cgroup -o "${opts#r[wo],}" cgroup "$mp"; fi
  done
}

# ---- up -----------------------------------------------------------------------------------------
write_config() {
  local i=$1 d
  d=$(ndir "$i")
  mkdir -p "$d"
  # A containerd of its own (root, state, socket); no CRI, no debug/metrics/ttrpc listeners.
  cat >"$d/containerd.toml" <<EOF
version = 2
root = "$d/containerd/root"
state = "$d/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$d/ctd.sock"
[ttrpc]
  address = ""
[debug]
  address = ""
[metrics]
  address = ""
EOF
  # A daemon.json of its own keeps /etc/docker/daemon.json out, and the key path keeps the nodes
  # from sharing /etc/docker/key.json (and so one daemon ID). cgroupfs: --cgroup-parent is a path.
  cat >"$d/daemon.json" <<EOF
{"deprecated-key-path": "$d/key.json", "exec-opts": ["native.cgroupdriver=cgroupfs"]}
EOF
}

setup_net() {
  local n=$1 i ns
  # The bridge lives in a namespace of its own: the root namespace's interfaces, routes and iptables
  # (where Docker's FORWARD policy DROP would eat bridged frames) are left alone. The hub's own
  # iptables are empty, so br_netfilter lets its frames through.
  ip netns add "$HUB"
  ip -n "$HUB" link set lo up
  ip -n "$HUB" link add br0 type bridge
  ip -n "$HUB" addr add "$NET.1/24" dev br0 # the host side, for `get`
  ip -n "$HUB" link set br0 up
  for i in $(seq 1 "$n"); do
    ns=$(nns "$i")
    ip netns add "$ns"
    ip -n "$HUB" link add "vn$i" type veth peer name eth0 netns "$ns"
    ip -n "$HUB" link set "vn$i" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$(nip "$i")/24" dev eth0
    ip -n "$ns" link set eth0 up
    # No default route: pulls and outside DNS fail at once instead of timing out.
  done
}

# Provisioning through the Engine API with Berth's own client: wait for the daemons, make the base
# image on node 1 (test/support/base-image.ts), copy it to the others by save/load (the same image
# ID everywhere), init the swarm on node 1 and join the others with explicit addresses (there is no
# default route to guess them from), then wait until every node is Ready.
provision() {
  (cd "$ROOT" && LAB="$LAB" NODES="$1" NET="$NET" node --import tsx --input-type=module -e "$(cat <<'EOF'
import {existsSync, readFileSync} from 'node:fs'
import {EngineClient} from './src/engine/index.ts'
import {BASE_IMAGE, BASE_IMAGE_ALIASES, ensureBaseImage} from './test/support/base-image.ts'
const {LAB, NET} = process.env, n = Number(process.env.NODES)
const ids = Array.from({length: n}, (_, k) => k + 1)
const ip = (i) => `${NET}.${10 + i}`
const engines = ids.map((i) => EngineClient.forHost(`unix://${LAB}/node${i}.sock`))
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const dead = (i, what) => {
  const file = `${LAB}/node${i}/${what}.pid`
  if (!existsSync(file)) return false
  try { process.kill(Number(readFileSync(file, 'utf8')), 0); return false } catch { return true }
}
async function ready(i) {
  for (const deadline = Date.now() + 60_000; ; await sleep(150)) {
    try { return await engines[i - 1].ping() } catch (error) {
      if (dead(i, 'launcher') || dead(i, 'containerd') || Date.now() > deadline) throw new Error(`node${i}: dockerd did not answer (${error.message})`)
    }
  }
}
try {
  await Promise.all(ids.map(ready))
  await ensureBaseImage(engines[0])
  const chunks = []
  for await (const chunk of await engines[0].images.save([BASE_IMAGE, ...BASE_IMAGE_ALIASES])) chunks.push(chunk)
  const image = Buffer.concat(chunks)
  await Promise.all(engines.slice(1).map((engine) => engine.images.load(image)))
  const addrs = (i) => ({ListenAddr: `${ip(i)}:2377`, AdvertiseAddr: `${ip(i)}:2377`, DataPathAddr: ip(i)})
  await engines[0].send({method: 'POST', path: '/swarm/init', json: addrs(1)})
  const {JoinTokens} = await engines[0].json({method: 'GET', path: '/swarm'})
  await Promise.all(ids.slice(1).map((i) => engines[i - 1].send({method: 'POST', path: '/swarm/join', json: {...addrs(i), RemoteAddrs: [`${ip(1)}:2377`], JoinToken: JoinTokens.Worker}})))
  for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
    const list = await engines[0].json({method: 'GET', path: '/nodes'})
    if (list.filter((node) => node.Status.State === 'ready').length === n) break
    if (Date.now() > deadline) throw new Error(`not every node became Ready: ${list.map((node) => `${node.Description.Hostname} ${node.Status.State}`).join(', ')}`)
  }
} catch (error) {
  console.error(`swarm-lab: ${error.message}`)
  process.exitCode = 1
} finally {
  await Promise.all(engines.map((engine) => engine.destroy()))
}
EOF
)")
}

up_failed() {
  local rc=$? i
  [ "$rc" != 0 ] || return 0
  for i in $(nodes); do # the daemons that died, in their own words
    alive "$(pid_in "$(ndir "$i")/launcher.pid")" || tail -q -n 5 "$(ndir "$i")/dockerd.log" "$(ndir "$i")/launcher.log" 2>/dev/null | sed "s/^/  node$i: /" >&2
  done
  if [ "${KEEP_ON_FAIL:-0}" = 1 ]; then say "up failed; kept for a look (logs: $LAB/node*/*.log); remove with: $SELF down --dir $LAB"
  else say "up failed; removing what was started (KEEP_ON_FAIL=1 keeps it)"; cmd_down >/dev/null 2>&1 || true; fi
}

cmd_up() {
  local n=$1 i t0 missing=()
  for c in ip unshare setsid dockerd containerd ctr runc node; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  [ ${#missing[@]} = 0 ] || die "missing ${missing[*]}: run \`bash scripts/ensure-deps.sh\` as root"
  [ -d "$ROOT/node_modules/tsx" ] || die "node modules are missing: run \`npm ci\` (or \`bash scripts/ensure-deps.sh\`)"
  if [ -e "/run/netns/$HUB" ] || [ -e "$LAB/lab.env" ]; then die "a lab is already up in $LAB: \`$SELF down --dir $LAB\` first"; fi
  t0=$(date +%s%N)
  trap up_failed EXIT
  printf 'PREFIX=%s\nHUB=%s\nNODES=%s\n' "$PFX" "$HUB" "$n" >"$LAB/lab.env"
  for i in $(seq 1 "$n"); do
    printf 'NODE%s_HOST=unix://%s\nNODE%s_ADDR=%s\nNODE%s_NETNS=%s\n' "$i" "$(nsock "$i")" "$i" "$(nip "$i")" "$i" "$(nns "$i")" >>"$LAB/lab.env"
  done
  setup_net "$n"
  for i in $(seq 1 "$n"); do
    write_config "$i"
    setsid ip netns exec "$(nns "$i")" unshare --uts bash "$SELF" _node "$LAB" "$i" </dev/null >>"$(ndir "$i")/launcher.log" 2>&1 &
  done
  provision "$n"
  trap - EXIT
  for i in $(seq 1 "$n"); do
    printf 'node%s  %-7s  %-15s  DOCKER_HOST=unix://%s\n' "$i" "$([ "$i" = 1 ] && echo manager || echo worker)" "$(nip "$i")" "$(nsock "$i")"
  done
  say "$n-node swarm up in $(((($(date +%s%N) - t0) / 1000000))) ms ($LAB)"
}

# ---- down ---------------------------------------------------------------------------------------
wait_gone() { for _ in $(seq $(($2 * 10))); do alive "$1" || return 0; sleep 0.1; done; return 1; }

# Fast and not graceful (everything is thrown away): a SIGTERM to a swarm dockerd waits out each
# task's stop grace period, and busybox as PID 1 ignores SIGTERM.
stop_node() {
  local i=$1 d ns dpid cpid t p cg
  d=$(ndir "$i") ns=$(nns "$i")
  dpid=$(pid_in "$d/dockerd.pid") cpid=$(pid_in "$d/containerd.pid")
  # dockerd first, so that nothing restarts or reschedules tasks behind our back.
  if ours "$dpid" "$d"; then kill -KILL "$dpid" 2>/dev/null || true; wait_gone "$dpid" 5 || true; fi
  # Kill and delete the tasks through this node's containerd, so that the shims exit and remove
  # their sockets (in /run/containerd/s) themselves.
  if ours "$cpid" "$d"; then
    for t in $(ctr -a "$d/ctd.sock" -n moby tasks ls -q 2>/dev/null); do ctr -a "$d/ctd.sock" -n moby tasks kill -a -s SIGKILL "$t" >/dev/null 2>&1 || true; done
    for t in $(ctr -a "$d/ctd.sock" -n moby tasks ls -q 2>/dev/null); do
      for _ in $(seq 20); do ctr -a "$d/ctd.sock" -n moby tasks delete "$t" >/dev/null 2>&1 && break; sleep 0.1; done
    done
    kill -KILL "$cpid" 2>/dev/null || true # its tasks are gone; a SIGTERM only costs a second
    wait_gone "$cpid" 5 || true
  fi
  # Whatever is left, by pid: container processes (in the node's cgroups), then daemons, shims and
  # docker-proxy (in the node's network namespace).
  for cg in /sys/fs/cgroup/"$ns" /sys/fs/cgroup/*/"$ns"; do
    [ -d "$cg" ] || continue
    for p in $(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
  done
  [ -e "/run/netns/$ns" ] && for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do [ -e "/run/netns/$ns" ] && [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] || break; sleep 0.1; done
  # A shim killed that way leaves its socket, /run/containerd/s/<sha256 of "ADDRESS/NAMESPACE/ID">.
  for t in "$d"/containerd/state/io.containerd.runtime.v2.task/moby/*/; do
    [ -d "$t" ] && rm -f "/run/containerd/s/$(printf '%s' "$d/ctd.sock/moby/$(basename "$t")" | sha256sum | cut -c1-64)"
  done
  for cg in /sys/fs/cgroup/"$ns" /sys/fs/cgroup/*/"$ns"; do
    for _ in $(seq 20); do
      [ -d "$cg" ] || break
      find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [ -d "$cg" ] || break
      sleep 0.1
    done
  done
}

cmd_down() {
  local i all m
  all=$(nodes)
  if [ -z "$all" ] && [ ! -e "/run/netns/$HUB" ] && [ ! -e "$LAB/lab.env" ]; then say "no lab in $LAB"; return 0; fi
  local pids=()
  for i in $all; do stop_node "$i" & pids+=($!); done
  [ ${#pids[@]} = 0 ] || wait "${pids[@]}" || true
  # Mounts were made in the nodes' own mount namespaces and went with their last process; anything
  # that leaked into this one goes too (deepest first).
  awk -v d="$LAB/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  for i in $all; do ip netns del "$(nns "$i")" 2>/dev/null || true; done
  ip netns del "$HUB" 2>/dev/null || true # takes the bridge and the hub ends of the veths
  if [ -e "$LAB/lab.env" ]; then
    for i in $all; do rm -rf "$(ndir "$i")" "$(nsock "$i")"; done
    rm -f "$LAB/lab.env"
  fi
  rmdir "$LAB" 2>/dev/null || true # only when empty: DIR may be someone's
  say "lab in $LAB is down"
}

# ---- status / env / get -------------------------------------------------------------------------
cmd_status() {
  local i d p pid
  [ -e "$LAB/lab.env" ] || { say "no lab in $LAB"; return 1; }
  for i in $(nodes); do
    d=$(ndir "$i")
    for p in dockerd containerd; do
      pid=$(pid_in "$d/$p.pid")
      if ours "$pid" "$d"; then printf 'node%s  %-10s  pid %-7s  %s\n' "$i" "$p" "$pid" "$(awk '/^Rss:/ {printf "rss %.0f MiB", $2 / 1024}' "/proc/$pid/smaps_rollup")"
      else printf 'node%s  %-10s  not running\n' "$i" "$p"; fi
    done
  done
  (cd "$ROOT" && HOST="unix://$(nsock 1)" node --import tsx --input-type=module -e "
    import {EngineClient} from './src/engine/index.ts'
    const engine = EngineClient.forHost(process.env.HOST)
    try {
      for (const n of await engine.json({method: 'GET', path: '/nodes'}))
        console.log([n.Description.Hostname, n.Spec.Role, n.Status.State, n.Spec.Availability, n.ManagerStatus?.Leader ? 'leader' : ''].join('  ').trim())
    } catch (error) { console.log('swarm: ' + error.message) } finally { await engine.destroy() }")
}

cmd_get() {
  local i=$1 port=$2 path=${3:-/}
  [[ $i =~ ^[0-9]+$ && $port =~ ^[0-9]+$ ]] || die "get needs a node number and a port"
  [ -e "/run/netns/$HUB" ] || die "no lab in $LAB"
  # (busybox 1.35 wget -T segfaults: timeout(1) instead)
  timeout 5 ip netns exec "$HUB" /bin/busybox wget -q -O- "http://$(nip "$i"):$port/${path#/}"
}

# ---- main ---------------------------------------------------------------------------------------
if [ "${1:-}" = _node ]; then
  set_lab "$2"
  node_main "$3"
  exit 1 # node_main execs dockerd
fi

cmd=${1:-help}
[ $# -gt 0 ] && shift
dir=/tmp/berth-swarm-lab
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --dir) [ $# -ge 2 ] || die "--dir needs a directory"; dir=$2; shift 2 ;;
    --dir=*) dir=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
case $cmd in
  up | down | status | get) [ "$(id -u)" = 0 ] || die "needs root (network namespaces, mounts, dockerd): run \`sudo $0 $cmd ...\`" ;;
esac
case $cmd in
  up)
    n=${args[0]:-3}
    [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 200 ] || die "up needs a node count from 1 to 200, not '$n'"
    mkdir -p "$dir"
    set_lab "$dir"
    cmd_up "$n" ;;
  down) [ -d "$dir" ] || { say "no lab in $dir"; exit 0; }; set_lab "$dir"; cmd_down ;;
  status | env | get) [ -e "$dir/lab.env" ] || die "no lab in $dir"; set_lab "$dir" ;;&
  status) cmd_status ;;
  env) [ -d "$(ndir "${args[0]:-1}")" ] || die "no node ${args[0]:-1} in $LAB"; echo "export DOCKER_HOST=unix://$(nsock "${args[0]:-1}")" ;;
  get) cmd_get "${args[0]:-}" "${args[1]:-}" "${args[2]:-/}" ;;
  help) usage ;;
  *) usage >&2; die "unknown command: $cmd" ;;
esac
