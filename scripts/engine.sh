#!/usr/bin/env bash
# Makes sure a Docker Engine answers, for the demo, CI and people trying Berth.
#
#   scripts/engine.sh [start]              the default engine (unix:///var/run/docker.sock): use the
#                                          one that answers; as root start Debian's dockerd when none
#                                          does; otherwise print exactly what to do
#   scripts/engine.sh start --private DIR  a private dockerd with everything under DIR (data, exec
#                                          root, pidfile, socket DIR/sock), beside any other daemon
#   scripts/engine.sh stop  [--private DIR]  stop what this script started
#   scripts/engine.sh env   [--private DIR]  print `export DOCKER_HOST=...` (use: eval "$(scripts/engine.sh env ...)")
#   scripts/engine.sh status [--private DIR]
#
# With DOCKER_HOST set (and no --private), that engine is checked and nothing is started.
set -euo pipefail
cd "$(dirname "$0")/.."

DEFAULT_SOCK=/var/run/docker.sock
STARTED_PIDFILE=/run/berth-dockerd.pid
DEFAULT_LOG=/var/log/berth-dockerd.log

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "engine: $*" >&2; exit 1; }

cmd=start
if [ $# -gt 0 ] && [[ $1 != -* ]]; then cmd=$1; shift; fi
private=""
while [ $# -gt 0 ]; do
  case $1 in
    --private) [ $# -ge 2 ] || die "--private needs a directory"; private=$2; shift 2 ;;
    --private=*) private=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
if [ -n "$private" ]; then
  mkdir -p "$private"
  private=$(cd "$private" && pwd)
  [ ${#private} -le 90 ] || die "--private $private is too long for a unix socket path (keep it under 90 characters, e.g. /tmp/berth-engine)"
fi

# Whether the engine at a unix socket answers /_ping.
sock_answers() { [ -S "$1" ] && curl -sf --max-time 3 --unix-socket "$1" http://localhost/_ping >/dev/null 2>&1; }

# Whether the engine DOCKER_HOST names answers.
docker_host_answers() {
  case $DOCKER_HOST in
    unix://*) sock_answers "${DOCKER_HOST#unix://}" ;;
    tcp://*)
      if command -v docker >/dev/null 2>&1; then docker version >/dev/null 2>&1
      else curl -sf --max-time 3 "http://${DOCKER_HOST#tcp://}/_ping" >/dev/null 2>&1; fi ;;
    *) return 1 ;;
  esac
}

describe() { # socket -> "Docker 20.10.24 (API 1.41)"
  curl -sf --max-time 3 --unix-socket "$1" http://localhost/version 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const v=JSON.parse(s);console.log(`Docker ${v.Version} (API ${v.ApiVersion})`)}catch{console.log("Docker Engine")}})'
}

wait_for() { # socket seconds
  local i
  for ((i = 0; i < $2 * 5; i++)); do sock_answers "$1" && return 0; sleep 0.2; done
  return 1
}

need_dockerd() {
  command -v dockerd >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "engine: installing Debian's docker.io (scripts/ensure-deps.sh)"
    bash scripts/ensure-deps.sh
    command -v dockerd >/dev/null 2>&1 && return 0
  fi
  die "dockerd is not installed. Install it as root: \`sudo apt-get install -y docker.io\` (or \`sudo bash scripts/ensure-deps.sh\`)"
}

unmount_under() {
  local dir=$1 target
  [ -r /proc/self/mounts ] || return 0
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r target; do
    umount -l "$target" 2>/dev/null || true
  done
}

stop_pid() { # pid what
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  echo "engine: $2 did not stop within 20 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

start_private() {
  local sock=$private/sock ns
  if sock_answers "$sock"; then echo "engine: private engine already answers at unix://$sock"; return 0; fi
  [ "$(id -u)" = 0 ] || die "a private dockerd needs root: run \`sudo $0 start --private $private\`"
  need_dockerd
  ns="berth-$(basename "$private" | tr -c 'a-zA-Z0-9-\n' '-')"
  echo "engine: starting a private dockerd in $private (log: $private/dockerd.log)"
  setsid dockerd --data-root "$private/data" --exec-root "$private/exec" --pidfile "$private/pid" \
    -H "unix://$sock" --bridge=none --containerd-namespace "$ns" --containerd-plugins-namespace "$ns-plugins" \
    >"$private/dockerd.log" 2>&1 < /dev/null &
  wait_for "$sock" 60 || { tail -n 15 "$private/dockerd.log" >&2; die "the private dockerd did not answer within 60 s (log above)"; }
  echo "engine: $(describe "$sock") answers at unix://$sock"
  echo "engine: use it with: export DOCKER_HOST=unix://$sock"
}

stop_private() {
  local pidfile=$private/pid
  if [ ! -f "$pidfile" ]; then echo "engine: no private dockerd runs in $private"; return 0; fi
  stop_pid "$(cat "$pidfile")" "the private dockerd"
  # containerd and shims it started carry the directory in their command lines.
  local pid
  for pid in $(pgrep -f -- "$private/exec/" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  unmount_under "$private"
  rm -f "$pidfile" "$private/sock"
  echo "engine: stopped the private dockerd in $private (its data stays in $private/data)"
}

start_default() {
  if [ -n "${DOCKER_HOST:-}" ]; then
    docker_host_answers && { echo "engine: the engine at DOCKER_HOST=$DOCKER_HOST answers"; return 0; }
    die "no engine answers at DOCKER_HOST=$DOCKER_HOST. Start that engine, or \`unset DOCKER_HOST\` to use $DEFAULT_SOCK"
  fi
  if sock_answers "$DEFAULT_SOCK"; then echo "engine: $(describe "$DEFAULT_SOCK") answers at unix://$DEFAULT_SOCK"; return 0; fi
  if [ "$(id -u)" != 0 ]; then
    cat >&2 <<EOF
engine: no Docker Engine answers at unix://$DEFAULT_SOCK.
        start one as root:  sudo systemctl start docker   (or: sudo dockerd &)
        or run this as root: sudo $0 start
        or point DOCKER_HOST at a running engine.
EOF
    [ -S "$DEFAULT_SOCK" ] && [ ! -w "$DEFAULT_SOCK" ] && echo "        (the socket exists but you may not write to it: \`sudo usermod -aG docker $USER\`, then log in again)" >&2
    exit 1
  fi
  need_dockerd
  if [ -d /run/systemd/system ] && systemctl cat docker.service >/dev/null 2>&1; then
    echo "engine: starting docker.service"
    systemctl start docker || true
    wait_for "$DEFAULT_SOCK" 30 && { echo "engine: $(describe "$DEFAULT_SOCK") answers at unix://$DEFAULT_SOCK"; return 0; }
  fi
  echo "engine: starting dockerd in the background (log: $DEFAULT_LOG)"
  setsid dockerd >"$DEFAULT_LOG" 2>&1 < /dev/null &
  echo $! >"$STARTED_PIDFILE"
  wait_for "$DEFAULT_SOCK" 60 || { tail -n 15 "$DEFAULT_LOG" >&2; die "dockerd did not answer within 60 s (log above)"; }
  echo "engine: $(describe "$DEFAULT_SOCK") answers at unix://$DEFAULT_SOCK"
}

stop_default() {
  if [ ! -f "$STARTED_PIDFILE" ]; then
    echo "engine: this script did not start the default engine; leaving it alone"
    return 0
  fi
  stop_pid "$(cat "$STARTED_PIDFILE")" "dockerd"
  rm -f "$STARTED_PIDFILE"
  echo "engine: stopped the dockerd this script started"
}

case $cmd in
  start) if [ -n "$private" ]; then start_private; else start_default; fi ;;
  stop) if [ -n "$private" ]; then stop_private; else stop_default; fi ;;
  env)
    if [ -n "$private" ]; then echo "export DOCKER_HOST=unix://$private/sock"
    else echo "export DOCKER_HOST=${DOCKER_HOST:-unix://$DEFAULT_SOCK}"; fi ;;
  status)
    sock=${private:+$private/sock}
    sock=${sock:-$DEFAULT_SOCK}
    if sock_answers "$sock"; then echo "engine: $(describe "$sock") answers at unix://$sock"; else echo "engine: nothing answers at unix://$sock"; exit 1; fi ;;
  help) usage ;;
  *) usage >&2; die "unknown command: $cmd" ;;
esac
