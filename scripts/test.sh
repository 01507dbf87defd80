#!/usr/bin/env bash
# `npm test`: everything from a fresh machine. Installs what is missing (node modules; as root,
# Debian's docker.io, busybox-static and docker-registry), builds, lints, type-checks, then runs
# the unit, integration and conformance suites. Integration suites start their own private dockerd.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "dependencies"
bash scripts/ensure-deps.sh

step "build"
npm run --silent build

step "lint"
npm run --silent lint

step "type-check"
npm run --silent typecheck

step "unit tests"
npx mocha 'test/unit/**/*.test.ts'

if [ -d test/integration ] && compgen -G 'test/integration/**/*.test.ts' >/dev/null || compgen -G 'test/integration/*.test.ts' >/dev/null; then
  step "integration tests (private dockerd)"
  npx mocha --timeout 180000 --require test/support/engine-hooks.ts 'test/integration/**/*.test.ts'
fi

if compgen -G 'test/conformance/*.test.ts' >/dev/null; then
  step "conformance tests (peer tools as oracles)"
  # docker compose v5 from its Go module (once per machine; a few minutes the first time).
  # Where it cannot be built, the tests that need it say so and skip.
  if [ "${BERTH_SKIP_PEERS:-0}" != 1 ]; then bash scripts/peers.sh || echo "peers: docker compose v5 not available; its conformance tests will skip"; fi
  npx mocha --timeout 180000 'test/conformance/**/*.test.ts'
fi
