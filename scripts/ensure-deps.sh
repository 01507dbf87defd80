#!/usr/bin/env bash
# Installs what Berth's tests and demo need and are missing. Idempotent and quiet when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
fi

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx httpd || need+=(busybox-static)
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
# The swarm lab (scripts/swarm-lab.sh): ip (netns, veth, bridge), ctr (its teardown), unshare, setsid.
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v ctr >/dev/null 2>&1 || need+=(containerd)
command -v unshare >/dev/null 2>&1 && command -v setsid >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${need[*]} (install them as root: apt-get install -y ${need[*]})" >&2
    exit 1
  fi
  echo "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The docker.io package starts the system daemon and the registry on install; the tests use a
  # private dockerd, and the registry is started on 127.0.0.1 by the tests that need it.
  systemctl disable --now docker-registry >/dev/null 2>&1 || service docker-registry stop >/dev/null 2>&1 || true
fi
