#!/usr/bin/env bash
# `npm test`: everything from a fresh machine. Installs what is missing (node modules; as root,
# Debian's docker.io, busybox-static and docker-registry), builds, lints, type-checks, then runs
# the unit, integration and conformance suites. Integration suites start their own private dockerd.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# Every mocha run's output is kept so that the last line can total the suites.
results=$(mktemp); trap 'rm -f "$results"' EXIT
suite() { npx mocha "$@" 2>&1 | tee -a "$results"; }

step "dependencies"
bash scripts/ensure-deps.sh

step "build"
npm run --silent build

step "lint"
npm run --silent lint

step "type-check"
npm run --silent typecheck

step "unit tests"
suite 'test/unit/**/*.test.ts'

if [ -d test/integration ] && compgen -G 'test/integration/**/*.test.ts' >/dev/null || compgen -G 'test/integration/*.test.ts' >/dev/null; then
  step "integration tests (private dockerd)"
  suite --timeout 180000 --require test/support/engine-hooks.ts 'test/integration/**/*.test.ts'
fi

if compgen -G 'test/conformance/*.test.ts' >/dev/null; then
  step "conformance tests (peer tools as oracles)"
  # docker compose v5 from its Go module (once per machine; a few minutes the first time).
  # Where it cannot be built, the tests that need it say so and skip.
  if [ "${BERTH_SKIP_PEERS:-0}" != 1 ]; then bash scripts/peers.sh || echo "peers: docker compose v5 not available; its conformance tests will skip"; fi
  suite --timeout 180000 'test/conformance/**/*.test.ts'
fi

# One closing line for all suites (mocha prints one per run).
passed=$(sed -n 's/^ *\([0-9][0-9]*\) passing.*/\1/p' "$results" | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/^ *\([0-9][0-9]*\) failing.*/\1/p' "$results" | awk '{s+=$1} END {print s+0}')
skipped=$(sed -n 's/^ *\([0-9][0-9]*\) pending.*/\1/p' "$results" | awk '{s+=$1} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
