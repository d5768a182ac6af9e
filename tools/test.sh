#!/usr/bin/env bash
# `npm test`: lint, type-check and build, unit tests, then integration and end-to-end tests against
# real PostgreSQL, Redis, RabbitMQ and nginx that it starts itself (test stack, its own ports).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

bash tools/ensure-deps.sh

step() { printf '\n=== %s\n' "$*"; }

# the servers start in the background while lint, build and unit tests run
TEST_STACK_ENV="STACK_NAME=test PG_PORT=55442 REDIS_PORT=56389 AMQP_PORT=55682 GATEWAY_PORT=18080 ADB_PORT=15037"
mkdir -p test-artifacts .stack
env $TEST_STACK_ENV bash tools/stack/stack.sh up > test-artifacts/stack-up.log 2>&1 &
stack_pid=$!
# Debian's chromium for the console's browser test (tests/web), installed meanwhile when missing
bash tools/ensure-apt.sh chromium chromium > test-artifacts/chromium-install.log 2>&1 &
chromium_pid=$!

step "lint (module boundaries included)"
npx nx show projects >/dev/null   # computes the project graph the boundary rule reads
npx eslint --max-warnings 0 .

step "type-check and build"
npm run --silent build

step "unit tests"
npx jest --selectProjects unit --json --outputFile=test-artifacts/unit.json

step "servers for the integration tests"
if ! wait $stack_pid; then cat test-artifacts/stack-up.log; exit 1; fi
cat test-artifacts/stack-up.log
if ! wait $chromium_pid; then cat test-artifacts/chromium-install.log; exit 1; fi

step "integration and end-to-end tests (real servers)"
set +e
npx jest --selectProjects integration --runInBand --json --outputFile=test-artifacts/integration.json
status=$?
set -e

node -e '
const r = ["unit", "integration"].map((n) => require("./test-artifacts/" + n + ".json"));
const passed = r.reduce((s, x) => s + x.numPassedTests, 0);
const failed = r.reduce((s, x) => s + x.numFailedTests, 0);
console.log(`\n${passed} passed, ${failed} failed`);
'
exit $status
