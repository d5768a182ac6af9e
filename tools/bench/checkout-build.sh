#!/usr/bin/env bash
# Builds one commit in a checkout of its own, for `BENCH_QUICK=1 BENCH_BUILDS=… overhead.js` to compare builds:
#   tools/bench/checkout-build.sh NAME COMMIT [package@version …]
# The checkout (/work/wt/bench-NAME, or $BENCH_CHECKOUTS/bench-NAME) shares this repository's node_modules entry by
# entry; each package@version given replaces its entry with that version (a step that upgraded a package is compared
# against the version it had). This checkout's tools/bench and tests/support/system.ts are copied in, so every build
# runs the same benchmark.
set -euo pipefail
name=$1; commit=$2; shift 2
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
wt=${BENCH_CHECKOUTS:-/work/wt}/bench-$name
rm -rf "$wt"; git -C "$repo" worktree prune
git -C "$repo" worktree add --detach "$wt" "$commit" >/dev/null
mkdir "$wt/node_modules"
for entry in "$repo"/node_modules/* "$repo"/node_modules/.[!.]*; do ln -s "$entry" "$wt/node_modules/$(basename "$entry")"; done
for spec in "$@"; do
  package=${spec%@*}
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "$spec" >/dev/null 2>&1 && tar xzf ./*.tgz)
  rm "$wt/node_modules/$package"; mv "$tmp/package" "$wt/node_modules/$package"; rm -rf "$tmp"
done
cp "$repo"/tools/bench/*.ts "$wt/tools/bench/"
cp "$repo"/tests/support/system.ts "$wt/tests/support/system.ts"
cd "$wt"
npx tsc -p tsconfig.build.json
npx tsc-alias -p tsconfig.build.json
echo "built $wt"
