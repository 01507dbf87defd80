#!/usr/bin/env bash
# Builds the peer tools Berth is compared with (conformance oracles and benchmarks) into
# /opt/berth-peers/bin. Idempotent: a peer that is already built is left alone.
#
#   docker-compose-v5   docker compose v5 built from its Go module (github.com/docker/compose/v5);
#                       runs standalone: `docker-compose-v5 config --format json`
#
# Needs Go and the Go module proxy. `go install .../cmd@version` refuses the module (its go.mod has
# exclude/replace directives), so the module source is downloaded and built in place. v5.7.0 needs
# github.com/docker/secrets-engine, which the proxy does not serve here; v5.6.0 builds.
# Override with COMPOSE_V5_VERSION=v5.x.y. docker-compose 1.29 (Debian) is the other, older peer.
set -euo pipefail

PEERS=${BERTH_PEERS:-/opt/berth-peers}
BIN="$PEERS/bin"
VERSION=${COMPOSE_V5_VERSION:-v5.6.0}
TARGET="$BIN/docker-compose-v5"

if [ -x "$TARGET" ]; then
  echo "docker compose v5: $TARGET ($("$TARGET" version --short 2>/dev/null || echo built))"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "docker compose v5: not built (no Go toolchain on PATH)" >&2
  exit 1
fi

mkdir -p "$BIN" "$PEERS/src"
# The module may ask for a newer Go than the one installed; let Go fetch that toolchain.
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
echo "docker compose v5: downloading github.com/docker/compose/v5@$VERSION"
dir=$(cd "$PEERS/src" && go mod download -json "github.com/docker/compose/v5@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
  echo "docker compose v5: module download failed" >&2
  exit 1
fi

src="$PEERS/src/compose-$VERSION"
rm -rf "$src"
cp -r "$dir" "$src"
chmod -R u+w "$src"
echo "docker compose v5: building (takes a few minutes)"
(cd "$src" && nice go build -o "$TARGET.tmp" ./cmd)
mv "$TARGET.tmp" "$TARGET"
ln -sf docker-compose-v5 "$BIN/cmd"
echo "docker compose v5: $TARGET"
