#!/usr/bin/env bash
# Usage: tools/ensure-apt.sh <binary> <debian-package>
# Installs <debian-package> with tools/apt-install.sh (no service started) when <binary> is not on PATH.
# Needs root; otherwise it prints the command to run and exits 1. Installs are serialized between concurrent callers.
set -euo pipefail
binary=${1:?usage: ensure-apt.sh <binary> <debian-package>}
package=${2:?usage: ensure-apt.sh <binary> <debian-package>}

command -v "$binary" >/dev/null 2>&1 && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "ensure-apt: $binary is missing; install it first:  sudo apt-get install -y --no-install-recommends $package" >&2
  exit 1
fi

exec 8>/tmp/ish-ensure-apt.lock
flock -w 900 8 || { echo "ensure-apt: timed out waiting for another package install" >&2; exit 1; }
command -v "$binary" >/dev/null 2>&1 && exit 0

echo "ensure-apt: installing $package (for $binary)…" >&2
"$(dirname "$0")/apt-install.sh" "/tmp/ish-ensure-apt-$package.log" "$package"
command -v "$binary" >/dev/null 2>&1 || { echo "ensure-apt: $package installed but $binary is still missing" >&2; exit 1; }
